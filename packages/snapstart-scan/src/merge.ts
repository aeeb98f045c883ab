import { compareFindings } from '@snapstart/core';
import type { ConfirmSummary } from './confirm/model.js';
import type { Language } from './discover/files.js';
import { emptyReportSkips, REPORT_SCHEMA_VERSION, type ReportSkips, type ScanFinding, type ScanReport } from './report/model.js';
import { VERSION } from './version.js';

/** Shards confirm their own handlers: counts add up, handler runs are listed together. */
function mergeConfirm(parts: ReadonlyArray<ConfirmSummary | undefined>): ConfirmSummary | undefined {
  const present = parts.filter((p): p is ConfirmSummary => p !== undefined);
  if (present.length === 0) return undefined;
  return {
    confirmed: present.reduce((n, p) => n + p.confirmed, 0),
    notReproduced: present.reduce((n, p) => n + p.notReproduced, 0),
    notRun: present.reduce((n, p) => n + p.notRun, 0),
    dynamicOnly: present.reduce((n, p) => n + p.dynamicOnly, 0),
    handlers: present.flatMap((p) => p.handlers),
  };
}

export class MergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MergeError';
  }
}

/**
 * Combines the reports of the shards of one scan into the report the unsharded scan gives:
 * findings and file problems together, counts summed, the duration of the slowest shard. With
 * shard information, every shard 1..N must be there exactly once (unless `allowPartial`).
 */
export function mergeReports(reports: ReadonlyArray<{ file: string; report: ScanReport }>, allowPartial = false): ScanReport {
  if (reports.length === 0) throw new MergeError('nothing to merge: give the reports of the shards');
  const sharded = reports.filter((r) => r.report.shard);
  if (sharded.length > 0 && !allowPartial) {
    const total = sharded[0]!.report.shard!.total;
    const seen = new Map<number, string>();
    for (const { file, report } of sharded) {
      if (report.shard!.total !== total) throw new MergeError(`${file} is shard ${report.shard!.index}/${report.shard!.total}, but ${sharded[0]!.file} is of ${total} shards`);
      const other = seen.get(report.shard!.index);
      if (other) throw new MergeError(`shard ${report.shard!.index}/${total} is given twice (${other} and ${file})`);
      seen.set(report.shard!.index, file);
    }
    const missing = Array.from({ length: total }, (_, i) => i + 1).filter((i) => !seen.has(i));
    if (missing.length > 0) throw new MergeError(`missing shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${total}`).join(', ')} (use --allow-partial to merge anyway)`);
    if (sharded.length !== reports.length) throw new MergeError('some reports are shards and some are not: merge the shards of one scan');
  }
  const findings: ScanFinding[] = [];
  const byLanguage: Record<Language, number> = { typescript: 0, javascript: 0, java: 0, python: 0 };
  const skipped = emptyReportSkips();
  const suppressed = { inSource: 0, baseline: 0 };
  let files = 0;
  let parsed = 0;
  let durationMs = 0;
  const diagnostics = [];
  for (const { report } of reports) {
    findings.push(...report.findings);
    diagnostics.push(...report.diagnostics);
    files += report.stats.files;
    parsed += report.stats.parsed ?? 0;
    durationMs = Math.max(durationMs, report.stats.durationMs);
    for (const k of Object.keys(byLanguage) as Language[]) byLanguage[k] += report.stats.byLanguage[k] ?? 0;
    // Discovery runs in full on every shard: its skip counts are the same in each. Files skipped
    // once read (binary, over budget) are each shard's own. Reports of older versions lack some keys.
    for (const k of Object.keys(skipped) as Array<keyof ReportSkips>) {
      const own = k === 'binary' || k === 'overBudget';
      if (own || !report.shard || report.shard.index === 1) skipped[k] += report.stats.skipped[k] ?? 0;
    }
    suppressed.inSource += report.suppressed.inSource;
    suppressed.baseline += report.suppressed.baseline;
  }
  // Discovery problems (unreadable paths, broken links) are seen by every shard: keep one of each.
  const seen = new Set<string>();
  const uniqueDiagnostics = diagnostics.filter((d) => {
    const key = `${d.file}|${d.line ?? ''}|${d.column ?? ''}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  uniqueDiagnostics.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)));
  const confirm = mergeConfirm(reports.map((r) => r.report.confirm));
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'snapstart-scan', version: VERSION },
    findings: findings.sort(compareFindings),
    diagnostics: uniqueDiagnostics,
    suppressed,
    stats: { files, parsed, byLanguage, skipped, durationMs },
    ...(confirm ? { confirm } : {}),
  };
}
