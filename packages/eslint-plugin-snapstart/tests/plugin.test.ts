import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { docsUrl, rulesForEngine } from '@snapstart/core';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const ruleNames = Object.keys(plugin.rules);

describe('eslint-plugin-snapstart', () => {
  it('ships exactly the ESLint rules declared in @snapstart/core', () => {
    expect(ruleNames.sort()).toEqual(rulesForEngine('eslint').map((r) => r.id).sort());
  });

  it.each(ruleNames)('%s has a docs URL, a description and a doc page with wrong/right examples', (name) => {
    const rule = plugin.rules[name as keyof typeof plugin.rules];
    expect(rule.meta.docs?.url).toBe(docsUrl(name));
    expect(rule.meta.docs?.description.length).toBeGreaterThan(20);
    const page = join(repoRoot, 'docs/rules', `${name}.md`);
    expect(existsSync(page), `missing ${page}`).toBe(true);
    const text = readFileSync(page, 'utf8');
    expect(text).toContain(`# snapstart/${name}`);
    expect(text).toMatch(/## Incorrect/);
    expect(text).toMatch(/## Correct/);
    expect(text).toMatch(/## How to fix/);
  });

  it('the recommended config enables every rule and skips test files', () => {
    const recommended = plugin.configs.recommended;
    expect(Object.keys(recommended.rules ?? {}).sort()).toEqual(ruleNames.map((n) => `snapstart/${n}`).sort());
    expect(recommended.ignores).toContain('**/*.test.*');
    expect(recommended.plugins?.['snapstart']).toBe(plugin);
  });

  it('every rule option schema forbids unknown options', () => {
    for (const rule of Object.values(plugin.rules)) {
      const schema = rule.meta.schema as Array<{ additionalProperties?: boolean }>;
      expect(schema[0]?.additionalProperties).toBe(false);
    }
  });
});
