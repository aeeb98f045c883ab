import { RENAMED_RULE_IDS, type Finding } from '@snapstart/core';
import { describe, expect, it } from 'vitest';
import { fingerprintFile } from '../src/report/fingerprint.js';

const finding = (ruleId: string): Finding => ({
  ruleId,
  category: 'uuid',
  severity: 'error',
  file: 'src/main/java/app/H.java',
  line: 2,
  column: 3,
  message: '`id` is assigned a value derived from `UUID.randomUUID()` during init',
  initPath: [],
});
const LINES = ['public class H {', '  private final UUID id = UUID.randomUUID();', '}'];

describe('fingerprints', () => {
  it.each(Object.entries(RENAMED_RULE_IDS))('a finding of %s (its id before the 0.1 rename) keeps its fingerprint as %s', (old, renamed) => {
    // A finding an earlier build reported under the old id: what its baseline entry holds.
    const [before] = fingerprintFile([finding(old)], LINES, 'java');
    const [after] = fingerprintFile([finding(renamed)], LINES, 'java');
    expect(after!.lineHash).toBe(before!.lineHash);
    expect(after!.fingerprint).toBe(before!.fingerprint);
  });

  it('tells rules apart on the same line', () => {
    const [uuid] = fingerprintFile([finding('java/no-init-uuid')], LINES, 'java');
    const [random] = fingerprintFile([finding('java/no-init-random')], LINES, 'java');
    expect(uuid!.fingerprint).not.toBe(random!.fingerprint);
  });
});
