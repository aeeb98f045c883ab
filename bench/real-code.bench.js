// False-positive benchmark on real published Lambda code (issue #12): the ESLint plugin's
// recommended config over the ESM builds of @aws-lambda-powertools/*, @middy/*, and the AWS SDK v3
// packages (@aws-sdk/*, @smithy/*) installed here (dev dependencies of this repository). This is library code that runs during every user's init, so
// what the rules report in it is what users see. Prints files, lines, findings per 10,000 lines by
// rule, and every finding, so the number can be followed over time.
//
// SNAPSTART_PLUGIN=path/to/dist/index.js runs another build of the plugin (to compare before/after).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ESLint } from 'eslint';

const root = fileURLToPath(new URL('..', import.meta.url));
const pluginPath = process.env.SNAPSTART_PLUGIN ?? join(root, 'node_modules/eslint-plugin-snapstart/dist/index.js');
const plugin = (await import(pathToFileURL(pluginPath).href)).default;

/** Published packages (every package of these scopes) and the folder of each that holds its ESM build (one build: no double counting). */
const SCOPES = ['@aws-lambda-powertools', '@middy', '@aws-sdk', '@smithy'];
const PACKAGES = SCOPES.flatMap((scope) =>
  readdirSync(join(root, 'node_modules', scope)).map((p) => {
    const dir = join(root, 'node_modules', scope, p);
    const sub = ['lib/esm', 'dist-es', '.'].find((d) => existsSync(join(dir, d)));
    return [`${scope}/${p}`, sub];
  }),
);

function jsFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(path).isDirectory()) out.push(...jsFiles(path));
    else if (/\.(c|m)?js$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const files = [];
const versions = [];
for (const [name, sub] of PACKAGES) {
  const dir = join(root, 'node_modules', name);
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  versions.push(`${name}@${version}`);
  files.push(...jsFiles(join(dir, sub)));
}
const lines = files.reduce((n, f) => n + readFileSync(f, 'utf8').split('\n').length, 0);

const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  // The files are under node_modules on purpose: un-ignore it (a global ignores entry).
  overrideConfig: [{ ignores: ['!**/node_modules/'] }, { languageOptions: { sourceType: 'module' } }, plugin.configs.recommended],
});
// Canary: the same setup must report the known bugs of an example, or the rules are not running.
const [canary] = await eslint.lintFiles([join(root, 'examples/session-tokens/handler.cjs')]);
if (canary.messages.filter((m) => m.ruleId?.startsWith('snapstart/')).length < 3) throw new Error(`the rules did not run: ${JSON.stringify(canary.messages)}`);
const t0 = performance.now();
const results = await eslint.lintFiles(files);
const ms = performance.now() - t0;

const byRule = new Map();
const listed = [];
for (const r of results) {
  for (const m of r.messages) {
    if (!m.ruleId && !m.fatal) throw new Error(`${r.filePath}: ${m.message}`);
    const rule = m.ruleId ?? '(parse error)';
    byRule.set(rule, (byRule.get(rule) ?? 0) + 1);
    listed.push(`    ${relative(join(root, 'node_modules'), r.filePath)}:${m.line}:${m.column}  ${rule}  ${m.message.slice(0, 160)}`);
  }
}
const total = listed.length;
console.log(`real-code: ${files.length} files, ${lines} lines of published Lambda libraries (${relative(root, pluginPath)})`);
console.log(`  ${versions.join(', ')}`);
console.log(`  ${total} findings, ${((total / lines) * 10000).toFixed(2)} per 10,000 lines, linted in ${(ms / 1000).toFixed(1)} s`);
for (const [rule, n] of [...byRule].sort()) console.log(`  ${rule.padEnd(34)} ${String(n).padStart(4)}  ${((n / lines) * 10000).toFixed(2)} per 10,000 lines`);
for (const l of listed) console.log(l);
export const result = { name: 'real-code', files: files.length, lines, findings: total, byRule: Object.fromEntries(byRule) };
