// Issue 25, item 7 (minor): JSON config errors by line and column, Java's "syntax error" with a
// line when the parser runs out of depth, FIFOs and device files reported, not dropped.
import { execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { parseJavaSource } from '@snapstart/java-scanner/internal';
import { describe, expect, it } from 'vitest';
import { jsonErrorMessage } from '../../src/config/json-position.js';
import { makeRepo, runCli, TS_BUG } from '../helpers.js';

describe('minor probes (issue 25)', () => {
  it('a JSON config error names line and column, not a byte offset', async () => {
    const repo = makeRepo({ 'snapstart.config.json': '{\n  "tests": true,\n  exclude: []\n}\n', 'a.ts': TS_BUG });
    try {
      const run = await runCli([], repo.dir);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('snapstart.config.json: not valid JSON: Expected double-quoted property name (line 3, column 3)');
      expect(run.stderr).not.toContain('position');
    } finally {
      repo.cleanup();
    }
    // V8 gives no position at all for some errors: found by our own check.
    const text = '{"a": [1,\n 2,,]}';
    let message = '';
    try {
      JSON.parse(text);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(jsonErrorMessage(text, message)).toBe("Unexpected token ',' (line 2, column 4)");
  });

  it('Java nested deeper than the parser can go: a diagnostic with a line, not a bare "syntax error"', () => {
    const text = `package a;\nclass A {\n  int x = ${'('.repeat(3000)}1${')'.repeat(3000)};\n}\n`;
    const out = parseJavaSource('A.java', text);
    expect('diagnostic' in out && out.diagnostic).toEqual({
      file: 'A.java',
      line: 3,
      column: 3010,
      message: 'cannot parse: nested too deeply for the parser (3001 levels of brackets at the deepest point)',
    });
  });

  it('a FIFO or a device file named like a source file is reported as skipped with the reason (and the scan does not block on it)', async () => {
    const repo = makeRepo({ 'a.ts': TS_BUG });
    try {
      execFileSync('mkfifo', [join(repo.dir, 'pipe.ts')]);
      const run = await runCli(['-f', 'json'], repo.dir);
      const report = JSON.parse(run.stdout) as { diagnostics: unknown[]; stats: { skipped: { notRegular: number } } };
      expect(report.diagnostics).toEqual([{ file: 'pipe.ts', message: 'skipped: a FIFO (named pipe), not a regular file' }]);
      expect(report.stats.skipped.notRegular).toBe(1);
      const list = await runCli(['--list-files'], repo.dir);
      expect(list.stdout).toContain('pipe.ts\tskipped: notRegular (a FIFO (named pipe), not a regular file)');
      // A device file (through a symlink) likewise.
      symlinkSync('/dev/null', join(repo.dir, 'device.ts'));
      const withDevice = JSON.parse((await runCli(['-f', 'json'], repo.dir)).stdout) as { diagnostics: unknown[] };
      expect(withDevice.diagnostics).toContainEqual({ file: 'device.ts', message: 'skipped: a device file, not a regular file' });
      // Named on the command line: exit 2, with the reason.
      const named = await runCli(['pipe.ts'], repo.dir);
      expect(named.code).toBe(2);
      expect(named.stderr).toContain('pipe.ts: a FIFO (named pipe), not a file or directory');
    } finally {
      repo.cleanup();
    }
  });
});
