// Benchmark (issues #3, #13): the full java-scanner run vs "parse every file with java-parser, no
// analysis", same run, same files on disk, on two corpora:
//  - "service": a generated service code base (>= 2,000 files, >= 300k lines) where few files
//    mention a source, so the pre-filter skips most of them;
//  - "lambda": code shaped like Lambda functions' main sources, where most files mention a
//    clock, an id or a generator (the pre-filter selected 74 % of real Lambda main code).
// Reports CPU time (user + system, all threads: the scan parses on worker threads) and wall time.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { scanJavaProject } from '@snapstart/java-scanner';
import { parse } from 'java-parser';
import { generateJavaCorpus, generateLambdaCorpus } from './corpus-java.js';
import { interleaved } from './rounds.js';

const ROUNDS = Number(process.env.BENCH_JAVA_ROUNDS ?? 3);
const FILES = Number(process.env.BENCH_JAVA_FILES ?? 2000);


async function measure(name, { files, lines }) {
  const dir = mkdtempSync(join(tmpdir(), 'java-bench-'));
  try {
    for (const f of files) {
      mkdirSync(dirname(join(dir, f.path)), { recursive: true });
      writeFileSync(join(dir, f.path), f.text);
    }
    const parseEverything = () => {
      for (const f of files) parse(readFileSync(join(dir, f.path), 'utf8'));
    };
    const scan = () => scanJavaProject([dir], { cwd: dir });
    // Warm up the parser (grammar initialisation, JIT) on both paths first.
    parseEverything();
    await scan();
    const { b, s, last } = await interleaved(ROUNDS, parseEverything, scan);
    const selected = last.stats.parsed / last.stats.files;
    console.log(`java-scanner [${name}]: ${files.length} files, ${lines} lines, ${ROUNDS} rounds (medians)`);
    console.log(`  parse every file (java-parser, no analysis, 1 thread)   cpu ${b.cpu.toFixed(0)} ms  wall ${b.wall.toFixed(0)} ms  ${(lines / (b.wall / 1000)).toFixed(0)} lines/s`);
    console.log(`  full scan (pre-filter selected ${last.stats.parsed} files = ${(selected * 100).toFixed(0)} %, analysis)   cpu ${s.cpu.toFixed(0)} ms  wall ${s.wall.toFixed(0)} ms  ${(lines / (s.wall / 1000)).toFixed(0)} lines/s`);
    console.log(`  ratio full scan / parse-everything   cpu ${(s.cpu / b.cpu).toFixed(3)}  wall ${(s.wall / b.wall).toFixed(3)}   (target < 1.0); ${last.findings.length} findings, ${last.diagnostics.length} diagnostics`);
    return { corpus: name, files: files.length, lines, selected, parseAll: b, scan: s, ratioCpu: s.cpu / b.cpu, ratioWall: s.wall / b.wall };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const service = await measure('service', generateJavaCorpus(FILES, Number(process.env.BENCH_JAVA_LINES ?? 300_000)));
const lambda = await measure('lambda', generateLambdaCorpus(FILES));
export const result = { name: 'java-scanner', service, lambda };
