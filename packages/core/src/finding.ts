import type { Category } from './categories.js';

export type Severity = 'error' | 'warning' | 'note';

export type Language = 'typescript' | 'javascript' | 'java' | 'python';

/** One step of the chain that makes a piece of code run during init. */
export interface InitStep {
  /** Human text, e.g. "called from module scope". */
  readonly description: string;
  /** 1-based line of the step in the same file, when it has one. */
  readonly line?: number;
}

/**
 * A potential snapshot-uniqueness bug. The same shape comes out of the ESLint rules, the Java
 * scanner and the CLI, so reporters (text, JSON, SARIF) and baselines need to know only this.
 */
export interface Finding {
  readonly ruleId: string;
  readonly category: Category;
  readonly severity: Severity;
  /** Path of the file, as given to the analyzer (the CLI makes it relative to the scan root). */
  readonly file: string;
  /** 1-based line and column of the start; end is exclusive, also 1-based. */
  readonly line: number;
  readonly column: number;
  readonly endLine?: number;
  readonly endColumn?: number;
  readonly message: string;
  /** Why this code runs during init, outermost cause last. Empty for file-level diagnostics. */
  readonly initPath: readonly InitStep[];
  /** What to do about it. */
  readonly fix?: string;
  /** The source call that creates the value, e.g. "crypto.randomUUID". */
  readonly source?: string;
}

/** A problem with the input itself (unparsable file, unreadable file), never a bug report. */
export interface Diagnostic {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

/** Renders the init path as one phrase: "called from `init` (line 5) ← module scope (line 12)". */
export function describeInitPath(path: readonly InitStep[]): string {
  return path
    .map((step) => (step.line === undefined ? step.description : `${step.description} (line ${step.line})`))
    .join(', ');
}

/** Stable ordering for reports: file, then position, then rule. */
export function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.column !== b.column) return a.column - b.column;
  return a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0;
}
