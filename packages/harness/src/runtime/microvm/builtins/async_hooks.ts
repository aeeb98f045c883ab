/**
 * AsyncLocalStorage for the guest: the store is set for the synchronous extent of run() and for
 * callbacks bound with AsyncResource. It does not follow `await` (there is no async hook in
 * Duktape); libraries that only read it synchronously inside run() behave as in Node.
 */
let current: { store: unknown } | undefined;

class AsyncLocalStorage<T> {
  private active = false;
  getStore(): T | undefined {
    return this.active && current ? (current.store as T) : undefined;
  }
  run<R>(store: T, fn: (...args: unknown[]) => R, ...args: unknown[]): R {
    const prev = current;
    const prevActive = this.active;
    current = { store };
    this.active = true;
    try {
      return fn(...args);
    } finally {
      current = prev;
      this.active = prevActive;
    }
  }
  enterWith(store: T): void {
    current = { store };
    this.active = true;
  }
  exit<R>(fn: (...args: unknown[]) => R, ...args: unknown[]): R {
    const prev = current;
    current = undefined;
    try {
      return fn(...args);
    } finally {
      current = prev;
    }
  }
  disable(): void {
    this.active = false;
  }
}

class AsyncResource {
  private readonly captured = current;
  constructor(readonly type: string) {}
  runInAsyncScope<R>(fn: (...args: unknown[]) => R, thisArg?: unknown, ...args: unknown[]): R {
    const prev = current;
    current = this.captured;
    try {
      return fn.apply(thisArg, args);
    } finally {
      current = prev;
    }
  }
  bind<F extends (...args: unknown[]) => unknown>(fn: F): F {
    return ((...args: unknown[]) => this.runInAsyncScope(fn, undefined, ...args)) as F;
  }
  static bind<F extends (...args: unknown[]) => unknown>(fn: F): F {
    return new AsyncResource('bound').bind(fn);
  }
}

export default { AsyncLocalStorage, AsyncResource, executionAsyncId: () => 1, triggerAsyncId: () => 0, createHook: () => ({ enable() {}, disable() {} }) };
