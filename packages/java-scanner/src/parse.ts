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

/** Turns java-parser's multi-line error into: line, column, and "expected X, found Y". */
export function parseErrorDiagnostic(path: string, err: unknown): Diagnostic {
  const message = err instanceof Error ? err.message : String(err);
  const position = /line: (\d+), column: (\d+)/.exec(message);
  const found = /but found: '([^']*)'/.exec(message);
  const rules = [...message.matchAll(/->(\w+)/g)].map((m) => m[1]!);
  const where = rules.at(-1);
  const expected = where ? `expected ${/^[aeiou]/.test(humanize(where)) ? 'an' : 'a'} ${humanize(where)}` : 'syntax error';
  return {
    file: path,
    ...(position ? { line: Number(position[1]), column: Number(position[2]) } : {}),
    message: `cannot parse: ${expected}${found ? `, found '${found[1]}'` : ''}`,
  };
}

export function parseJavaSource(path: string, text: string): ParseOutcome {
  let cst: CstNode;
  try {
    cst = parse(text) as unknown as CstNode;
  } catch (err) {
    return { diagnostic: parseErrorDiagnostic(path, err) };
  }
  try {
    return { file: convertCompilationUnit(path, cst) };
  } catch (err) {
    // A CST shape the converter does not know must not take the scan down.
    return { diagnostic: { file: path, message: `internal error while reading the syntax tree: ${(err as Error).message}` } };
  }
}
