// Renders RULES (packages/core/src/rules.ts) into the docs: the header block of every rule page
// (docs/rules/<id>.md: title, description, the Category · Severity · Fixable · Suggestions · Engine
// line) and the README's table of all rules. `npm run docs:rules -w @snapstart/core` rewrites them;
// packages/core/tests/rules-doc.test.ts fails when they are out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const README_PATH = `${REPO_ROOT}README.md`;
export const HEADER_BEGIN = '<!-- rule-header:begin (generated from packages/core/src/rules.ts: npm run docs:rules -w @snapstart/core) -->';
export const HEADER_END = '<!-- rule-header:end -->';
export const TABLE_BEGIN = '<!-- rules-table:begin (generated from packages/core/src/rules.ts: npm run docs:rules -w @snapstart/core) -->';
export const TABLE_END = '<!-- rules-table:end -->';

/** How each engine is named to readers, in the order the table lists them. */
export const ENGINE_NAMES = { eslint: 'TypeScript/JavaScript (ESLint plugin)', java: 'Java', python: 'Python', harness: '`--confirm` (harness)' };

/** The page of a rule, relative to the repository root (docsUrl's path). */
export const pagePath = (rule) => `docs/rules/${rule.id}.md`;

/** The id as findings, SARIF and configs carry it: ESLint rules under the plugin's prefix. */
export const reportedId = (rule) => (rule.engine === 'eslint' ? `snapstart/${rule.id}` : rule.id);

const sentence = (text) => (/[.!?]$/.test(text) ? text : `${text}.`);
const yesNo = (flag) => (flag ? 'yes' : 'no');

/** The generated block at the top of a rule page. */
export function renderHeader(rule) {
  const line = [
    `**Category:** \`${rule.category}\``,
    `**Severity:** ${rule.defaultSeverity}`,
    `**Fixable:** ${yesNo(rule.fixable)}`,
    `**Suggestions:** ${yesNo(rule.hasSuggestions)}`,
    `**Engine:** ${ENGINE_NAMES[rule.engine]}`,
  ].join(' · ');
  return [HEADER_BEGIN, `# ${reportedId(rule)}`, '', sentence(rule.description), '', line, HEADER_END].join('\n');
}

function between(doc, begin, end, what, rendered) {
  const start = doc.indexOf(begin);
  const stop = doc.indexOf(end);
  if (start < 0 || stop < start) throw new Error(`${what}: markers ${begin.split(' ')[1]} … ${end.split(' ')[1]} not found`);
  return doc.slice(0, start) + rendered + doc.slice(stop + end.length);
}

/** A rule page with its header block regenerated. */
export function replaceHeader(doc, rule) {
  return between(doc, HEADER_BEGIN, HEADER_END, pagePath(rule), renderHeader(rule));
}

/** The README's rules table: every rule of every engine, grouped by engine. */
export function renderTable(rules) {
  const order = Object.keys(ENGINE_NAMES);
  const sorted = [...rules].sort((a, b) => order.indexOf(a.engine) - order.indexOf(b.engine));
  const rows = sorted.map((r) => {
    const fix = [r.fixable ? 'autofix' : '', r.hasSuggestions ? 'suggestion' : ''].filter(Boolean).join(', ');
    return `| [\`${reportedId(r)}\`](${pagePath(r)}) | ${ENGINE_NAMES[r.engine]} | \`${r.category}\` | ${r.defaultSeverity} | ${fix} | ${sentence(r.description).replaceAll('|', '\\|')} |`;
  });
  return [TABLE_BEGIN, '| rule | language | category | severity | fix | reports |', '|---|---|---|---|---|---|', ...rows, TABLE_END].join('\n');
}

export function replaceTable(doc, rules) {
  return between(doc, TABLE_BEGIN, TABLE_END, README_PATH, renderTable(rules));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { RULES } = await import('../dist/index.js');
  const rules = Object.values(RULES);
  for (const rule of rules) {
    const path = `${REPO_ROOT}${pagePath(rule)}`;
    writeFileSync(path, replaceHeader(readFileSync(path, 'utf8'), rule));
  }
  writeFileSync(README_PATH, replaceTable(readFileSync(README_PATH, 'utf8'), rules));
  console.log(`wrote ${rules.length} rule page headers and the README's rules table`);
}
