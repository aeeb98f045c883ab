// Benchmark (issue #25): snapstart-scan on single large generated files — 1 to 20 MB of
// TypeScript with many small exported functions (the shape that took 100–121 s for 1.9 MB), of
// JavaScript with long call chains and long `+` chains — one whole CLI process per file, with the
// default per-file budget (60 s, 768 MiB) and maxFileSize raised so that nothing is skipped by
// size. Prints lines/s of the whole process (start-up included) and its peak memory (max RSS of
// the process, worker threads included). Then the baseline of the same run: typescript-estree's own
// next-token search against the linear one (src/engines/linear-next-token.ts) on the
// many-functions shape, parse only, at growing sizes: the ratio shows the quadratic term removed.
// Goal: ≥ 50,000 lines/s and < 1 GB peak.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const SIZES_MB = (process.env.BENCH_LARGE_SIZES ?? '1,5,20').split(',').map(Number);
const SHAPES = (process.env.BENCH_LARGE_SHAPES ?? 'functions,chains,sums').split(',');

/** ~`mb` MiB of text from `piece(i)` lines, between a head and a tail. */
function fill(mb, head, piece, tail) {
  const parts = [head];
  let size = head.length;
  for (let i = 0; size < mb * 1048576; i++) {
    const p = piece(i);
    parts.push(p);
    size += p.length + 1;
  }
  parts.push(tail);
  return `${parts.join('\n')}\n`;
}

const GENERATORS = {
  // TypeScript: many small exported functions, 1 in 50 reading the clock.
  functions: {
    ext: 'ts',
    make: (mb) =>
      fill(
        mb,
        "import { randomUUID } from 'node:crypto';\nconst started = Date.now();",
        (i) =>
          i % 50 === 0
            ? `export function stamp${i}(x: number): number {\n  const t = Date.now();\n  return x + t;\n}`
            : `export function f${i}<T>(a: number, b: T): string {\n  const v = a * ${i};\n  return String(b) + String(v);\n}`,
        'export const handler = async () => ({ id: randomUUID(), started });',
      ),
  },
  // JavaScript: blocks of 200-call promise/builder chains (deep member-call nesting).
  chains: {
    ext: 'mjs',
    make: (mb) =>
      fill(
        mb,
        'const started = Date.now();\nconst q = (x) => ({ then: () => q(x), map: () => q(x), filter: () => q(x) });',
        (i) => `export const c${i} = q(${i})${'.then((v) => v + 1).map((v) => v * 2).filter(Boolean)'.repeat(66)};`,
        'export const handler = async () => started;',
      ),
  },
  // JavaScript: long `+` chains (deep binary-expression nesting), with a clock read in each.
  sums: {
    ext: 'js',
    make: (mb) =>
      fill(
        mb,
        'const started = Date.now();',
        (i) => `export const s${i} = ${Array.from({ length: 300 }, (_, k) => `${k}`).join(' + ')} + Date.now();`,
        'export const handler = async () => started;',
      ),
  },
};

const scanBin = join(root, 'packages/snapstart-scan/dist/cli/main.js');
// The CLI in a process that prints its own peak memory on exit (all threads included).
const RUNNER = `
const { main } = await import(${JSON.stringify(scanBin)});
const code = await main(process.argv.slice(1));
const u = process.resourceUsage();
process.stderr.write('MAXRSS ' + u.maxRSS + ' CPU ' + (u.userCPUTime + u.systemCPUTime) + '\\n');
process.exitCode = code;
`;

const dir = mkdtempSync(join(tmpdir(), 'large-files-bench-'));
writeFileSync(join(dir, 'snapstart.config.json'), JSON.stringify({ maxFileSize: 64 * 1048576 }));
writeFileSync(join(dir, 'run.mjs'), RUNNER);
console.log('large-files: one snapstart-scan process per file (--concurrency off, default budget 60 s / 768 MiB)');
console.log('shape      size     lines  wall s   CPU s  lines/s  (per CPU s)  peak MB  result');
const rows = [];
for (const shape of SHAPES) {
  for (const mb of SIZES_MB) {
    const g = GENERATORS[shape];
    const text = g.make(mb);
    const name = `${shape}-${mb}mb.${g.ext}`;
    writeFileSync(join(dir, name), text);
    const lines = text.split('\n').length - 1;
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['run.mjs', name, '-f', 'json', '--concurrency', 'off', '--no-progress'], {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    const s = (performance.now() - t0) / 1000;
    const peak = Number(/MAXRSS (\d+)/.exec(r.stderr)?.[1] ?? 0) / 1024;
    const cpu = Number(/CPU (\d+)/.exec(r.stderr)?.[1] ?? 0) / 1e6;
    let result;
    try {
      const report = JSON.parse(r.stdout);
      result = report.diagnostics.length > 0 ? report.diagnostics.map((d) => d.message).join('; ') : `${report.findings.length} findings`;
    } catch {
      result = `exit ${r.status}: ${r.stderr.split('\n').slice(-3).join(' ')}`;
    }
    rows.push({ shape, mb, lines, s, cpu, peak, result });
    console.log(`${shape.padEnd(10)} ${String(mb).padStart(3)} MB ${String(lines).padStart(8)} ${s.toFixed(1).padStart(7)} ${cpu.toFixed(1).padStart(7)} ${String(Math.round(lines / s)).padStart(9)} ${String(Math.round(lines / cpu)).padStart(9)} ${String(Math.round(peak)).padStart(8)}  ${result}`);
  }
}
rmSync(dir, { recursive: true, force: true });

// Baseline in the same run: parse only, typescript-estree's own search vs the linear one.
const { installLinearNextToken, uninstallLinearNextToken } = await import(join(root, 'packages/snapstart-scan/dist/engines/linear-next-token.js'));
const { parseForRules } = await import(join(root, 'packages/snapstart-scan/dist/engines/direct.js'));
console.log('\nparse only (the many-functions shape): typescript-estree\'s next-token search vs the linear one');
console.log('size    lines  own CPU s  linear CPU s   ratio');
for (const mb of (process.env.BENCH_LARGE_PARSE_SIZES ?? '0.5,1,2').split(',').map(Number)) {
  const text = GENERATORS.functions.make(mb);
  // CPU time of this thread: wall time on the shared 2-core machines varies by ±30 % (see README).
  const time = () => {
    globalThis.gc?.();
    const c = process.cpuUsage();
    parseForRules(text, 'f.ts');
    const u = process.cpuUsage(c);
    return (u.user + u.system) / 1e6;
  };
  uninstallLinearNextToken();
  const own = time();
  installLinearNextToken();
  const linear = time();
  console.log(`${String(mb).padStart(4)} MB ${String(text.split('\n').length - 1).padStart(8)} ${own.toFixed(2).padStart(8)} ${linear.toFixed(2).padStart(10)} ${(own / linear).toFixed(1).padStart(7)}x`);
}
const fitting = rows.filter((r) => !r.result.startsWith('skipped') && !r.result.startsWith('exit'));
const worst = fitting.reduce((m, r) => Math.min(m, r.lines / r.cpu), Infinity);
const peak = rows.reduce((m, r) => Math.max(m, r.peak), 0);
console.log(`\ngoal ≥ 50,000 lines/s: slowest analysed file ${Math.round(worst)} lines per CPU second (${worst >= 50000 ? 'met' : 'not met'}); goal < 1 GB: highest peak ${Math.round(peak)} MB (${peak < 1024 ? 'met' : 'not met'})`);
