import { describe, expect, it } from 'vitest';
import { findDuplicates, looksUnique } from '../src/duplicates.js';
import type { CloneResult, TracedValue } from '../src/restore.js';

function clone(index: number, result: unknown, trace: TracedValue[] = []): CloneResult {
  return { index, status: 'ok', result, exitCode: 0, signal: null, stderr: '', stdout: '', wallMs: 1, trace };
}
const site = { file: 'src/handler.ts', line: 3, column: 1 };

describe('findDuplicates', () => {
  it('does not treat handler clocks that agree to the millisecond as duplicates', () => {
    const now: TracedValue = { api: 'Date.now', category: 'time', phase: 'invoke', value: '1700000000000', site };
    const dups = findDuplicates([clone(0, { at: 1700000000000 }, [now]), clone(1, { at: 1700000000000 }, [now])], []);
    expect(dups).toEqual([]);
  });

  it('reports an init timestamp that reaches every result', () => {
    const boot: TracedValue = { api: 'Date.now', category: 'time', phase: 'init', value: '1700000000000', site };
    const dups = findDuplicates([clone(0, { boot: 1700000000000 }), clone(1, { boot: 1700000000000 })], [boot]);
    expect(dups).toMatchObject([{ origin: 'init', category: 'time', paths: ['result.boot'], clones: [0, 1] }]);
  });

  it('ignores constants that every clone returns, and values only one clone has', () => {
    const dups = findDuplicates([clone(0, { group: 'myLogGroup', n: 1 }), clone(1, { group: 'myLogGroup', n: 2 })], []);
    expect(dups).toEqual([]);
  });

  it('ignores clones that crashed or timed out', () => {
    const id = '6f1c1a3e-7f2b-4c7e-9a55-0f4bd7cf1f0a';
    const crashed = { ...clone(1, { id }), status: 'crashed' as const };
    expect(findDuplicates([clone(0, { id }), crashed], [])).toEqual([]);
  });

  it('attributes a repeated handler value to the source that made it', () => {
    const v: TracedValue = { api: 'crypto.randomBytes', category: 'random', phase: 'invoke', value: 'ab12', site };
    const dups = findDuplicates([clone(0, { token: 'ab12' }, [v]), clone(1, { token: 'ab12' }, [v]), clone(2, { token: 'cd34' }, [])], []);
    expect(dups).toMatchObject([{ origin: 'handler', clones: [0, 1], paths: ['result.token'], site }]);
  });

  it('knows unique-looking values', () => {
    expect(looksUnique('6f1c1a3e-7f2b-4c7e-9a55-0f4bd7cf1f0a')).toBe(true);
    expect(looksUnique('9f86d081884c7d659a2feaa0c55ad015')).toBe(true);
    expect(looksUnique('V1StGXR8_Z5jdHi6B-myT')).toBe(true);
    expect(looksUnique('myLogGroup')).toBe(false);
    expect(looksUnique('Hello world!')).toBe(false);
  });
});
