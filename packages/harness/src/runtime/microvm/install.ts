// First module of the guest bundle: Node's globals, then the tracer and the fetch stub, before
// any user code evaluates. It also holds init's outcome, so that an init that throws before the
// rest of the runtime evaluated is still reported.
import { installFetch } from '../fetch.js';
import { serializeError } from '../protocol.js';
import { answeredByDefault, setStubRules, takeRequests } from '../stub.js';
import { installTracer } from '../tracer.js';
import { installGlobals } from './globals.js';
import { boot, guest } from './natives.js';

installGlobals();
installTracer();
installFetch();
setStubRules(boot.stubs ?? []);
export const initStart = guest.monotonic();

interface Loop {
  drain(settled: () => boolean): 'settled' | 'idle';
}
const g = globalThis as unknown as Record<string, unknown>;
const init: { settled: boolean; error?: unknown } = { settled: false };

/** Called by the bundle's async wrapper when init (top-level await included) settles. */
g.__snapstartInitSettled = (error?: unknown): void => {
  init.settled = true;
  if (error !== undefined) init.error = error ?? new Error('init rejected');
};

/** Called by the JavaScript guest after its scripts ran: '' when ready, else the error as JSON. */
g.__snapstartFinishInit = (): string => {
  const loop = g.__snapstartLoop as Loop;
  if (loop.drain(() => init.settled) === 'idle') {
    return JSON.stringify({ message: 'init never finished: its top-level await waits for something that can never happen (no timer or pending job is left)' });
  }
  if (init.error !== undefined) return JSON.stringify({ ...serializeError(init.error), defaultAnswered: answeredByDefault(takeRequests()) });
  const afterInit = g.__snapstartAfterInit as (() => string) | undefined;
  return afterInit ? afterInit() : JSON.stringify({ message: 'the guest runtime did not start' });
};
