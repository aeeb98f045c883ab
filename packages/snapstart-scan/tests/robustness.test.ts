import { execSync, spawn } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, JAVA_BUG, makeRepo, runCli, TS_BUG } from './helpers.js';

interface Report {
  findings: Array<{ file: string; line: number; ruleId: string }>;
  diagnostics: Array<{ file: string; line?: number; message: string }>;
  stats: { files: number };
}

const isRoot = process.getuid?.() === 0;

describe('snapstart-scan robustness: one bad file never stops a scan', () => {
  it('reports broken and looping symlinks, binary, oversized and unparsable files, and goes on', async () => {
    const repo = makeRepo({
      'snapstart.config.json': JSON.stringify({ maxFileSize: 4096 }),
      'src/good.ts': TS_BUG,
      'src/dangling.ts': { symlink: 'does-not-exist.ts' },
      'src/loop': { symlink: '..' },
      'src/self.ts': { symlink: 'self.ts' },
      'src/image.ts': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0x49, 0x48]),
      'src/huge.js': `// generated\n${'x'.repeat(10_000)}\n`,
      'src/broken.ts': 'export const handler = () => Math.random(\n',
      'java/Broken.java': 'package app;\nclass A {}\npackage other;\nimport java.util.UUID;\n',
      'java/H.java': JAVA_BUG,
      'src/linked-good.ts': { symlink: 'good.ts' },
    });
    try {
      const run = await runCli(['-f', 'json'], repo.dir);
      expect(run.code).toBe(1);
      const report = JSON.parse(run.stdout) as Report;
      expect(report.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual([
        'java/H.java:6 java/no-init-uuid',
        'src/good.ts:2 snapstart/no-init-uuid',
      ]);
      expect(report.diagnostics).toEqual([
        { file: 'java/Broken.java', line: 3, column: 1, message: 'cannot parse: redundant input, expecting EOF but found: package' },
        { file: 'src/broken.ts', line: 2, column: 1, message: "cannot parse: Parsing error: ')' expected." },
        { file: 'src/dangling.ts', message: 'skipped: broken symbolic link (ENOENT)' },
        { file: 'src/huge.js', message: 'skipped: 0.0 MiB is over the 0.0 MiB limit (maxFileSize)' },
        { file: 'src/image.ts', message: 'skipped: binary file (contains NUL bytes), not source code' },
        { file: 'src/loop', message: 'skipped: symbolic link loop (points to a directory that contains it)' },
        { file: 'src/self.ts', message: 'skipped: symbolic link loop' },
      ]);
      const stylish = await runCli([], repo.dir);
      expect(stylish.stdout).toContain('7 file problems (not scanned, or scanned in part):');
      expect(stylish.stdout).toContain('  src/image.ts  skipped: binary file');
    } finally {
      repo.cleanup();
    }
  });

  it('turns a crash inside one file (a rule throwing) into that file\'s diagnostic', async () => {
    const repo = makeRepo({
      'package.json': JSON.stringify({ type: 'module' }),
      'eslint.config.js': `const crashy = { rules: { boom: { create(context) { return { Program() { if (context.sourceCode.text.includes('CR' + 'ASH')) throw new Error('rule exploded'); } }; } } } };
export default [{ plugins: { crashy }, rules: { 'crashy/boom': 'error' } }];
`,
      'a.js': `// CRASH here\n${TS_BUG}`,
      'b.js': TS_BUG,
    });
    try {
      const run = await runCli(['-f', 'json', '--use-eslint-config'], repo.dir);
      const report = JSON.parse(run.stdout) as Report;
      expect(report.findings.map((f) => f.file)).toEqual(['b.js']);
      expect(report.diagnostics).toHaveLength(1);
      expect(report.diagnostics[0]).toMatchObject({ file: 'a.js' });
      expect(report.diagnostics[0]!.message).toMatch(/^internal error while linting: rule exploded/);
    } finally {
      repo.cleanup();
    }
  });

  it('reports unreadable files and directories', async () => {
    const repo = makeRepo({ 'good.ts': TS_BUG, 'secret.ts': TS_BUG, 'locked/x.ts': TS_BUG });
    try {
      chmodSync(join(repo.dir, 'secret.ts'), 0o000);
      chmodSync(join(repo.dir, 'locked'), 0o000);
      chmodSync(repo.dir, 0o755);
      // Root reads everything: run the scan as an unprivileged user to make the files unreadable.
      const run = await runCli(['-f', 'json'], repo.dir, isRoot ? { uid: 65534, gid: 65534 } : {});
      const report = JSON.parse(run.stdout) as Report;
      expect(report.findings.map((f) => f.file)).toEqual(['good.ts']);
      expect(report.diagnostics).toEqual([
        { file: 'locked', message: 'cannot read directory: EACCES' },
        { file: 'secret.ts', message: 'cannot read: EACCES' },
      ]);
    } finally {
      chmodSync(join(repo.dir, 'locked'), 0o755);
      repo.cleanup();
    }
  });

  it.each([['worker threads', '2'], ['this thread', 'off']])('Ctrl-C stops a long scan cleanly (%s): exit 130, nothing left running', async (_how, concurrency) => {
    const tree: Record<string, string> = {};
    // Big enough to be still running when the signal comes (about 10 s of linting).
    for (let i = 0; i < 4000; i++) tree[`src/m${i}.ts`] = `${TS_BUG}export const v${i} = ${i};\n`;
    const repo = makeRepo(tree);
    try {
      const child = spawn(process.execPath, [BIN, '--concurrency', concurrency!, '-f', 'json'], { cwd: repo.dir });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.on('close', (code) => resolve({ code, at: performance.now() })));
      await new Promise((r) => setTimeout(r, 2000));
      const sent = performance.now();
      child.kill('SIGINT');
      const { code, at } = await exited;
      expect(code).toBe(130);
      expect(stderr).toContain('snapstart-scan: interrupted');
      // Stopping is prompt: workers are terminated, not waited for.
      expect(at - sent).toBeLessThan(5000);
      // Worker threads live in the process; no other process was started.
      expect(execSync('ps -eo args').toString()).not.toContain(repo.dir);
    } finally {
      repo.cleanup();
    }
  });
});
