// Issue 25, item 3: each file is analysed under a time and memory budget; past it, the file is
// reported as skipped with the reason and the scan goes on (no V8 heap OOM of the whole scan).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, runCli, TS_BUG } from '../helpers.js';

interface Report {
  findings: Array<{ file: string; ruleId: string }>;
  diagnostics: Array<{ file: string; message: string }>;
  stats: { files: number; skipped: { overBudget: number } };
}

/** About `mb` MiB of TypeScript: many small exported functions, some reading the clock. */
function bigTypeScript(mb: number): string {
  const parts = ["import { randomUUID } from 'node:crypto';", 'const started = Date.now();'];
  let size = 0;
  for (let i = 0; size < mb * 1048576; i++) {
    const f = `export function f${i}(a: number, b: string): string {\n  const v = a * ${i} + Date.now();\n  return b + String(v);\n}`;
    parts.push(f);
    size += f.length + 1;
  }
  parts.push('export const handler = async () => ({ id: randomUUID(), started });');
  return `${parts.join('\n')}\n`;
}

describe('per-file budget (issue 25)', () => {
  it.each([['this thread', 'off'], ['worker threads', '2']])(
    'a 20 MiB file over the memory budget is skipped with the reason; the other files are scanned (%s)',
    async (_how, concurrency) => {
      const repo = makeRepo({ 'src/a.ts': TS_BUG, 'src/b.ts': TS_BUG, 'snapstart.config.json': JSON.stringify({ maxFileSize: 64 * 1048576, maxFileMemoryMb: 128 }) });
      try {
        writeFileSync(join(repo.dir, 'src/huge.ts'), bigTypeScript(20));
        const run = await runCli(['-f', 'json', '--concurrency', concurrency!], repo.dir);
        expect(run.stderr).not.toContain('heap out of memory');
        expect(run.code).toBe(1);
        const report = JSON.parse(run.stdout) as Report;
        expect([...new Set(report.findings.map((f) => f.file))]).toEqual(['src/a.ts', 'src/b.ts']);
        expect(report.diagnostics).toEqual([{ file: 'src/huge.ts', message: 'skipped: its analysis needed more than 128 MiB (per-file budget: 60 s, 128 MiB); the scan went on' }]);
        expect(report.stats.skipped.overBudget).toBe(1);
        expect(report.stats.files).toBe(3);
      } finally {
        repo.cleanup();
      }
    },
    300_000,
  );

  it.each([
    // A 2 MB file: a job of its own, in a worker even without threads.
    ['alone, this thread', 'off', 2],
    // A 0.4 MB file: in a batch with the small files; those after it are scanned by a new worker.
    ['in a batch, worker threads', '1', 0.4],
  ])('a file over the time budget is stopped and skipped with the reason; the others are scanned (%s)', async (_how, concurrency, mb) => {
    const repo = makeRepo({ 'snapstart.config.json': JSON.stringify({ maxFileSize: 64 * 1048576, maxFileSeconds: 0.2 }) });
    try {
      writeFileSync(join(repo.dir, 'a-big.ts'), bigTypeScript(mb!));
      writeFileSync(join(repo.dir, 'b-small.ts'), TS_BUG);
      writeFileSync(join(repo.dir, 'c-small.ts'), TS_BUG);
      const run = await runCli(['-f', 'json', '--concurrency', String(concurrency)], repo.dir);
      const report = JSON.parse(run.stdout) as Report;
      expect(report.diagnostics).toEqual([{ file: 'a-big.ts', message: 'skipped: its analysis took longer than 0.2 s (per-file budget: 0.2 s, 768 MiB); the scan went on' }]);
      expect([...new Set(report.findings.map((f) => f.file))]).toEqual(['b-small.ts', 'c-small.ts']);
      expect(report.stats.skipped.overBudget).toBe(1);
      expect(run.code).toBe(1);
    } finally {
      repo.cleanup();
    }
  }, 300_000);
});
