/**
 * The microvm engine's side inside the guest. The JavaScript guest (vmm-core native/guest/js)
 * calls three globals: `__snapstartFinishInit()` once the scripts ran (init may still be
 * awaiting: the event loop is drained until it settles, then before-snapshot hooks run), then
 * `__snapstartHandle(json)` per request, and `__snapstartGenerationChanged()` when the vmgenid
 * changed (a restore with a fresh generation ID): the next invocation runs the after-restore
 * hooks first, and reseeds Math.random if the harness asks.
 */
import { runBeforeSnapshotHooks } from '@snapstart/runtime-hooks';
import { exportNames, findHandler, FunctionInstance, type EventLoopProbe, type Handler } from '../instance.js';
import { serializeError, type InvokeRequest, type InvokeResponse, type StubRule } from '../protocol.js';
import { setStubRules } from '../stub.js';
import { boot, guest } from './natives.js';

interface Loop {
  drain(settled: () => boolean): 'settled' | 'idle';
  pending(): number;
}
const loop = (globalThis as unknown as { __snapstartLoop: Loop }).__snapstartLoop;
/** The guest's event loop for callback handlers: its pending timers, one turn at a time. */
const guestLoop: EventLoopProbe = {
  pending: () => loop.pending(),
  turn: () => new Promise((resolve) => setTimeout(resolve, 0)),
};
const g = globalThis as unknown as Record<string, unknown>;

/** One request envelope from the harness. */
interface GuestRequest extends InvokeRequest {
  readonly stubs: readonly StubRule[];
  readonly hookTimeoutMs: number;
  readonly reseedMathRandom?: boolean;
}

let instance: FunctionInstance | undefined;
let handler: Handler | undefined;
let names: string[] = [];
let restored = false;
let initStartedAt = 0;

/** Runs `promise` to completion on the guest's event loop. */
function settle<T>(promise: Promise<T>): { value?: T; error?: unknown; idle?: boolean } {
  const state: { done: boolean; value?: T; error?: unknown } = { done: false };
  promise.then(
    (value) => {
      state.done = true;
      state.value = value;
    },
    (error: unknown) => {
      state.done = true;
      state.error = error ?? new Error('rejected');
    },
  );
  if (loop.drain(() => state.done) === 'idle') return { idle: true };
  return state.error !== undefined ? { error: state.error } : { value: state.value };
}

export function start(userModule: Record<string, unknown>, exportName: string, initStart: number): void {
  handler = findHandler(userModule, exportName);
  names = exportNames(userModule);
  instance = new FunctionInstance(handler, false, boot.hookTimeoutMs, guestLoop);
  initStartedAt = initStart;
}

/** After init settled (install.ts checked it did, without error). */
g.__snapstartAfterInit = (): string => {
  if (!handler) return JSON.stringify({ message: `no exported function '${boot.exportName}' (exports: ${names.join(', ') || 'none'})`, exportNames: names, missingExport: true });
  if (boot.mode === 'snapshot') {
    const hooks = settle(runBeforeSnapshotHooks());
    if (hooks.idle) return JSON.stringify({ message: 'before-snapshot hooks never finished' });
    if (hooks.error !== undefined) return JSON.stringify({ ...serializeError(hooks.error), hookError: true });
  }
  instance!.endInit(guest.monotonic() - initStartedAt);
  return '';
};

g.__snapstartGenerationChanged = (): void => {
  restored = true;
};

g.__snapstartHandle = (json: string): string => {
  const request = JSON.parse(json) as GuestRequest;
  setStubRules(request.stubs);
  instance!.configure(request.hookTimeoutMs);
  if (restored && request.reseedMathRandom) guest.reseedMathRandom();
  // After-restore hooks run once per generation change (the guest's only signal of a restore).
  const runHooks = restored;
  restored = false;
  instance!.armRestoreHooks(runHooks && boot.mode === 'snapshot');
  const outcome = settle(instance!.invoke(request));
  let response: InvokeResponse | { fatal: string };
  if (outcome.idle) {
    response = { fatal: 'the handler returned a promise that can never settle: no timer or pending job is left' };
  } else if (outcome.error !== undefined) {
    response = { fatal: `the guest runtime failed: ${serializeError(outcome.error).stack ?? serializeError(outcome.error).message}` };
  } else {
    response = outcome.value!;
  }
  return JSON.stringify(response);
};
