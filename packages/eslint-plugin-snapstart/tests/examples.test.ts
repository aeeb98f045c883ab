import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import tsParser from '@typescript-eslint/parser';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');

/** What the recommended config must find in each example; fixed versions must be clean. */
const EXPECTED: Record<string, string[]> = {
  'examples/log-stream/handler.ts': ['9 snapstart/no-init-entropy-cache', '9 snapstart/no-init-uuid'],
  'examples/log-stream/handler.fixed.ts': [],
  'examples/log-stream/handler.after-restore.ts': [],
  'examples/entropy-cache/handler.ts': ['6 snapstart/no-init-entropy-cache'],
  'examples/entropy-cache/handler.fixed.ts': [],
  'examples/session-tokens/handler.cjs': ['5 snapstart/no-init-random', '6 snapstart/no-init-random', '7 snapstart/no-init-time'],
  'examples/session-tokens/handler.fixed.cjs': [],
  'examples/self-seeded-prng/handler.ts': ['4 snapstart/no-init-random', '4 snapstart/no-init-time'],
  'examples/self-seeded-prng/handler.fixed.ts': [],
  'examples/dynamodb-writer/handler.ts': ['9 snapstart/no-init-entropy-cache', '9 snapstart/no-init-uuid'],
  'examples/dynamodb-writer/handler.fixed.ts': [],
  'examples/request-nonce/handler.ts': [],
  // A known limit, stated in docs/analysis.md: Node crypto called in the handler is not reported.
  // It is fresh per restore of a V8 startup snapshot but repeats after a whole-VM restore, which the
  // harness's linux engine proves on index.mjs (packages/harness/tests/linux/examples.test.ts).
  'examples/node-linux-crypto/index.mjs': [],
  'examples/node-linux-crypto/fixed.mjs': [],
};

describe('recommended config over examples/ (real ESLint class)', () => {
  it('finds exactly the known bugs and nothing in the fixed versions', async () => {
    const eslint = new ESLint({
      cwd: repoRoot,
      overrideConfigFile: true,
      overrideConfig: [
        { files: ['**/*.ts'], languageOptions: { parser: tsParser } },
        plugin.configs.recommended as ESLint.Options['overrideConfig'] & object,
      ],
    });
    const results = await eslint.lintFiles(['examples/']);
    const found: Record<string, string[]> = {};
    for (const result of results) {
      const file = relative(repoRoot, result.filePath).replaceAll('\\', '/');
      if (!(file in EXPECTED)) continue;
      found[file] = result.messages.map((m) => `${m.line} ${m.ruleId}`).sort();
      expect(result.messages.filter((m) => m.fatal)).toEqual([]);
    }
    expect(found).toEqual(EXPECTED);
  });

  it('--fix makes the entropy-cache example clean for that rule', async () => {
    const eslint = new ESLint({
      cwd: repoRoot,
      fix: true,
      overrideConfigFile: true,
      overrideConfig: [
        { files: ['**/*.ts'], languageOptions: { parser: tsParser } },
        plugin.configs.recommended as ESLint.Options['overrideConfig'] & object,
      ],
    });
    // lintFiles with fix: true computes fixes in memory; nothing is written unless outputFixes is called.
    const [result] = await eslint.lintFiles(['examples/entropy-cache/handler.ts']);
    expect(result?.output).toContain('randomUUID({ disableEntropyCache: true })');
    expect(result?.messages).toEqual([]);
  });
});
