import { parse } from 'java-parser';
import type { Diagnostic } from '@snapstart/core';
import { convertCompilationUnit } from './model/convert.js';
import type { CstNode } from './model/cst.js';
import type { JFile } from './model/types.js';

/** Files above this size are reported and skipped: the parser would take too long on them. */
export const MAX_PARSE_BYTES = 8 * 1024 * 1024;

export type ParseOutcome = { readonly file: JFile } | { readonly diagnostic: Diagnostic };

/** Decodes bytes as UTF-8, or says why the file is not Java text. */
export function decodeSource(path: string, bytes: Uint8Array): { text: string } | { diagnostic: Diagnostic } {
  if (bytes.length > MAX_PARSE_BYTES) {
    return { diagnostic: { file: path, message: `skipped: ${(bytes.length / 1048576).toFixed(1)} MiB is over the ${MAX_PARSE_BYTES / 1048576} MiB limit for one Java file` } };
  }
  const probe = bytes.subarray(0, 8192);
  if (probe.includes(0)) return { diagnostic: { file: path, message: 'skipped: binary file (contains NUL bytes), not Java source' } };
  // Invalid UTF-8 (e.g. Latin-1 sources) decodes with replacement characters; identifiers and
  // tokens we look for are ASCII, so the analysis is unaffected.
  return { text: new TextDecoder('utf-8', { fatal: false }).decode(bytes) };
}

function humanize(rule: string): string {
  return rule.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** How many alternatives of a long "one of these token sequences" list are kept in a diagnostic. */
const MAX_ALTERNATIVES = 6;

/**
 * Turns java-parser's multi-line error into one line that keeps the parser's own words
 * ("expecting EOF but found: package"), with the alternatives of a long "expecting one of" list
 * shortened, and the grammar rule it was reading ("in a method declarator").
 */
export function parseErrorDiagnostic(path: string, err: unknown, text?: string): Diagnostic {
  if (err instanceof RangeError && text !== undefined) {
    // The recursive-descent parser ran out of stack: nesting too deep. It says nothing of where;
    // the deepest bracket nesting of the text is where it gave up.
    const at = deepestNesting(text);
    return { file: path, line: at.line, column: at.column, message: `cannot parse: nested too deeply for the parser (${at.depth} levels of brackets at the deepest point)` };
  }
  const message = err instanceof Error ? err.message : String(err);
  const position = /line: (\d+), column: (\d+)/.exec(message);
  const lines = message.split('\n');
  const body = lines.slice(1).filter((l) => !/^\s*->/.test(l) && l.trim() !== '');
  let what: string;
  if (body[0]?.startsWith('Expecting: one of these possible Token sequences')) {
    // Each alternative is a token sequence; its first token is what was expected here.
    const sequences = body.filter((l) => /^\s*\d+\. \[/.test(l)).map((l) => l.replace(/^\s*\d+\. \[(.*)\]$/, '$1'));
    const alternatives = [...new Set(sequences.map((seq) => seq.split(', ')[0]!))];
    const found = body.find((l) => l.startsWith('but found:'))?.replace(/!$/, '') ?? '';
    const shown = alternatives.slice(0, MAX_ALTERNATIVES).join(' | ');
    const more = alternatives.length > MAX_ALTERNATIVES ? ` | … (${alternatives.length - MAX_ALTERNATIVES} more)` : '';
    what = `expecting one of ${shown}${more} ${found}`.trim();
  } else {
    // "Redundant input, expecting EOF but found: package!", "Expecting token of type --> X <-- but found --> 'y' <--!"
    what = body.join(' ').replace(/!$/, '').trim() || 'syntax error';
    what = what.charAt(0).toLowerCase() + what.slice(1);
  }
  const rule = [...message.matchAll(/->(\w+)/g)].map((m) => m[1]!).at(-1);
  const where = rule && !['compilationUnit', 'ordinaryCompilationUnit'].includes(rule) ? ` (in ${/^[aeiou]/.test(humanize(rule)) ? 'an' : 'a'} ${humanize(rule)})` : '';
  return {
    file: path,
    ...(position ? { line: Number(position[1]), column: Number(position[2]) } : {}),
    message: `cannot parse: ${what}${where}`,
  };
}

/**
 * The line and column (1-based) where `(`, `[` and `{` nest deepest, skipping comments, string,
 * text-block and character literals.
 */
export function deepestNesting(text: string): { line: number; column: number; depth: number } {
  let depth = 0;
  let best = { line: 1, column: 1, depth: 0 };
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      lineStart = i + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      i = (end === -1 ? text.length : end) - 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      for (let k = i; k < stop; k++) {
        if (text[k] !== '\n') continue;
        line++;
        lineStart = k + 1;
      }
      i = stop - 1;
    } else if (c === '"' || c === "'") {
      const block = c === '"' && text.startsWith('"""', i);
      const close = block ? '"""' : c;
      let k = i + (block ? 3 : 1);
      while (k < text.length && !text.startsWith(close, k)) {
        if (text[k] === '\\') k++;
        else if (text[k] === '\n') {
          if (!block) break;
          line++;
          lineStart = k + 1;
        }
        k++;
      }
      i = k + close.length - 1;
    } else if (c === '(' || c === '[' || c === '{') {
      depth++;
      if (depth > best.depth) best = { line, column: i - lineStart + 1, depth };
    } else if (c === ')' || c === ']' || c === '}') {
      depth = Math.max(0, depth - 1);
    }
  }
  return best;
}

export function parseJavaSource(path: string, text: string): ParseOutcome {
  let cst: CstNode;
  try {
    cst = parse(text);
  } catch (err) {
    return { diagnostic: parseErrorDiagnostic(path, err, text) };
  }
  try {
    return { file: convertCompilationUnit(path, cst) };
  } catch (err) {
    // A CST shape the converter does not know must not take the scan down.
    return { diagnostic: { file: path, message: `internal error while reading the syntax tree: ${(err as Error).message}` } };
  }
}
