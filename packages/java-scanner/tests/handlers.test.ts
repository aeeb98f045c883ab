import { describe, expect, it } from 'vitest';
import { HANDLER_IMPORTS, scanSources, summary } from './helpers.js';

const FIELD = '  private static final java.util.UUID ID = java.util.UUID.randomUUID();';

function cls(header: string, body = '', imports = ''): string {
  return `package app;\n${imports}${header} {\n${FIELD}\n${body}\n}\n`;
}

describe('java-scanner handler discovery', () => {
  it.each([
    ['implements RequestHandler', cls('public class A implements RequestHandler<String, String>', '  public String handleRequest(String s, Context c) { return s; }', HANDLER_IMPORTS)],
    [
      'implements RequestStreamHandler',
      cls(
        'public class A implements RequestStreamHandler',
        '  public void handleRequest(java.io.InputStream i, java.io.OutputStream o, Context c) {}',
        'import com.amazonaws.services.lambda.runtime.*;\n',
      ),
    ],
    ['implements the fully qualified interface', cls('public class A implements com.amazonaws.services.lambda.runtime.RequestHandler<String, String>')],
    ['a (Map, Context) method', cls('public class A', '  public String onEvent(java.util.Map<String, String> e, Context c) { return ""; }', 'import com.amazonaws.services.lambda.runtime.Context;\n')],
    [
      'an (InputStream, OutputStream, Context) method',
      cls('public class A', '  public void stream(java.io.InputStream i, java.io.OutputStream o, Context c) {}', 'import com.amazonaws.services.lambda.runtime.Context;\n'),
    ],
    ['a …Handler class with handleRequest', cls('public class OrderHandler', '  public String handleRequest() { return ""; }')],
    ['a java.util.function.Function implementation', cls('public class A implements Function<String, String>', '  public String apply(String s) { return s; }', 'import java.util.function.Function;\n')],
    ['a Micronaut handler', cls('public class A extends MicronautRequestHandler<String, String>', '', 'import io.micronaut.function.aws.MicronautRequestHandler;\n')],
    ['a Spring function bean', cls('@Component public class A implements Supplier<String>', '  public String get() { return ""; }', 'import java.util.function.Supplier;\nimport org.springframework.stereotype.Component;\n')],
    ['a Quarkus @Named handler', cls('@Named("test") public class A implements RequestHandler<String, String>', '', `${HANDLER_IMPORTS}import jakarta.inject.Named;\n`)],
  ])('finds a handler that %s', async (_what, source) => {
    const result = await scanSources({ 'app/A.java': source });
    expect(summary(result).map((s) => s.split(' ')[1])).toContain('java/no-init-uuid');
  });

  it('finds handlers through an abstract base class in another (unparsed) file', async () => {
    const base = `package app;\n${HANDLER_IMPORTS}public abstract class Base implements RequestHandler<String, String> {\n  public String handleRequest(String s, Context c) { return s; }\n}\n`;
    const result = await scanSources({ 'app/Base.java': base, 'app/A.java': cls('public class A extends Base') });
    expect(summary(result)).toEqual(['app/A.java:3 java/no-init-uuid ID']);
  });

  it('reports init state of superclasses and injected dependencies of handlers', async () => {
    const parent = `package app;\nimport java.util.UUID;\npublic abstract class Parent {\n  protected final UUID parentId = UUID.randomUUID();\n}\n`;
    const dep = `package app;\nimport java.util.UUID;\npublic class Dependency {\n  private final UUID token = UUID.randomUUID();\n}\n`;
    const autowired = `package app;\npublic class Clock2 {\n  private final long created = System.currentTimeMillis();\n}\n`;
    const handler = `package app;\n${HANDLER_IMPORTS}import org.springframework.beans.factory.annotation.Autowired;\npublic class A extends Parent implements RequestHandler<String, String> {\n  @Autowired private Clock2 clock;\n  private final Dependency dep;\n  public A(Dependency dep) { this.dep = dep; }\n  public String handleRequest(String s, Context c) { return s; }\n}\n`;
    const result = await scanSources({ 'app/Parent.java': parent, 'app/Dependency.java': dep, 'app/Clock2.java': autowired, 'app/A.java': handler });
    expect(summary(result)).toEqual([
      'app/Clock2.java:3 java/no-init-time created',
      'app/Dependency.java:4 java/no-init-uuid token',
      'app/Parent.java:4 java/no-init-uuid parentId',
    ]);
  });

  it('reports a @Bean function that captures an init-time value', async () => {
    const config = `package app;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
@Configuration
public class Functions {
  @Bean
  public Function<String, String> tag() {
    String instance = UUID.randomUUID().toString();
    return (in) -> instance + ":" + in;
  }
}
`;
    const result = await scanSources({ 'app/Functions.java': config });
    expect(summary(result)).toEqual(['app/Functions.java:11 java/no-init-uuid tag()']);
  });

  it('does not treat look-alikes as handlers', async () => {
    const notAHandler = cls('public class Report', '  public String handleRequest() { return ""; }', 'import com.amazonaws.services.lambda.runtime.Context;\n');
    const plainFunction = cls('public class Upper implements Function<String, String>', '  public String apply(String s) { return s; }', 'import com.google.common.base.Function;\n');
    const util = cls('public class Util');
    const result = await scanSources({ 'app/Report.java': notAHandler, 'app/Upper.java': plainFunction, 'app/Util.java': util });
    expect(summary(result)).toEqual([]);
  });

  it('treats configured handler classes as handlers, written as Lambda handler settings write them', async () => {
    const plain = (name: string): string => cls(`public class ${name}`, '  public String run(String s) { return s; }', 'import java.util.UUID;\n');
    const files = { 'app/Orders.java': plain('Orders'), 'app/Users.java': plain('Users'), 'app/Other.java': plain('Other') };
    expect(summary(await scanSources(files))).toEqual([]);
    const result = await scanSources(files, { handlerClasses: ['app.Orders::run', 'Users'] });
    expect(summary(result).map((s) => s.split(' ')[0])).toEqual(['app/Orders.java:4', 'app/Users.java:4']);
    expect(result.findings[0]!.message).toContain('configured as a handler');
  });

  it('does not report DI beans in a project without any handler', async () => {
    const bean = `package app;\nimport org.springframework.stereotype.Service;\n@Service\npublic class Ids {\n  private final long created = System.currentTimeMillis();\n}\n`;
    expect(summary(await scanSources({ 'app/Ids.java': bean }))).toEqual([]);
  });
});
