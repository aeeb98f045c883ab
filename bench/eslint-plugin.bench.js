// Benchmark: ESLint with the parser only, with one empty rule, and with the snapstart recommended
// config, same run. The target (issue #2: ≤ 1.15×) is against ESLint with one empty rule: with no
// rule at all ESLint skips traversal and code-path analysis, which any rule pays for (measured
// 1.17-1.34× parser-only for the empty rule alone), so only the empty-rule ratio is snapstart's.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import tsParser from '@typescript-eslint/parser';
import { ESLint } from 'eslint';
import plugin from 'eslint-plugin-snapstart';
import { generateCorpus } from './corpus-ts.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const FILES = Number(process.env.BENCH_TS_FILES ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

function repoSources(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) repoSources(path, out);
    else if (/\.(ts|js|cjs|mjs)$/.test(name) && !name.endsWith('.d.ts')) out.push({ name: relative(root, path), text: readFileSync(path, 'utf8') });
  }
  return out;
}

const corpus = [...generateCorpus(FILES), ...repoSources(join(root, 'packages')), ...repoSources(join(root, 'examples'))];
const lines = corpus.reduce((n, f) => n + f.text.split('\n').length, 0);

// The ESLint class, as `npx eslint` uses it: it normalizes the config once and caches the config
// of each file path. (Linter#verify with a plain array would re-validate the config per file.)
const languageOptions = { parser: tsParser };
const base = [
  { files: ['**/*.{ts,js,cjs,mjs}'], languageOptions },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
];
const make = (config) => new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: config, ignore: false });
const parserOnly = make(base);
const recommended = make([...base, plugin.configs.recommended]);
// Control: one rule that does nothing. With no rules at all ESLint skips its traversal and
// code-path analysis; any rule, even an empty one, pays for them. This isolates snapstart's own cost.
const emptyRule = make([
  ...base,
  { plugins: { control: { rules: { empty: { create: () => ({ 'Program:exit'() {} }) } } } }, rules: { 'control/empty': 'error' } },
]);

// Process CPU time (user + system, all threads incl. GC) is less exposed than wall time to the
// steal time of a shared 2-core guest.
function cpuMs() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function lintAll(eslint) {
  const start = cpuMs();
  let problems = 0;
  for (const file of corpus) {
    const [result] = await eslint.lintText(file.text, { filePath: join(root, 'bench/.out', file.name) });
    for (const m of result.messages) if (m.fatal) throw new Error(`${file.name}: ${m.message}`);
    problems += result.messages.length;
  }
  return { ms: cpuMs() - start, problems };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(eslint) {
  // Start every measurement from a collected heap, so one side does not pay for the other's garbage.
  globalThis.gc?.();
  return lintAll(eslint);
}

// Warm up every path (JIT, parser caches), then rotate the order each round so that heap growth
// and machine drift hit every side equally.
const sides = { parserOnly, emptyRule, recommended };
const times = { parserOnly: [], emptyRule: [], recommended: [] };
for (const eslint of Object.values(sides)) await lintAll(eslint);
let findings = 0;
const names = Object.keys(sides);
for (let r = 0; r < ROUNDS; r++) {
  for (let k = 0; k < names.length; k++) {
    const name = names[(r + k) % names.length];
    const run = await measure(sides[name]);
    times[name].push(run.ms);
    if (name === 'recommended') findings = run.problems;
  }
}
const p = median(times.parserOnly);
const e = median(times.emptyRule);
const rec = median(times.recommended);
console.log(`eslint-plugin-snapstart: ${corpus.length} files, ${lines} lines, ${ROUNDS} rounds (median CPU time)`);
console.log(`  parser only (no rules)     ${p.toFixed(0)} ms`);
console.log(`  one empty rule (control)   ${e.toFixed(0)} ms   ${(e / p).toFixed(3)}x parser only: ESLint's own cost of running any rule`);
console.log(`  snapstart recommended      ${rec.toFixed(0)} ms   (${findings} findings)`);
console.log(`  ratio vs empty rule        ${(rec / e).toFixed(3)}x   (snapstart's own analysis; target <= 1.15x)`);
console.log(`  ratio vs parser only       ${(rec / p).toFixed(3)}x   (includes ESLint's per-rule machinery; for reference)`);
export const result = { name: 'eslint-plugin', files: corpus.length, lines, parserOnlyMs: p, emptyRuleMs: e, recommendedMs: rec };
