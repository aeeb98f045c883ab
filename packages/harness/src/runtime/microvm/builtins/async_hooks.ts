/**
 * `async_hooks` for the guest: async resources, `createHook` (init/before/after/destroy) and
 * AsyncLocalStorage, following the guest's asynchronous work as Node does. Duktape has no async
 * hooks of its own, so the points where work is deferred are instrumented instead: every
 * `Promise.prototype.then` (what `await` lowers to) and every timer (the guest's event loop calls
 * `__snapstartAsync` when it schedules and runs one). Each deferral is an async resource: it is
 * created (`init`, with the current execution as trigger) where it is scheduled and entered
 * (`before`/`after`, then `destroy`) when its callback runs, with the AsyncLocalStorage stores of
 * its creation. So cls-hooked (X-Ray, Powertools Tracer) and AsyncLocalStorage keep their
 * context across `await` and timers, as in Node. Work the guest does not see (a native callback)
 * runs in the context current at that moment.
 */
type HookCallbacks = {
  init?: (asyncId: number, type: string, triggerAsyncId: number, resource: object) => void;
  before?: (asyncId: number) => void;
  after?: (asyncId: number) => void;
  destroy?: (asyncId: number) => void;
  promiseResolve?: (asyncId: number) => void;
};

/** The AsyncLocalStorage stores in effect: an immutable map, replaced on every change. */
type Stores = ReadonlyMap<AsyncLocalStorage<unknown>, unknown>;

/** An async resource as the guest tracks it. */
export interface AsyncFrame {
  readonly asyncId: number;
  readonly triggerAsyncId: number;
  readonly stores: Stores;
}

let nextAsyncId = 2;
let executionId = 1;
let triggerId = 0;
let stores: Stores = new Map();
const enabled: HookCallbacks[] = [];
/** Whether anything needs frames at all (an enabled hook or a store): otherwise deferrals cost nothing. */
let tracking = false;

function emit(kind: 'init' | 'before' | 'after' | 'destroy', ...args: unknown[]): void {
  for (const hook of enabled.slice()) {
    const fn = hook[kind] as ((...a: unknown[]) => void) | undefined;
    // As in Node, a hook callback that throws is fatal to the process; in the guest, to the invocation.
    if (fn) fn(...args);
  }
}

/** Creates an async resource where work is scheduled (undefined when nothing tracks them). */
export function createFrame(type: string, resource: object): AsyncFrame | undefined {
  if (!tracking) return undefined;
  const frame = { asyncId: nextAsyncId++, triggerAsyncId: executionId, stores };
  emit('init', frame.asyncId, type, executionId, resource);
  return frame;
}

/** Runs a deferred callback inside its resource (before, callback, after; `destroy` when it is done for good). */
export function runInFrame<R>(frame: AsyncFrame | undefined, fn: () => R, done = true): R {
  if (!frame) return fn();
  const saved = { executionId, triggerId, stores };
  executionId = frame.asyncId;
  triggerId = frame.triggerAsyncId;
  stores = frame.stores;
  emit('before', frame.asyncId);
  try {
    return fn();
  } finally {
    emit('after', frame.asyncId);
    if (done) emit('destroy', frame.asyncId);
    executionId = saved.executionId;
    triggerId = saved.triggerId;
    stores = saved.stores;
  }
}

export class AsyncHook {
  constructor(private readonly callbacks: HookCallbacks) {}
  enable(): this {
    if (enabled.indexOf(this.callbacks) < 0) enabled.push(this.callbacks);
    tracking = true;
    return this;
  }
  disable(): this {
    const i = enabled.indexOf(this.callbacks);
    if (i >= 0) enabled.splice(i, 1);
    return this;
  }
}

export function createHook(callbacks: HookCallbacks): AsyncHook {
  return new AsyncHook(callbacks);
}

export function executionAsyncId(): number {
  return executionId;
}

export function triggerAsyncId(): number {
  return triggerId;
}

export class AsyncLocalStorage<T> {
  getStore(): T | undefined {
    return stores.get(this) as T | undefined;
  }
  run<R>(store: T, fn: (...args: unknown[]) => R, ...args: unknown[]): R {
    tracking = true;
    const saved = stores;
    const next = new Map(stores);
    next.set(this, store);
    stores = next;
    try {
      return fn(...args);
    } finally {
      stores = saved;
    }
  }
  enterWith(store: T): void {
    tracking = true;
    const next = new Map(stores);
    next.set(this, store);
    stores = next;
  }
  exit<R>(fn: (...args: unknown[]) => R, ...args: unknown[]): R {
    const saved = stores;
    const next = new Map(stores);
    next.delete(this);
    stores = next;
    try {
      return fn(...args);
    } finally {
      stores = saved;
    }
  }
  disable(): void {
    const next = new Map(stores);
    next.delete(this);
    stores = next;
  }
  static bind<F extends (...args: unknown[]) => unknown>(fn: F): F {
    return AsyncResource.bind(fn);
  }
  static snapshot(): <R>(fn: (...args: unknown[]) => R, ...args: unknown[]) => R {
    const resource = new AsyncResource('AsyncLocalStorageSnapshot');
    return (fn, ...args) => resource.runInAsyncScope(fn, undefined, ...args);
  }
}

export class AsyncResource {
  private readonly frame: AsyncFrame;
  constructor(readonly type: string) {
    this.frame = { asyncId: nextAsyncId++, triggerAsyncId: executionId, stores };
    emit('init', this.frame.asyncId, type, executionId, this);
  }
  asyncId(): number {
    return this.frame.asyncId;
  }
  triggerAsyncId(): number {
    return this.frame.triggerAsyncId;
  }
  runInAsyncScope<R>(fn: (...args: unknown[]) => R, thisArg?: unknown, ...args: unknown[]): R {
    return runInFrame(this.frame, () => fn.apply(thisArg, args), false);
  }
  emitDestroy(): this {
    emit('destroy', this.frame.asyncId);
    return this;
  }
  bind<F extends (...args: unknown[]) => unknown>(fn: F): F {
    return ((...args: unknown[]) => this.runInAsyncScope(fn, undefined, ...args)) as F;
  }
  static bind<F extends (...args: unknown[]) => unknown>(fn: F, type = 'bound-anonymous-fn'): F {
    return new AsyncResource(type).bind(fn);
  }
}

/**
 * Instruments the guest's deferrals: `Promise.prototype.then` here, timers through the event loop
 * (which calls `globalThis.__snapstartAsync`). Called once, after core-js installed its Promise.
 */
export function installAsyncTracking(): void {
  const g = globalThis as unknown as Record<string, unknown>;
  g.__snapstartAsync = { createFrame, runInFrame };
  const proto = (g.Promise as { prototype: { then: (this: unknown, onFulfilled?: unknown, onRejected?: unknown) => unknown } }).prototype;
  const then = proto.then;
  proto.then = function tracedThen(this: unknown, onFulfilled?: unknown, onRejected?: unknown): unknown {
    const frame = createFrame('PROMISE', this as object);
    if (!frame) return then.call(this, onFulfilled, onRejected);
    const wrap = (fn: unknown): unknown =>
      typeof fn === 'function' ? (value: unknown) => runInFrame(frame, () => (fn as (v: unknown) => unknown)(value)) : fn;
    return then.call(this, wrap(onFulfilled), wrap(onRejected));
  };
}

export default { AsyncLocalStorage, AsyncResource, AsyncHook, createHook, executionAsyncId, triggerAsyncId };
