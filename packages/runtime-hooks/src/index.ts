/**
 * Runtime hooks for snapshot/restore, safe in production code: registering a hook only stores
 * a function. Hooks run only when a snapshotting engine (the snapstart harness, or a platform
 * adapter) calls `runBeforeSnapshotHooks` / `runAfterRestoreHooks`; anywhere else they are inert.
 *
 * Ordering and failures follow CRaC, which Lambda's Java hooks use: before-snapshot hooks run in
 * reverse registration order, after-restore hooks in registration order; every hook runs even if
 * an earlier one throws, and the errors are collected into one `HookFailedError`.
 */

import { registry, type Hook } from './registry.js';

export type { Hook } from './registry.js';

export interface HookFailure {
  readonly phase: 'beforeSnapshot' | 'afterRestore';
  /** 0-based registration index of the hook. */
  readonly index: number;
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
}

export class HookFailedError extends Error {
  constructor(readonly failures: readonly HookFailure[]) {
    super(
      `${failures.length} ${failures[0]?.phase ?? ''} hook(s) failed:\n` +
        failures.map((f) => `  #${f.index} ${f.name}: ${f.message}`).join('\n'),
    );
    this.name = 'HookFailedError';
  }
}

export const DEFAULT_AFTER_RESTORE_TIMEOUT_MS = 10_000;

function assertFunction(fn: unknown, what: string): asserts fn is Hook {
  if (typeof fn !== 'function') throw new TypeError(`${what} expects a function, got ${fn === null ? 'null' : typeof fn}`);
}

/** Runs `fn` just before the snapshot is taken (after init). Returns a function that unregisters it. */
export function registerBeforeSnapshot(fn: Hook): () => void {
  assertFunction(fn, 'registerBeforeSnapshot');
  return add(registry().beforeSnapshot, fn);
}

/** Runs `fn` in every clone right after restore, before the first invocation. Returns an unregister function. */
export function registerAfterRestore(fn: Hook): () => void {
  assertFunction(fn, 'registerAfterRestore');
  return add(registry().afterRestore, fn);
}

function add(list: Hook[], fn: Hook): () => void {
  list.push(fn);
  return () => {
    const i = list.indexOf(fn);
    if (i >= 0) list.splice(i, 1);
  };
}

function failure(phase: HookFailure['phase'], index: number, fn: Hook, err: unknown): HookFailure {
  const e = err instanceof Error ? err : new Error(String(err));
  return { phase, index, name: fn.name || '(anonymous)', message: e.message, ...(e.stack ? { stack: e.stack } : {}) };
}

/** For engines: runs before-snapshot hooks in reverse registration order. Throws HookFailedError. */
export async function runBeforeSnapshotHooks(): Promise<void> {
  const hooks = [...registry().beforeSnapshot];
  const failures: HookFailure[] = [];
  for (let i = hooks.length - 1; i >= 0; i--) {
    const fn = hooks[i]!;
    try {
      await fn();
    } catch (err) {
      failures.push(failure('beforeSnapshot', i, fn, err));
    }
  }
  if (failures.length > 0) throw new HookFailedError(failures);
}

/**
 * For engines: runs after-restore hooks in registration order, all within `timeoutMs` in total
 * (Lambda allows 10 s for runtime load plus hooks). A hook still running at the limit fails with
 * a timeout; hooks after it do not start. Throws HookFailedError.
 */
export async function runAfterRestoreHooks(options: { timeoutMs?: number } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_AFTER_RESTORE_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  const hooks = [...registry().afterRestore];
  const failures: HookFailure[] = [];
  for (let i = 0; i < hooks.length; i++) {
    const fn = hooks[i]!;
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      failures.push({ phase: 'afterRestore', index: i, name: fn.name || '(anonymous)', message: `not started: the ${timeoutMs} ms limit for after-restore hooks was reached` });
      continue;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        Promise.resolve().then(fn),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out: after-restore hooks exceeded ${timeoutMs} ms`)), remaining);
        }),
      ]);
    } catch (err) {
      failures.push(failure('afterRestore', i, fn, err));
    } finally {
      if (timer) clearTimeout(timer);
    }
  }
  if (failures.length > 0) throw new HookFailedError(failures);
}

/** Number of registered hooks (for diagnostics and tests). */
export function registeredHookCounts(): { beforeSnapshot: number; afterRestore: number } {
  const r = registry();
  return { beforeSnapshot: r.beforeSnapshot.length, afterRestore: r.afterRestore.length };
}
