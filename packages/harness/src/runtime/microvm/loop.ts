/**
 * The guest's event loop, the first script in the guest (before core-js, so that core-js's
 * Promise schedules its jobs on this microtask queue). Duktape has no timers or job queue of its
 * own: the runtime drains them here, within each invocation, like a Lambda execution environment
 * that freezes between invocations. Waiting for a timer spins on the clock page (no exit).
 */
import { guest } from './natives.js';

type Task = () => void;
interface Timer {
  id: number;
  due: number;
  seq: number;
  fn: (...args: unknown[]) => void;
  args: unknown[];
  repeat?: number;
  immediate?: boolean;
  /** The async resource it was scheduled in (guest async_hooks), when anything tracks them. */
  frame?: unknown;
}

/** The guest runtime's async_hooks (installed after the preludes), when present. */
interface AsyncTracking {
  createFrame(type: string, resource: object): unknown;
  runInFrame(frame: unknown, fn: () => unknown, done: boolean): unknown;
}
const asyncTracking = (): AsyncTracking | undefined => (globalThis as unknown as { __snapstartAsync?: AsyncTracking }).__snapstartAsync;

const microtasks: Task[] = [];
const timers: Timer[] = [];
let nextId = 1;
let seq = 0;
const uncaught: unknown[] = [];

function reportUncaught(err: unknown): void {
  uncaught.push(err);
  const text = err && typeof err === 'object' && 'stack' in err ? String(err.stack) : String(err);
  guest.print(`uncaught exception in a scheduled task: ${text}\n`);
}

function queueMicrotask(fn: Task): void {
  if (typeof fn !== 'function') throw new TypeError('queueMicrotask: the callback must be a function');
  microtasks.push(fn);
}

/** What Node's timers return: usable as a number, with ref/unref. */
class TimerHandle {
  constructor(readonly id: number) {}
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  hasRef(): boolean {
    return true;
  }
  refresh(): this {
    const t = find(this.id);
    if (t) t.due = guest.now() + (t.repeat ?? 0);
    return this;
  }
  valueOf(): number {
    return this.id;
  }
  toString(): string {
    return String(this.id);
  }
}

function find(id: number): Timer | undefined {
  for (const t of timers) if (t.id === id) return t;
  return undefined;
}

function add(fn: unknown, delay: unknown, args: unknown[], repeat: boolean, immediate = false): TimerHandle {
  if (typeof fn !== 'function') throw new TypeError('the callback must be a function');
  const ms = Math.max(0, Number(delay) || 0);
  const id = nextId++;
  const handle = new TimerHandle(id);
  const frame = asyncTracking()?.createFrame(immediate ? 'Immediate' : 'Timeout', handle);
  timers.push({ id, due: guest.now() + ms, seq: seq++, fn: fn as Timer['fn'], args, ...(repeat ? { repeat: Math.max(1, ms) } : {}), ...(immediate ? { immediate } : {}), ...(frame ? { frame } : {}) });
  return handle;
}

function clear(handle: unknown): void {
  const id = handle instanceof TimerHandle ? handle.id : Number(handle);
  for (let i = 0; i < timers.length; i++) {
    if (timers[i]!.id === id) {
      timers.splice(i, 1);
      return;
    }
  }
}

function earliest(): number {
  let best = -1;
  for (let i = 0; i < timers.length; i++) {
    const t = timers[i]!;
    const b = best < 0 ? undefined : timers[best]!;
    if (!b || (t.immediate && !b.immediate) || (t.immediate === b.immediate && (t.due < b.due || (t.due === b.due && t.seq < b.seq)))) best = i;
  }
  return best;
}

export function runMicrotasks(): void {
  while (microtasks.length) {
    const task = microtasks.shift()!;
    try {
      task();
    } catch (err) {
      reportUncaught(err);
    }
  }
}

/**
 * Runs jobs and timers until `settled()` holds. Returns 'idle' when nothing is left that could
 * ever make it hold (no job, no timer): a promise that can never settle.
 */
export function drain(settled: () => boolean): 'settled' | 'idle' {
  for (;;) {
    runMicrotasks();
    if (settled()) return 'settled';
    const i = earliest();
    if (i < 0) return 'idle';
    const t = timers[i]!;
    if (!t.immediate && t.due > guest.now()) guest.sleepUntil(t.due);
    if (t.repeat !== undefined) {
      t.due = Math.max(t.due + t.repeat, guest.now());
      t.seq = seq++;
    } else {
      timers.splice(i, 1);
    }
    try {
      const tracking = t.frame ? asyncTracking() : undefined;
      if (tracking) tracking.runInFrame(t.frame, () => t.fn(...t.args), t.repeat === undefined);
      else t.fn(...t.args);
    } catch (err) {
      reportUncaught(err);
    }
  }
}

export function takeUncaught(): unknown[] {
  return uncaught.splice(0);
}

const g = globalThis as unknown as Record<string, unknown>;
g.queueMicrotask = queueMicrotask;
g.setTimeout = (fn: unknown, ms?: unknown, ...args: unknown[]) => add(fn, ms, args, false);
g.setInterval = (fn: unknown, ms?: unknown, ...args: unknown[]) => add(fn, ms, args, true);
g.setImmediate = (fn: unknown, ...args: unknown[]) => add(fn, 0, args, false, true);
g.clearTimeout = clear;
g.clearInterval = clear;
g.clearImmediate = clear;
/** Timers still to run (what `callbackWaitsForEmptyEventLoop` waits for). */
export function pending(): number {
  return timers.length;
}

g.__snapstartLoop = { drain, runMicrotasks, takeUncaught, pending };
