import { describe, expect, it } from 'vitest';
import { toHaveNoDuplicates } from '../src/matchers.js';
import type { HarnessRun } from '../src/types.js';

function run(duplicates: HarnessRun['duplicates'], statuses: Array<'ok' | 'timeout'> = ['ok', 'ok']): HarnessRun {
  return {
    schemaVersion: 2,
    entry: 'x.ts',
    exportName: 'handler',
    engine: 'node',
    invocations: 1,
    initTrace: [],
    init: { trace: [], logs: [], requests: [] },
    duplicates,
    sequences: [],
    coldStarts: [],
    timings: { initMs: 1, bundleMs: 1, snapshotMs: 1, restoreMs: 1, coldMs: 0, blobBytes: 1 },
    clones: statuses.map((status, index) => ({
      kind: 'clone' as const, index, status, exitCode: 0, signal: null, stderr: '', stdout: '', wallMs: 1, trace: [], invocations: [], startedAt: 0,
      ...(status === 'ok' ? {} : { error: { message: 'no result within 10 ms; the clone was killed' } }),
    })),
  };
}

describe('toHaveNoDuplicates (shared by vitest and jest)', () => {
  it('passes with no duplicates and every clone answering', () => {
    expect(toHaveNoDuplicates(run([])).pass).toBe(true);
  });

  it('fails listing each duplicate and each failed clone', () => {
    const result = toHaveNoDuplicates(
      run([{ value: 'abc', category: 'uuid', clones: [0, 1], invocations: [0], origin: 'init', paths: [], detectedBy: 'trace', explanation: 'created during init at x.ts:1 (crypto.randomUUID)' }], ['ok', 'timeout']),
    );
    expect(result.pass).toBe(false);
    expect(result.message()).toBe(
      'expected no duplicated values across clones:\n' +
        '  abc (uuid) in 2/2 clones: created during init at x.ts:1 (crypto.randomUUID)\n' +
        '  clone 1 timeout: no result within 10 ms; the clone was killed',
    );
  });

  it('registers on a global jest-style expect', async () => {
    // jest exposes `expect` as a global with the same `extend` contract; vitest's can stand in for it.
    (globalThis as { expect?: unknown }).expect = expect;
    try {
      await import('../src/jest.js');
      expect(run([])).toHaveNoDuplicates();
      expect(() => expect(run([], ['ok', 'timeout'])).toHaveNoDuplicates()).toThrow(/clone 1 timeout/);
    } finally {
      delete (globalThis as { expect?: unknown }).expect;
    }
  });
});
