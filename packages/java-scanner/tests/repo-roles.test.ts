// Issue #20: what the repository says about its code. Library classes that look like handlers are
// not handlers when the deployment descriptors name the handlers; a debug timer that is off by
// default records nothing during init.
import { describe, expect, it } from 'vitest';
import { HANDLER_IMPORTS, scanSources, summary } from './helpers.js';

/** A library class shaped like a handler (a public method taking a Lambda Context), as serverless-java-container's container handlers are. */
const containerHandler = `package lib;
import com.amazonaws.services.lambda.runtime.Context;
import java.util.UUID;
public class JerseyLambdaContainerHandler {
  private final String instanceId = UUID.randomUUID().toString();
  public String proxy(String request, Context context) { return instanceId + request; }
}
`;
/** The application's handler, named by template.yaml. */
const streamHandler = `package app;
${HANDLER_IMPORTS}public class StreamLambdaHandler implements RequestHandler<String, String> {
  public String handleRequest(String s, Context c) { return s; }
}
`;

describe('handlers named by deployment descriptors (issue #20)', () => {
  it('a library class that only looks like a handler is not one when descriptors name the handlers', async () => {
    const files = { 'lib/JerseyLambdaContainerHandler.java': containerHandler, 'app/StreamLambdaHandler.java': streamHandler };
    // Without the descriptors' word the shape is all there is: reported.
    expect(summary(await scanSources(files))).toEqual(['lib/JerseyLambdaContainerHandler.java:5 java/no-init-uuid instanceId']);
    const declared = { handlerClasses: ['app.StreamLambdaHandler::handleRequest'], declaredHandlersOnly: true };
    expect(summary(await scanSources(files, declared))).toEqual([]);
    // Named by a descriptor, it is a handler again.
    const named = { handlerClasses: ['lib.JerseyLambdaContainerHandler::proxy'], declaredHandlersOnly: true };
    expect(summary(await scanSources(files, named))).toEqual(['lib/JerseyLambdaContainerHandler.java:5 java/no-init-uuid instanceId']);
  });

  it('a handler type still makes a handler that no descriptor names', async () => {
    const h = `package app;
${HANDLER_IMPORTS}public class Other implements RequestHandler<String, String> {
  private final String id = java.util.UUID.randomUUID().toString();
  public String handleRequest(String s, Context c) { return id + s; }
}
`;
    const declared = { handlerClasses: ['app.StreamLambdaHandler'], declaredHandlersOnly: true };
    expect(summary(await scanSources({ 'app/Other.java': h, 'app/StreamLambdaHandler.java': streamHandler }, declared))).toEqual(['app/Other.java:5 java/no-init-uuid id']);
  });
});

describe('debug timers that are off by default (issue #20)', () => {
  /** serverless-java-container's testutils/Timer shape: a static switch, off unless enable() is called. */
  const timer = (declaration: string): string => `package lib.testutils;
import java.util.LinkedHashMap;
import java.util.Map;
public final class Timer {
  private static Map<String, Long> timers = new LinkedHashMap<>();
  ${declaration}
  public static void start(String name) {
    if (!enabled) {
      return;
    }
    timers.put(name, System.currentTimeMillis());
  }
  public static void enable() { enabled = true; }
  public static void disable() { enabled = false; }
}
`;
  const h = `package app;
${HANDLER_IMPORTS}import lib.testutils.Timer;
public class H implements RequestHandler<String, String> {
  public H() { Timer.start("init"); }
  public String handleRequest(String s, Context c) { return s; }
}
`;
  it('records nothing during init while off', async () => {
    expect(summary(await scanSources({ 'app/H.java': h, 'lib/testutils/Timer.java': timer('private volatile static boolean enabled = false;') }))).toEqual([]);
  });

  it('a switch on by default, or one anyone can set, still records', async () => {
    expect(summary(await scanSources({ 'app/H.java': h, 'lib/testutils/Timer.java': timer('private static boolean enabled = true;') }))).toEqual([
      'lib/testutils/Timer.java:11 java/no-init-time timers',
    ]);
    expect(summary(await scanSources({ 'app/H.java': h, 'lib/testutils/Timer.java': timer('static boolean enabled = false;') }))).toEqual([
      'lib/testutils/Timer.java:11 java/no-init-time timers',
    ]);
  });
});
