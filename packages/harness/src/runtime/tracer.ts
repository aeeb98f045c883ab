/**
 * Runs inside the snapshot (bundled ahead of the user's code): wraps every entropy and clock
 * source so that each value it produces is recorded with its call stack and phase. The wrappers
 * are plain JS functions, so they survive into every restored clone along with the heap.
 */
import type { Category } from '@snapstart/core';
import * as nodeCrypto from 'node:crypto';
import type { Phase, TraceEntry } from './protocol.js';

let entries: TraceEntry[] = [];
let phase: Phase = 'init';
/** The clock before the tracer wraps it: the runtime's own timing must not show up as values. */
export const realNow: () => number = Date.now.bind(Date);
export const realPerformanceNow: () => number = performance.now.bind(performance);
let busy = false;
const MAX_ENTRIES = 10_000; // per phase
const MAX_VALUE_CHARS = 128;

export function setPhase(next: Phase): void {
  phase = next;
}

/** Ends the current phase: returns (and forgets) the values recorded in it. */
export function takeTrace(): TraceEntry[] {
  const out = entries;
  entries = [];
  return out;
}

function toHex(bytes: ArrayBufferView): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').slice(0, MAX_VALUE_CHARS);
}

/**
 * `file:line:column` frames of the current stack, innermost first. V8 (node engine) captures them
 * without the tracer's own frames; Duktape (microvm engine) has no captureStackTrace and gives
 * lines without columns, reported as column 0 (the source map then uses the whole line).
 */
/** Any function (what captureStackTrace cuts the stack at): every function is assignable to it. */
type Callable = (...args: never[]) => unknown;

function frames(skip: Callable): string[] {
  const out: string[] = [];
  const capture = (Error as { captureStackTrace?: (o: object, f: Callable) => void }).captureStackTrace;
  if (typeof capture === 'function') {
    const holder: { stack?: string } = {};
    // The snapshot builder runs without a stack trace limit; ask for enough frames explicitly.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 40;
    capture(holder, skip);
    Error.stackTraceLimit = limit;
    for (const line of (holder.stack ?? '').split('\n').slice(1)) {
      const m = /\(?([^\s()]+):(\d+):(\d+)\)?\s*$/.exec(line.trim());
      if (m) out.push(`${m[1]}:${m[2]}:${m[3]}`);
      if (out.length >= 30) break;
    }
    return out;
  }
  for (const line of (new Error().stack ?? '').split('\n').slice(1)) {
    const m = /\(([^()]+):(\d+)\)/.exec(line);
    if (m) out.push(`${m[1]}:${m[2]}:0`);
    if (out.length >= 30) break;
  }
  return out;
}

function record(api: string, category: Category, value: string, skip: Callable, cached?: boolean): void {
  if (busy || entries.length >= MAX_ENTRIES) return;
  busy = true;
  try {
    entries.push({ api, category, phase, value, frames: frames(skip), ...(cached ? { cached } : {}) });
  } finally {
    busy = false;
  }
}

type AnyFn = (...args: never[]) => unknown;

/** Replaces `obj[name]` by a wrapper that records what `describe` makes of each result. */
function wrap<T extends object>(
  obj: T,
  name: string,
  api: string,
  category: Category,
  describe: (result: unknown, args: unknown[]) => string | undefined,
  isCached?: (args: unknown[]) => boolean,
): void {
  const original = (obj as Record<string, unknown>)[name];
  if (typeof original !== 'function') return;
  // Some properties are locked (node:crypto's getRandomValues delegates to Web Crypto's, which is
  // wrapped on its own). Tracing must never break the user's init, so skip what cannot be replaced.
  const descriptor = Object.getOwnPropertyDescriptor(obj, name);
  if (descriptor && !descriptor.configurable && !descriptor.writable) return;
  const fn = original as AnyFn;
  const wrapper = function (this: unknown, ...args: unknown[]): unknown {
    const result: unknown = Reflect.apply(fn, this, args);
    const value = describe(result, args);
    if (value !== undefined) record(api, category, value, wrapper, isCached?.(args));
    return result;
  };
  Object.defineProperty(wrapper, 'name', { value: name });
  if (!descriptor || descriptor.configurable) {
    Object.defineProperty(obj, name, { value: wrapper, writable: true, configurable: true, enumerable: descriptor?.enumerable ?? true });
  } else {
    (obj as Record<string, unknown>)[name] = wrapper;
  }
}

const asString = (r: unknown): string => String(r).slice(0, MAX_VALUE_CHARS);
const asBytes = (r: unknown): string | undefined => (ArrayBuffer.isView(r) ? toHex(r) : undefined);
const uuidCached = (args: unknown[]): boolean => {
  const options = args[0] as { disableEntropyCache?: boolean } | undefined;
  return !(options && options.disableEntropyCache === true);
};

let installed = false;

export function installTracer(): void {
  if (installed) return;
  installed = true;
  // node:crypto. The bundle reads properties of the module object at call time, so patching the
  // exports object covers named, namespace and default imports and require().
  const c = nodeCrypto as unknown as Record<string, unknown>;
  const target = (c['default'] as object | undefined) ?? nodeCrypto;
  wrap(target, 'randomUUID', 'crypto.randomUUID', 'uuid', asString, uuidCached);
  wrap(target, 'randomBytes', 'crypto.randomBytes', 'random', (r, args) => (typeof args[1] === 'function' ? undefined : asBytes(r)));
  wrap(target, 'randomFillSync', 'crypto.randomFillSync', 'random', asBytes);
  wrap(target, 'randomInt', 'crypto.randomInt', 'random', (r) => (typeof r === 'number' ? String(r) : undefined));
  wrap(target, 'getRandomValues', 'crypto.getRandomValues', 'random', asBytes);
  // Web Crypto (globalThis.crypto): methods need their receiver, which wrap() preserves.
  const web = (globalThis as { crypto?: object }).crypto;
  if (web) {
    wrap(web, 'randomUUID', 'crypto.randomUUID (Web Crypto)', 'uuid', asString, () => true);
    wrap(web, 'getRandomValues', 'crypto.getRandomValues (Web Crypto)', 'random', asBytes);
  }
  wrap(Math, 'random', 'Math.random', 'random', asString);
  wrap(Date, 'now', 'Date.now', 'time', asString);
  if (typeof performance !== 'undefined') wrap(performance, 'now', 'performance.now', 'time', asString);

  // new Date() without arguments reads the clock. A constructor function that returns real Date
  // objects (not a subclass: ES5-lowered subclasses of Date break in the microvm guest), sharing
  // Date's prototype so instanceof keeps working; calling Date() still returns a string.
  const OriginalDate = Date;
  function TracedDate(this: unknown, ...args: unknown[]): Date | string {
    if (!(this instanceof TracedDate)) return (OriginalDate as unknown as () => string)();
    const d = args.length === 0 ? new OriginalDate() : new (OriginalDate as unknown as new (...a: unknown[]) => Date)(...args);
    if (args.length === 0) record('new Date()', 'time', d.toISOString(), TracedDate);
    return d;
  }
  TracedDate.prototype = OriginalDate.prototype;
  for (const key of ['now', 'parse', 'UTC'] as const) (TracedDate as unknown as Record<string, unknown>)[key] = OriginalDate[key].bind(OriginalDate);
  (globalThis as { Date: DateConstructor }).Date = TracedDate as unknown as DateConstructor;
}
