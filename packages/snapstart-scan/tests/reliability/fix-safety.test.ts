// Issue 25, item 1: `--fix` never loses a byte.
import { spawn } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFixedSource } from '../../src/io/fix-file.js';
import { BIN, makeRepo, runCli } from '../helpers.js';

const BUG = "import { randomUUID } from 'node:crypto';\nconsole.log('cold start', randomUUID());\nexport const handler = async () => ({ id: randomUUID() });\n";
const FIXED = BUG.replace("randomUUID())", 'randomUUID({ disableEntropyCache: true }))');

interface Report {
  findings: Array<{ file: string; ruleId: string }>;
  diagnostics: Array<{ file: string; message: string }>;
}

describe('--fix writes cannot lose data (issue 25)', () => {
  it('keeps a UTF-8 BOM and CRLF line endings: only the fixed span changes', async () => {
    const crlf = BUG.replaceAll('\n', '\r\n');
    const repo = makeRepo({ 'a.ts': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(crlf)]) });
    try {
      const run = await runCli(['-f', 'json', '--fix'], repo.dir);
      expect(run.stderr).toContain('--fix rewrote 1 file');
      const after = readFileSync(join(repo.dir, 'a.ts'));
      expect(after.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      expect(after.subarray(3).toString('utf8')).toBe(FIXED.replaceAll('\n', '\r\n'));
    } finally {
      repo.cleanup();
    }
  });

  it('does not fix a file that is not valid UTF-8 (a Latin-1 é), says so, and keeps its findings', async () => {
    const latin1 = Buffer.concat([Buffer.from('// caf'), Buffer.from([0xe9]), Buffer.from(`\n${BUG}`)]);
    const repo = makeRepo({ 'a.ts': latin1 });
    try {
      const run = await runCli(['-f', 'json', '--fix'], repo.dir);
      expect(readFileSync(join(repo.dir, 'a.ts'))).toEqual(latin1);
      const report = JSON.parse(run.stdout) as Report;
      expect(report.findings.map((f) => f.ruleId)).toContain('snapstart/no-init-entropy-cache');
      expect(report.diagnostics).toEqual([{ file: 'a.ts', message: expect.stringContaining('not fixed: the file is not valid UTF-8') }]);
      expect(run.code).toBe(1);
    } finally {
      repo.cleanup();
    }
  });

  it('a read-only file keeps its findings and is reported "not fixed: read-only" (not an internal error)', async () => {
    const repo = makeRepo({ 'a.ts': BUG });
    try {
      chmodSync(join(repo.dir, 'a.ts'), 0o444);
      const run = await runCli(['-f', 'json', '--fix'], repo.dir);
      expect(readFileSync(join(repo.dir, 'a.ts'), 'utf8')).toBe(BUG);
      const report = JSON.parse(run.stdout) as Report;
      expect(report.findings.map((f) => f.ruleId)).toContain('snapstart/no-init-entropy-cache');
      expect(report.diagnostics).toEqual([{ file: 'a.ts', message: expect.stringContaining('not fixed: read-only') }]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('--fix rewrote 0 files');
    } finally {
      repo.cleanup();
    }
  });

  it('keeps the mode of a fixed file, and leaves no temporary file behind', async () => {
    const repo = makeRepo({ 'a.ts': BUG });
    try {
      chmodSync(join(repo.dir, 'a.ts'), 0o751);
      await runCli(['--fix'], repo.dir);
      expect(readFileSync(join(repo.dir, 'a.ts'), 'utf8')).toBe(FIXED);
      expect(statSync(join(repo.dir, 'a.ts')).mode & 0o777).toBe(0o751);
      expect(readdirSync(repo.dir)).toEqual(['a.ts']);
    } finally {
      repo.cleanup();
    }
  });

  it('does not overwrite a file that changed after it was read ("changed during the scan, not fixed")', () => {
    const repo = makeRepo({ 'a.ts': BUG });
    try {
      const file = join(repo.dir, 'a.ts');
      const read = readFileSync(file);
      // An editor saves the file while the scan works on what it read.
      const edited = `${BUG}// 16,959 lines of edits\n`;
      writeFileSync(file, edited);
      expect(writeFixedSource(file, read, read.toString('utf8'), FIXED)).toMatch(/^changed during the scan, not fixed/);
      expect(readFileSync(file, 'utf8')).toBe(edited);
      expect(readdirSync(repo.dir)).toEqual(['a.ts']);
      // Unchanged since read: written.
      const now = readFileSync(file);
      expect(writeFixedSource(file, now, now.toString('utf8'), FIXED)).toBeUndefined();
      expect(readFileSync(file, 'utf8')).toBe(FIXED);
    } finally {
      repo.cleanup();
    }
  });

  it('SIGKILL at any moment of --fix leaves the old or the new file, never a truncated one', async () => {
    // ~400 KB with one fix: the write takes long enough to be hit.
    const filler = Array.from({ length: 7000 }, (_, i) => `export const v${i} = ${i}; // padding padding padding`).join('\n');
    const original = `${BUG}${filler}\n`;
    const fixed = `${FIXED}${filler}\n`;
    const repo = makeRepo({ 'big.mjs': original });
    const file = join(repo.dir, 'big.mjs');
    try {
      // How long a whole run takes here, to spread the kills over its end, where the write is.
      const t0 = performance.now();
      await runCli(['--fix', '--concurrency', 'off', '--no-progress'], repo.dir);
      const whole = performance.now() - t0;
      expect(readFileSync(file, 'utf8')).toBe(fixed);
      const seen = new Set<string>();
      for (let i = 0; i < 5; i++) {
        writeFileSync(file, original);
        const child = spawn(process.execPath, [BIN, '--fix', '--concurrency', 'off', '--no-progress'], { cwd: repo.dir, stdio: 'ignore' });
        const closed = new Promise((r) => child.on('close', r));
        await new Promise((r) => setTimeout(r, whole * (0.6 + 0.09 * i)));
        child.kill('SIGKILL');
        await closed;
        const now = readFileSync(file, 'utf8');
        expect(now === original || now === fixed, `run ${i}: ${now.length} bytes`).toBe(true);
        seen.add(now === original ? 'old' : 'new');
      }
      // No temporary file stays behind either way (a kill between creating and renaming it may leave one).
      expect(readdirSync(repo.dir).filter((n) => !n.endsWith('.snapstart-tmp'))).toEqual(['big.mjs']);
    } finally {
      repo.cleanup();
    }
  }, 300_000);
});
