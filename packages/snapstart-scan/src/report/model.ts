import type { Diagnostic, Finding, Severity } from '@snapstart/core';
import type { Language, SkipCounts } from '../discover/files.js';
import type { Shard } from '../discover/shard.js';
import type { Confirmation, ConfirmSummary } from '../confirm/model.js';

/** 2 added `--confirm`'s `confirmation` per finding and `confirm` per report (1 is still read by merge). */
export const REPORT_SCHEMA_VERSION = 2;

/** A finding as the CLI reports it: the shared Finding plus what identifies it across edits. */
export interface ScanFinding extends Finding {
  readonly language: Language;
  /**
   * `<hex>:<n>`: a hash of the rule and the flagged line's text (whitespace-normalised), and which
   * occurrence of that pair in the file it is. Unrelated edits (lines added above) leave it alone.
   * SARIF's `partialFingerprints.primaryLocationLineHash`.
   */
  readonly lineHash: string;
  /** The line hash bound to the file: what baselines record. */
  readonly fingerprint: string;
  /** With `--confirm`: whether real clones repeated the value (see docs/cli.md, "Confirming findings"). */
  readonly confirmation?: Confirmation;
}

/**
 * Skips by reason: those of discovery, plus files found to be binary when read and files whose
 * analysis went over the per-file time or memory budget.
 */
export type ReportSkips = SkipCounts & { binary: number; overBudget: number };

export function emptyReportSkips(): ReportSkips {
  return { gitignored: 0, excluded: 0, tests: 0, tooLarge: 0, notRegular: 0, unreadable: 0, binary: 0, overBudget: 0 };
}

export interface ScanStats {
  readonly files: number;
  /** Files parsed; the others mention no source of unique values and cannot have a finding. */
  readonly parsed: number;
  readonly byLanguage: Readonly<Record<Language, number>>;
  /** Source files left out, by reason: a file is never dropped without one (`--list-files` lists them). */
  readonly skipped: Readonly<ReportSkips>;
  readonly durationMs: number;
}

/** The whole result of a scan (or of merged shards): what every format renders. */
export interface ScanReport {
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION;
  readonly tool: { readonly name: 'snapstart-scan'; readonly version: string };
  /** Set when the scan covered one shard of several. */
  readonly shard?: Shard;
  readonly findings: readonly ScanFinding[];
  readonly diagnostics: readonly Diagnostic[];
  readonly suppressed: { readonly inSource: number; readonly baseline: number };
  readonly stats: ScanStats;
  /** With `--confirm`: the counts by confirmation state and one entry per handler run. */
  readonly confirm?: ConfirmSummary;
}

export interface Counts {
  readonly error: number;
  readonly warning: number;
  readonly note: number;
}

export function countBySeverity(findings: readonly { severity: Severity }[]): Counts {
  const counts = { error: 0, warning: 0, note: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}
