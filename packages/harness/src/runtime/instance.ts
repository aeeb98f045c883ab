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

export type Handler = (event: unknown, context: Record<string, unknown>) => unknown;

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
  return [...new Set(Object.keys(userModule).concat(def && typeof def === 'object' ? Object.keys(def as object) : []))];
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
    const context = { ...request.context, getRemainingTimeInMillis: () => Math.max(0, deadline - realNow()) };
    try {
      const result = portable(await this.handler(request.event, context));
      return { ...base(), ...observed(), hooksMs, ...(result.error ? { error: result.error } : { result: result.value }) };
    } catch (err) {
      return { ...base(), ...observed(), hooksMs, error: serializeError(err) };
    }
  }
}
