import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, runCli } from './helpers.js';

const ENTROPY = `import { randomUUID } from 'node:crypto';\nconsole.log('cold start', randomUUID());\nexport const handler = async () => ({ id: randomUUID() });\n`;
const FIXED = `import { randomUUID } from 'node:crypto';\nconsole.log('cold start', randomUUID({ disableEntropyCache: true }));\nexport const handler = async () => ({ id: randomUUID() });\n`;
// A directive comment sends the file through ESLint: its fix must be applied there too.
const WITH_DIRECTIVE = `import { randomUUID } from 'node:crypto';\n// eslint-disable-next-line snapstart/no-init-time\nconst t = Date.now();\nconsole.log(t, randomUUID());\nexport const handler = async () => t;\n`;

interface Report {
  findings: Array<{ file: string; ruleId: string }>;
}

describe('--fix', () => {
  it('applies snapstart autofixes, reports what is left, and touches nothing without --fix', async () => {
    const repo = makeRepo({ 'a.ts': ENTROPY, 'b.mjs': WITH_DIRECTIVE, 'clean.ts': FIXED });
    try {
      const before = statSync(join(repo.dir, 'clean.ts')).mtimeMs;
      const dry = await runCli(['-f', 'json'], repo.dir);
      expect((JSON.parse(dry.stdout) as Report).findings.map((f) => `${f.file} ${f.ruleId}`)).toEqual([
        'a.ts snapstart/no-init-entropy-cache',
        'b.mjs snapstart/no-init-entropy-cache',
      ]);
      expect(readFileSync(join(repo.dir, 'a.ts'), 'utf8')).toBe(ENTROPY);

      const run = await runCli(['-f', 'json', '--fix'], repo.dir);
      expect(run.code).toBe(0);
      expect((JSON.parse(run.stdout) as Report).findings).toEqual([]);
      expect(run.stderr).toContain('--fix rewrote 2 files');
      expect(readFileSync(join(repo.dir, 'a.ts'), 'utf8')).toBe(FIXED);
      expect(readFileSync(join(repo.dir, 'b.mjs'), 'utf8')).toBe(WITH_DIRECTIVE.replace('randomUUID())', 'randomUUID({ disableEntropyCache: true }))'));
      expect(statSync(join(repo.dir, 'clean.ts')).mtimeMs).toBe(before);
    } finally {
      repo.cleanup();
    }
  });

  it('applies no other rule\'s fix with --use-eslint-config', async () => {
    const repo = makeRepo({
      'package.json': JSON.stringify({ type: 'module' }),
      'eslint.config.js': `export default [{ rules: { 'no-var': 'error', 'prefer-const': 'error' } }];\n`,
      'a.js': `import { randomUUID } from 'node:crypto';\nvar x = 1;\nlet y = 2;\nconsole.log(x, y, randomUUID());\nexport const handler = () => x + y;\n`,
    });
    try {
      const run = await runCli(['-f', 'json', '--fix', '--use-eslint-config'], repo.dir);
      expect(run.stderr).toContain('--fix rewrote 1 file');
      // snapstart's fix is applied; \`no-var\` and \`prefer-const\` would have rewritten the two declarations.
      expect(readFileSync(join(repo.dir, 'a.js'), 'utf8')).toBe(
        `import { randomUUID } from 'node:crypto';\nvar x = 1;\nlet y = 2;\nconsole.log(x, y, randomUUID({ disableEntropyCache: true }));\nexport const handler = () => x + y;\n`,
      );
    } finally {
      repo.cleanup();
    }
  });
});
