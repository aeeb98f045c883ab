// src/rules/ holds one rule per Java rule id of RULES, and each reads its metadata from there.
import { RULES } from '@snapstart/core';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JAVA_RULES } from '../../src/rules/index.js';

describe('Java rules and RULES', () => {
  it('one rule per Java rule id of RULES, and one file per rule id', () => {
    const ids = Object.values(RULES).filter((r) => r.engine === 'java').map((r) => r.id).sort();
    expect(JAVA_RULES.map((r) => r.meta.id).sort()).toEqual(ids);
    const files = readdirSync(new URL('../../src/rules/', import.meta.url)).filter((f) => !['index.ts', 'rule.ts', 'init-value.ts'].includes(f));
    expect(files.map((f) => `java/${f.replace(/\.ts$/, '')}`).sort()).toEqual(ids);
    // And one test file per rule id here.
    const tests = readdirSync(new URL('./', import.meta.url)).filter((f) => f !== 'rules.test.ts');
    expect(tests.map((f) => `java/${f.replace(/\.test\.ts$/, '')}`).sort()).toEqual(ids);
  });

  it('each rule carries the metadata of its RULES entry', () => {
    for (const rule of JAVA_RULES) expect(rule.meta).toBe(RULES[rule.meta.id as keyof typeof RULES]);
  });
});
