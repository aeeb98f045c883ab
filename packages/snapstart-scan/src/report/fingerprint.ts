import { createHash } from 'node:crypto';
import { RENAMED_RULE_IDS, type Finding } from '@snapstart/core';
import type { Language } from '../discover/files.js';
import type { ScanFinding } from './model.js';

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The text of a line as fingerprints see it: whitespace collapsed, so re-indenting changes nothing. */
export function normalizeLine(line: string): string {
  return line.trim().replace(/\s+/g, ' ');
}

/**
 * The id a rule's fingerprints are made with: its id before the 0.1 rename (`java/init-uuid` for
 * `java/no-init-uuid`), so that baselines and code-scanning alerts made before the rename still
 * match the same findings.
 */
const FINGERPRINT_ID: ReadonlyMap<string, string> = new Map(Object.entries(RENAMED_RULE_IDS).map(([old, renamed]) => [renamed, old]));

/**
 * Adds line hashes and fingerprints to the findings of one file. `lines` are the file's lines
 * (undefined if it could not be read: the message stands in for the line).
 */
export function fingerprintFile(findings: readonly Finding[], lines: readonly string[] | undefined, language: Language): ScanFinding[] {
  const occurrences = new Map<string, number>();
  const sorted = [...findings].sort((a, b) => a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : 1));
  return sorted.map((f) => {
    const text = lines ? normalizeLine(lines[f.line - 1] ?? '') : f.message;
    const hash = sha256(`${FINGERPRINT_ID.get(f.ruleId) ?? f.ruleId}\0${text}`).slice(0, 16);
    const n = (occurrences.get(hash) ?? 0) + 1;
    occurrences.set(hash, n);
    const lineHash = `${hash}:${n}`;
    return { ...f, language, lineHash, fingerprint: sha256(`${f.file}\0${lineHash}`).slice(0, 32) };
  });
}
