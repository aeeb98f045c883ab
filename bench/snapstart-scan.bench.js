// Benchmark (issue #11): snapstart-scan over a generated repository of >= 10,000 mixed files
// (TypeScript/JavaScript Lambda modules and Java Lambda functions) vs what a user would run
// without it: the `eslint` CLI with the plugin's recommended config, then the java-scanner API,
// one after the other, on the same tree. Wall time of whole processes (start-up included on
// both sides), median of BENCH_SCAN_ROUNDS rounds in alternating order.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateLambdaCorpus } from './corpus-java.js';
import { generateCorpus } from './corpus-ts.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const TS_FILES = Number(process.env.BENCH_SCAN_TS_FILES ?? 7000);
const JAVA_FILES = Number(process.env.BENCH_SCAN_JAVA_FILES ?? 3000);
const ROUNDS = Number(process.env.BENCH_SCAN_ROUNDS ?? 3);

const dir = mkdtempSync(join(tmpdir(), 'scan-bench-'));
const write = (path, text) => {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
};
const ts = generateCorpus(TS_FILES);
for (const f of ts) write(`web/${f.name}`, f.text);
const java = generateLambdaCorpus(JAVA_FILES);
for (const f of java.files) write(`jvm/${f.path}`, f.text);
const files = ts.length + java.files.length;
// The README's ESLint setup, resolved from this repository's node_modules.
write('eslint.config.mjs', `import tsParser from ${JSON.stringify(join(root, 'node_modules/@typescript-eslint/parser/dist/index.js'))};
import snapstart from ${JSON.stringify(join(root, 'node_modules/eslint-plugin-snapstart/dist/index.js'))};
export default [
  { files: ['**/*.{ts,tsx,mts,cts}'], languageOptions: { parser: tsParser } },
  snapstart.configs.recommended,
];
`);
write('java-scan.mjs', `import { scanJavaProject } from ${JSON.stringify(join(root, 'node_modules/@snapstart/java-scanner/dist/index.js'))};
const r = await scanJavaProject(['jvm'], { cwd: process.cwd() });
console.log(JSON.stringify({ findings: r.findings.length }));
`);

function timed(cmd, args) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 2000)}`);
  return { ms: performance.now() - t0, stdout: r.stdout };
}

const eslintBin = join(root, 'node_modules/eslint/bin/eslint.js');
const scanBin = join(root, 'packages/snapstart-scan/bin/snapstart-scan.js');
const baseline = () => {
  const e = timed(process.execPath, [eslintBin, '--format', 'json', 'web']);
  const j = timed(process.execPath, ['java-scan.mjs']);
  return { ms: e.ms + j.ms, eslintMs: e.ms, javaMs: j.ms, findings: JSON.parse(e.stdout).reduce((n, r) => n + r.messages.length, 0) + JSON.parse(j.stdout).findings };
};
const ours = () => {
  const r = timed(process.execPath, [scanBin, 'web', 'jvm', '--format', 'json']);
  const report = JSON.parse(r.stdout);
  return { ms: r.ms, findings: report.findings.length, files: report.stats.files, scanMs: report.stats.durationMs };
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = [];
const scan = [];
try {
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 2 === 0) {
      base.push(baseline());
      scan.push(ours());
    } else {
      scan.push(ours());
      base.push(baseline());
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const b = median(base.map((x) => x.ms));
const s = median(scan.map((x) => x.ms));
const last = scan.at(-1);
console.log(`snapstart-scan: ${files} files (${ts.length} TS/JS, ${java.files.length} Java), ${ROUNDS} rounds (median wall time, process start-up included)`);
console.log(`  eslint CLI + java-scanner API, one after the other   ${b.toFixed(0)} ms  (eslint ${median(base.map((x) => x.eslintMs)).toFixed(0)} ms, java ${median(base.map((x) => x.javaMs)).toFixed(0)} ms)  ${(files / (b / 1000)).toFixed(0)} files/s  ${base.at(-1).findings} findings`);
console.log(`  snapstart-scan (both languages, ${last.files} files)          ${s.toFixed(0)} ms  ${(files / (s / 1000)).toFixed(0)} files/s  ${last.findings} findings`);
console.log(`  ratio snapstart-scan / baseline   ${(s / b).toFixed(3)}   (target <= 0.8)`);
export const result = { name: 'snapstart-scan', files, baselineMs: b, scanMs: s, ratio: s / b };
