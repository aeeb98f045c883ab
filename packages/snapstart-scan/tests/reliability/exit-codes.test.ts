// Issue 25, item 2: exit codes that cannot lie; user errors without a JS stack; outputs checked first.
import { chmodSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, runCli, TS_BUG } from '../helpers.js';

const isRoot = process.getuid?.() === 0;
/** A JS stack frame in the output: never for a user's mistake. */
const STACK = /^\s+at .+:\d+:\d+\)?$/m;

describe('exit codes (issue 25)', () => {
  it('a path that does not exist is exit 2 with a clear message, not "no problems"', async () => {
    const repo = makeRepo({ 'src/a.ts': TS_BUG });
    try {
      const run = await runCli(['does-not-exist/'], repo.dir);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('does-not-exist/: no such file or directory');
      expect(run.stderr).not.toMatch(STACK);
      expect(run.stdout).not.toContain('no problems');
      // Allowed on request: the other paths are scanned, the missing one is a file problem.
      const allowed = await runCli(['does-not-exist/', 'src', '--no-error-on-unmatched-pattern', '-f', 'json'], repo.dir);
      expect(allowed.code).toBe(1);
      const report = JSON.parse(allowed.stdout) as { diagnostics: unknown[]; findings: unknown[] };
      expect(report.diagnostics).toEqual([{ file: 'does-not-exist/', message: 'no such file or directory' }]);
      expect(report.findings.length).toBeGreaterThan(0);
    } finally {
      repo.cleanup();
    }
  });

  it('a path that holds no file to scan is exit 2 and says what was left out', async () => {
    const repo = makeRepo({ 'docs/readme.md': '# hi\n', 'tests/a.test.ts': TS_BUG });
    try {
      const docs = await runCli(['docs'], repo.dir);
      expect(docs.code).toBe(2);
      expect(docs.stderr).toContain('docs: no TypeScript, JavaScript or Java files');
      const tests = await runCli(['tests'], repo.dir);
      expect(tests.code).toBe(2);
      expect(tests.stderr).toContain('tests: no file to scan (1 skipped: tests (--include-tests scans them))');
      expect((await runCli(['tests', '--include-tests'], repo.dir)).code).toBe(1);
    } finally {
      repo.cleanup();
    }
  });

  it('-o into a missing folder fails before the scan, with exit 2 and no stack', async () => {
    const repo = makeRepo({ 'a.ts': TS_BUG });
    try {
      for (const args of [['-o', 'missing/report.json'], ['--write-baseline', 'missing/b.json'], ['-o', 'a.ts/x.json']]) {
        const run = await runCli(args, repo.dir);
        expect(run.code, args.join(' ')).toBe(2);
        expect(run.stderr).toMatch(/^snapstart-scan: cannot write (--output|--write-baseline) /);
        expect(run.stderr).not.toMatch(STACK);
        expect(run.stderr).not.toContain('internal error');
        // Checked first: nothing was scanned, no report printed.
        expect(run.stdout).toBe('');
      }
    } finally {
      repo.cleanup();
    }
  });

  it('an unwritable output folder fails before the scan', async () => {
    const repo = makeRepo({ 'a.ts': TS_BUG, 'out/.keep': '' });
    try {
      chmodSync(repo.dir, 0o755);
      chmodSync(join(repo.dir, 'out'), 0o555);
      // Root writes anywhere: run as an unprivileged user for the folder to be unwritable.
      const run = await runCli(['-o', 'out/r.json'], repo.dir, isRoot ? { uid: 65534, gid: 65534 } : {});
      chmodSync(join(repo.dir, 'out'), 0o755);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('cannot write --output out/r.json: cannot write in');
      expect(run.stderr).toContain('EACCES');
    } finally {
      repo.cleanup();
    }
  });

  it('writes -o reports atomically: complete content, no temporary file left', async () => {
    const repo = makeRepo({ 'a.ts': TS_BUG });
    try {
      const run = await runCli(['-f', 'json', '-o', 'r.json'], repo.dir);
      expect(run.code).toBe(1);
      expect(existsSync(join(repo.dir, 'r.json'))).toBe(true);
      expect(() => JSON.parse(readFileSync(join(repo.dir, 'r.json'), 'utf8'))).not.toThrow();
      expect(readdirSync(repo.dir).sort()).toEqual(['a.ts', 'r.json']);
    } finally {
      repo.cleanup();
    }
  });
});
