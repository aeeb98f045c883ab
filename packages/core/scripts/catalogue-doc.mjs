// Renders the source catalogue (SOURCE_CATALOGUE) as the tables of docs/sources.md.
// `npm run docs:sources -w @snapstart/core` rewrites them; a test fails when they are out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DOC_PATH = fileURLToPath(new URL('../../../docs/sources.md', import.meta.url));
export const BEGIN = '<!-- catalogue:begin (generated from packages/core/src/sources.ts) -->';
export const END = '<!-- catalogue:end -->';

const cell = (text) => String(text).replaceAll('|', '\\|');

function when(entry) {
  const w = entry.when;
  if (w === undefined) return '';
  if (w === 'no-args') return 'without arguments';
  if (w === 'unseeded') return 'without a seed';
  if (w === 'unseeded-factory') return 'draws; generator made without a seed';
  if (w === 'factory') return 'draws from the generator';
  if (w.withOption !== undefined) return `with \`${w.withOption}\``;
  return `without \`${w.missingOption}\``;
}

/** The Markdown between the markers, for a catalogue. */
export function renderCatalogue(catalogue) {
  const rows = catalogue.map((e) => {
    const path = e.path === '' ? '(the module)' : `\`${e.path}\``;
    const module = e.module === 'global' ? 'global' : `\`${e.module}\``;
    const rule = [e.category ? `no-init-${e.category === 'other' ? 'custom-source' : e.category}` : '', e.state ? `no-init-entropy-cache (${e.state.id})` : '']
      .filter(Boolean)
      .join(', ');
    return `| ${module} | ${cell(path)} | ${cell(when(e))} | ${rule} | ${cell(e.why)} | ${cell(e.checked)} |`;
  });
  return [BEGIN, '| module | export | when | reported by | why | checked against |', '|---|---|---|---|---|---|', ...rows, END].join('\n');
}

export function replaceCatalogue(doc, catalogue) {
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < 0) throw new Error(`${DOC_PATH}: catalogue markers not found`);
  return doc.slice(0, start) + renderCatalogue(catalogue) + doc.slice(end + END.length);
}

export const PY_BEGIN = '<!-- python-catalogue:begin (generated from packages/core/src/sources-python.ts) -->';
export const PY_END = '<!-- python-catalogue:end -->';

/** The Markdown table of the Python catalogue (PYTHON_SOURCE_CATALOGUE), between its markers. */
export function renderPythonCatalogue(catalogue) {
  const whenText = (w) => (w === undefined ? '' : w === 'unseeded' ? 'without a constant seed' : `with \`${w.withKeyword}=\``);
  const rows = catalogue.map((e) => {
    const rule = e.category ? `python/no-init-${e.category}` : '(not a source)';
    return `| \`${e.module}\` | \`${cell(e.path)}\` | ${e.kind} | ${cell(whenText(e.when))} | ${rule} | ${cell(e.why)} | ${cell(e.checked)} |`;
  });
  return [PY_BEGIN, '| module | name | kind | when | reported by | why | checked against |', '|---|---|---|---|---|---|---|', ...rows, PY_END].join('\n');
}

export function replacePythonCatalogue(doc, catalogue) {
  const start = doc.indexOf(PY_BEGIN);
  const end = doc.indexOf(PY_END);
  if (start < 0 || end < 0) throw new Error(`${DOC_PATH}: Python catalogue markers not found`);
  return doc.slice(0, start) + renderPythonCatalogue(catalogue) + doc.slice(end + PY_END.length);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { SOURCE_CATALOGUE, PYTHON_SOURCE_CATALOGUE } = await import('../dist/index.js');
  writeFileSync(DOC_PATH, replacePythonCatalogue(replaceCatalogue(readFileSync(DOC_PATH, 'utf8'), SOURCE_CATALOGUE), PYTHON_SOURCE_CATALOGUE));
  console.log(`wrote ${DOC_PATH}`);
}
