/**
 * One function instance, engine-neutral: it ends init (keeping what init did), then serves
 * invocations. A clone runs the after-restore hooks before its first invocation; a cold start
 * does not (there was no snapshot). Each response carries what that invocation did: the traced
 * values, the lines it logged and the requests it sent.
 */
import { runAfterRestoreHooks } from '@snapstart/runtime-hooks';
import { takeLogs } from './outputs.js';
import { serializeError, type InvokeRequest, type InvokeResponse, type Observed, type SerializedError } from './protocol.js';
import { takeRequests } from './stub.js';
import { realNow, realPerformanceNow, setPhase, takeTrace } from './tracer.js';

export type Handler = (event: unknown, context: Record<string, unknown>, callback?: (error?: unknown, result?: unknown) => void) => unknown;

/**
 * The instance's event loop, as far as `context.callbackWaitsForEmptyEventLoop` needs it: how many
 * things are pending (timers, sockets, …), and a way to let them run.
 */
export interface EventLoopProbe {
  pending(): number;
  turn(): Promise<void>;
}

/**
 * Calls a handler as Lambda's Node.js runtime does: an async handler's promise, or, for a
 * callback-style handler `(event, context, callback)`, the callback's (or `context.done`,
 * `succeed`, `fail`). After a callback, the answer waits until the event loop has nothing more
 * than before the call (`context.callbackWaitsForEmptyEventLoop`, true by default), or the deadline.
 */
async function callHandler(handler: Handler, event: unknown, context: Record<string, unknown>, loop: EventLoopProbe | undefined, deadline: () => number): Promise<unknown> {
  if (handler.length < 3) return handler(event, context);
  const before = loop?.pending() ?? 0;
  const outcome = await new Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }>((resolve) => {
    let done = false;
    const callback = (error?: unknown, value?: unknown): void => {
      if (done) return;
      done = true;
      resolve(error !== undefined && error !== null ? { ok: false, error } : { ok: true, value });
    };
    context.done = callback;
    context.succeed = (value: unknown) => callback(null, value);
    context.fail = (error: unknown) => callback(error ?? new Error('context.fail() called'));
    try {
      const returned = handler(event, context, callback) as { then?: unknown } | undefined;
      if (returned && typeof returned.then === 'function') (returned as Promise<unknown>).then((v) => callback(null, v), (e: unknown) => callback(e ?? new Error('rejected')));
    } catch (err) {
      callback(err);
    }
  });
  if (loop && context.callbackWaitsForEmptyEventLoop !== false) {
    while (loop.pending() > before && deadline() > 0) await loop.turn();
  }
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

/** The handler export: a named export, `default`, or a property of a CommonJS `module.exports`. */
export function findHandler(userModule: Record<string, unknown>, exportName: string): Handler | undefined {
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

export function exportNames(userModule: Record<string, unknown>): string[] {
  const def = userModule['default'];
  return [...new Set(Object.keys(userModule).concat(def && typeof def === 'object' ? Object.keys(def) : []))];
}

function observed(): Observed {
  return { trace: takeTrace(), logs: takeLogs(), requests: takeRequests() };
}

/** JSON-safe copy of a handler result (BigInt as text, cycles refused with a clear message). */
function portable(value: unknown): { value?: unknown; error?: SerializedError } {
  try {
    const text = JSON.stringify(value === undefined ? null : value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    return { value: JSON.parse(text ?? 'null') as unknown };
  } catch (err) {
    return { error: { message: `the handler's result cannot be serialized as JSON: ${(err as Error).message}` } };
  }
}

export class FunctionInstance {
  private init: (Observed & { initMs: number }) | undefined;
  private served = 0;
  private hooksFailed: SerializedError | undefined;
  private hooksPending: boolean;

  /** `restored`: the after-restore hooks run before the next invocation (a clone's first). */
  constructor(
    private readonly handler: Handler | undefined,
    restored: boolean,
    private hookTimeoutMs: number,
    private readonly loop?: EventLoopProbe,
  ) {
    this.hooksPending = restored;
  }

  /** The guest learns of a restore from the vmgenid: it arms the hooks for the next invocation. */
  armRestoreHooks(restored: boolean): void {
    this.hooksPending = this.hooksPending || restored;
  }

  /** A restored clone takes its settings from its own environment, not the builder's. */
  configure(hookTimeoutMs: number): void {
    this.hookTimeoutMs = hookTimeoutMs;
  }

  /** Closes the init phase: what was traced, logged and requested so far belongs to init. */
  endInit(initMs: number): void {
    this.init = { ...observed(), initMs };
  }

  async invoke(request: InvokeRequest): Promise<InvokeResponse> {
    const startedAt = realNow();
    const t0 = realPerformanceNow();
    const first = this.served === 0;
    this.served++;
    const base = (): Pick<InvokeResponse, 'invocation' | 'startedAt' | 'endedAt' | 'invokeMs'> & { init?: InvokeResponse['init'] } => ({
      invocation: request.invocation,
      startedAt,
      endedAt: realNow(),
      invokeMs: realPerformanceNow() - t0,
      ...(first && this.init ? { init: this.init } : {}),
    });
    let hooksMs = 0;
    if (this.hooksPending) {
      this.hooksPending = false;
      setPhase('restore');
      try {
        await runAfterRestoreHooks({ timeoutMs: this.hookTimeoutMs });
      } catch (err) {
        this.hooksFailed = serializeError(err);
      }
      hooksMs = realPerformanceNow() - t0;
    }
    if (this.hooksFailed) return { ...base(), ...observed(), hooksMs, hookError: this.hooksFailed };
    if (!this.handler) return { ...base(), ...observed(), hooksMs, error: { message: 'handler export not found' } };
    setPhase('invoke');
    // A Lambda-like context; the deadline uses the real clock, not a traced one.
    const deadline = realNow() + this.hookTimeoutMs;
    const remaining = (): number => Math.max(0, deadline - realNow());
    const context: Record<string, unknown> = { callbackWaitsForEmptyEventLoop: true, ...request.context, getRemainingTimeInMillis: remaining };
    try {
      const result = portable(await callHandler(this.handler, request.event, context, this.loop, remaining));
      return { ...base(), ...observed(), hooksMs, ...(result.error ? { error: result.error } : { result: result.value }) };
    } catch (err) {
      return { ...base(), ...observed(), hooksMs, error: serializeError(err) };
    }
  }
}
