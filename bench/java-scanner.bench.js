// Benchmark (issue #3): the full java-scanner run over a generated corpus (>= 2,000 files,
// >= 300k lines) vs "parse every file with java-parser, no analysis", same run, same files on disk.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { scanJavaProject } from '@snapstart/java-scanner';
import { parse } from 'java-parser';
import { generateJavaCorpus } from './corpus-java.js';

const ROUNDS = Number(process.env.BENCH_JAVA_ROUNDS ?? 3);
const { files, lines } = generateJavaCorpus(Number(process.env.BENCH_JAVA_FILES ?? 2000), Number(process.env.BENCH_JAVA_LINES ?? 300_000));
const dir = mkdtempSync(join(tmpdir(), 'java-bench-'));
for (const f of files) {
  mkdirSync(dirname(join(dir, f.path)), { recursive: true });
  writeFileSync(join(dir, f.path), f.text);
}

function parseEverything() {
  const t0 = performance.now();
  for (const f of files) parse(readFileSync(join(dir, f.path), 'utf8'));
  return performance.now() - t0;
}

async function scan() {
  const t0 = performance.now();
  const result = await scanJavaProject([dir], { cwd: dir });
  return { ms: performance.now() - t0, result };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// Warm up the parser (grammar initialisation, JIT) on both paths first.
parseEverything();
await scan();
const base = [];
const full = [];
let last;
for (let r = 0; r < ROUNDS; r++) {
  globalThis.gc?.();
  base.push(parseEverything());
  globalThis.gc?.();
  const s = await scan();
  full.push(s.ms);
  last = s.result;
}
rmSync(dir, { recursive: true, force: true });
const b = median(base);
const s = median(full);
console.log(`java-scanner: ${files.length} files, ${lines} lines, ${ROUNDS} rounds (median wall time)`);
console.log(`  parse every file (java-parser, no analysis, 1 thread)  ${b.toFixed(0)} ms   ${(lines / (b / 1000)).toFixed(0)} lines/s`);
console.log(`  full scan (pre-filter, ${last.stats.parsed} files parsed on all cores, analysis)  ${s.toFixed(0)} ms   ${(lines / (s / 1000)).toFixed(0)} lines/s`);
console.log(`  ratio full scan / parse-everything  ${(s / b).toFixed(3)}   (target < 1.0); ${last.findings.length} findings, ${last.diagnostics.length} diagnostics`);
export const result = { name: 'java-scanner', files: files.length, lines, parseAllMs: b, scanMs: s, ratio: s / b };
