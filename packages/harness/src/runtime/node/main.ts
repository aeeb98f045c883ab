/**
 * The node engine's side inside the bundle. Under `node --build-snapshot`: after init (the
 * user's module, top-level await included) it runs the before-snapshot hooks, reports, and
 * installs the main function every restored clone starts in. As a plain `node bundle.cjs` (a
 * cold start): the same function, init then invocations, no snapshot. Either way invocations
 * arrive as JSON lines on fd 3 and each answer goes back as one line.
 */
import { Socket } from 'node:net';
import { startupSnapshot } from 'node:v8';
import { runBeforeSnapshotHooks } from '@snapstart/runtime-hooks';
import { instanceConfig } from './install.js';
import { captureNodeStreams } from '../outputs.js';
import { exportNames, findHandler, FunctionInstance, type EventLoopProbe } from '../instance.js';
import { report } from './init-failure.js';
import { CHANNEL_FD, serializeError, type InvokeRequest } from '../protocol.js';
import { realNow, realPerformanceNow } from '../tracer.js';

const building = startupSnapshot.isBuildingSnapshot();

/** Node's event loop for callback handlers: what keeps it alive (timers, sockets, …), one tick at a time. */
const nodeLoop: EventLoopProbe = {
  pending: () => process.getActiveResourcesInfo().length,
  turn: () => new Promise((resolve) => setTimeout(resolve, 1)),
};

function serve(instance: FunctionInstance): void {
  const channel = new Socket({ fd: CHANNEL_FD, readable: true, writable: true });
  let buffered = '';
  let queue = Promise.resolve();
  channel.setEncoding('utf8');
  channel.on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (!line.trim()) continue;
      const request = JSON.parse(line) as InvokeRequest;
      // Invocations are served one at a time, in order, like a Lambda execution environment.
      queue = queue.then(async () => {
        const response = { ...(await instance.invoke(request)), processStartedAt: performance.timeOrigin, sentAt: realNow() };
        await new Promise<void>((resolve) => channel.write(`${JSON.stringify(response)}\n`, () => resolve()));
      });
    }
  });
  channel.on('end', () => {
    void queue.then(() => process.exit(0));
  });
  channel.on('error', () => process.exit(1));
}

export function start(userModule: Record<string, unknown>, exportName: string, initStart: number): void {
  const handler = findHandler(userModule, exportName);
  const names = exportNames(userModule);
  if (building) {
    const config = instanceConfig();
    const instance = new FunctionInstance(handler, true, config.hookTimeoutMs, nodeLoop);
    startupSnapshot.setDeserializeMainFunction(() => {
      // A restored clone: the heap (init's state, this instance) came from the snapshot.
      captureNodeStreams();
      instance.configure(instanceConfig().hookTimeoutMs);
      serve(instance);
    });
    // The snapshot is written once the event loop drains, so async hooks complete first.
    void runBeforeSnapshotHooks().then(
      () => {
        const initMs = realPerformanceNow() - initStart;
        instance.endInit(initMs);
        report({ initMs, handlerFound: handler !== undefined, exportNames: names });
      },
      (err: unknown) => {
        report({ initMs: realPerformanceNow() - initStart, handlerFound: handler !== undefined, exportNames: names, hookError: serializeError(err) });
        process.exitCode = 3;
      },
    );
  } else {
    const config = instanceConfig();
    const instance = new FunctionInstance(handler, false, config.hookTimeoutMs, nodeLoop);
    instance.endInit(realPerformanceNow() - initStart);
    serve(instance);
  }
}
