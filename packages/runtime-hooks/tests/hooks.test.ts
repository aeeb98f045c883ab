import { afterEach, describe, expect, it } from 'vitest';
import {
  HookFailedError,
  registerAfterRestore,
  registerBeforeSnapshot,
  registeredHookCounts,
  runAfterRestoreHooks,
  runBeforeSnapshotHooks,
} from '../src/index.js';
import { resetHooksForTesting } from '../src/testing.js';

afterEach(() => resetHooksForTesting());

describe('runtime-hooks', () => {
  it('runs before-snapshot hooks in reverse and after-restore hooks in registration order', async () => {
    const calls: string[] = [];
    registerBeforeSnapshot(() => void calls.push('b1'));
    registerBeforeSnapshot(async () => void calls.push('b2'));
    registerAfterRestore(() => void calls.push('a1'));
    registerAfterRestore(async () => void calls.push('a2'));
    await runBeforeSnapshotHooks();
    await runAfterRestoreHooks();
    expect(calls).toEqual(['b2', 'b1', 'a1', 'a2']);
  });

  it('runs every hook even when one throws, and reports each failure with its message and stack', async () => {
    const calls: string[] = [];
    registerAfterRestore(function first() {
      calls.push('first');
      throw new Error('boom');
    });
    registerAfterRestore(() => void calls.push('second'));
    registerAfterRestore(async function third() {
      throw new Error('async boom');
    });
    const err = await runAfterRestoreHooks().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HookFailedError);
    const failures = (err as HookFailedError).failures;
    expect(calls).toEqual(['first', 'second']);
    expect(failures.map((f) => [f.index, f.name, f.message])).toEqual([
      [0, 'first', 'boom'],
      [2, 'third', 'async boom'],
    ]);
    expect(failures[0]?.stack).toContain('boom');
  });

  it('fails a hook that outlives the time limit and does not start later hooks', async () => {
    let lateRan = false;
    registerAfterRestore(() => new Promise(() => {}));
    registerAfterRestore(() => {
      lateRan = true;
    });
    const err = (await runAfterRestoreHooks({ timeoutMs: 50 }).catch((e: unknown) => e)) as HookFailedError;
    expect(err.failures[0]?.message).toMatch(/timed out/);
    expect(err.failures[1]?.message).toMatch(/not started/);
    expect(lateRan).toBe(false);
  });

  it('is inert until an engine runs the hooks, and registration can be undone', async () => {
    let ran = false;
    const off = registerAfterRestore(() => {
      ran = true;
    });
    expect(ran).toBe(false);
    expect(registeredHookCounts()).toEqual({ beforeSnapshot: 0, afterRestore: 1 });
    off();
    await runAfterRestoreHooks();
    expect(ran).toBe(false);
  });

  it('rejects non-functions with a clear error', () => {
    expect(() => registerAfterRestore(42 as unknown as () => void)).toThrow('registerAfterRestore expects a function, got number');
  });
});
