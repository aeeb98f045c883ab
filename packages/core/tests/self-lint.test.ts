/**
 * The project lints its own code: typescript-eslint's type-checked rules over every package's src folder, with
 * the repository's eslint.config.js (the same as `npm run lint`). A rule is only ever turned off
 * there with a written reason.
 */
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('self-lint', () => {
  it('packages/*/src has no lint error (npm run lint)', async () => {
    const eslint = new ESLint({ cwd: repo });
    const results = await eslint.lintFiles(['packages/*/src/**/*.ts']);
    const problems = results.flatMap((r) => r.messages.map((m) => `${relative(repo, r.filePath)}:${m.line}:${m.column} ${m.ruleId ?? ''} ${m.message}`));
    expect(results.length).toBeGreaterThan(100);
    expect(problems).toEqual([]);
  }, 300_000);
});
