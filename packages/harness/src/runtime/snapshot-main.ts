/**
 * The snapshot builder's side: runs after the user's module evaluated (that evaluation is init),
 * runs before-snapshot hooks, reports init time, and installs the function every restored clone
 * starts in.
 */
import { readFileSync, writeFileSync, writeSync } from 'node:fs';
import { startupSnapshot } from 'node:v8';
import { runAfterRestoreHooks, runBeforeSnapshotHooks } from '@snapstart/runtime-hooks';
import {
  ENV_BUILD_REPORT,
  ENV_REQUEST,
  RESPONSE_FD,
  serializeError,
  type BuildReport,
  type CloneRequest,
  type CloneResponse,
} from './protocol.js';
import { setPhase, traceEntries } from './tracer.js';

type Handler = (event: unknown, context: Record<string, unknown>) => unknown;

function findHandler(userModule: Record<string, unknown>, exportName: string): Handler | undefined {
  const direct = userModule[exportName];
  if (typeof direct === 'function') return direct as Handler;
  const def = userModule['default'];
  if (exportName === 'default' && typeof def === 'function') return def as Handler;
  if (def && typeof def === 'object') {
    const nested = (def as Record<string, unknown>)[exportName];
    if (typeof nested === 'function') return nested as Handler;
  }
  return undefined;
}

export function prepareSnapshot(userModule: Record<string, unknown>, exportName: string, initStart: number): void {
  const handler = findHandler(userModule, exportName);
  const names = Object.keys(userModule).concat(
    userModule['default'] && typeof userModule['default'] === 'object' ? Object.keys(userModule['default'] as object) : [],
  );
  const reportPath = process.env[ENV_BUILD_REPORT];
  const finish = (extra: Partial<BuildReport>): void => {
    const report: BuildReport = {
      initMs: performance.now() - initStart,
      handlerFound: handler !== undefined,
      exportNames: [...new Set(names)],
      ...extra,
    };
    if (reportPath) writeFileSync(reportPath, JSON.stringify(report));
  };

  startupSnapshot.setDeserializeMainFunction(() => {
    void cloneMain(handler);
  });

  // The snapshot is written once the event loop drains, so async init and async hooks complete first.
  void runBeforeSnapshotHooks().then(
    () => finish({}),
    (err: unknown) => {
      finish({ hookError: serializeError(err) });
      process.exitCode = 3;
    },
  );
}

async function cloneMain(handler: Handler | undefined): Promise<void> {
  const started = performance.now();
  const request = JSON.parse(readFileSync(process.env[ENV_REQUEST] ?? '', 'utf8')) as CloneRequest;
  let hooksMs = 0;
  const respond = (partial: Partial<CloneResponse>): void => {
    const response: CloneResponse = {
      cloneIndex: request.cloneIndex,
      trace: traceEntries(),
      invokeMs: performance.now() - started,
      hooksMs,
      ...partial,
    };
    writeSync(RESPONSE_FD, `${JSON.stringify(response)}\n`);
  };
  setPhase('restore');
  try {
    await runAfterRestoreHooks({ timeoutMs: request.hookTimeoutMs });
  } catch (err) {
    hooksMs = performance.now() - started;
    respond({ hookError: serializeError(err) });
    process.exitCode = 1;
    return;
  }
  hooksMs = performance.now() - started;
  if (!handler) {
    respond({ error: { message: 'handler export not found' } });
    return;
  }
  setPhase('invoke');
  try {
    // A Lambda-like context; the deadline uses hrtime, which the tracer leaves alone.
    const deadline = process.hrtime.bigint() + BigInt(request.hookTimeoutMs) * 1_000_000n;
    const context = {
      ...request.context,
      getRemainingTimeInMillis: () => Number((deadline - process.hrtime.bigint()) / 1_000_000n),
    };
    const result = await handler(request.event, context);
    respond({ result: result === undefined ? null : result });
  } catch (err) {
    respond({ error: serializeError(err) });
  }
}
