/**
 * Puts `--confirm`'s outcome into a report: a confirmation on every finding, the values only the
 * run saw as findings of their own rule (`dynamic/duplicate`, fingerprinted like any finding so
 * baselines work on them), and the summary.
 */
import { compareFindings, isCategory, RULES } from '@snapstart/core';
import { applyBaseline } from '../baseline.js';
import { languageOf } from '../discover/files.js';
import { fingerprintFile } from '../report/fingerprint.js';
import type { ScanFinding, ScanReport } from '../report/model.js';
import type { ConfirmOutcome } from './execute.js';
import type { DynamicResult } from './model.js';

const DYNAMIC = RULES['dynamic/duplicate'];

function dynamicFindings(results: readonly DynamicResult[], linesOf: (file: string) => readonly string[] | undefined): ScanFinding[] {
  const byFile = new Map<string, DynamicResult[]>();
  for (const d of results) {
    const list = byFile.get(d.file);
    if (list) list.push(d);
    else byFile.set(d.file, [d]);
  }
  const out: ScanFinding[] = [];
  for (const [file, list] of byFile) {
    const language = languageOf(file) ?? 'typescript';
    const findings = list.map((d) => ({
      ruleId: DYNAMIC.id,
      category: isCategory(d.evidence.category) ? d.evidence.category : DYNAMIC.category,
      severity: DYNAMIC.defaultSeverity,
      file,
      line: d.line,
      column: d.column,
      message: d.message,
      initPath: [],
      ...(d.evidence.api ? { source: d.evidence.api } : {}),
    }));
    const printed = fingerprintFile(findings, linesOf(file), language);
    // fingerprintFile sorts by position: pair each printed finding with its result again.
    for (const f of printed) {
      const d = list.find((r) => r.line === f.line && r.column === f.column && r.message === f.message)!;
      out.push({ ...f, confirmation: { state: 'confirmed', reason: `proved by the harness: ${d.evidence.explanation}`, handler: d.handler, engine: d.engine, evidence: [d.evidence] } });
    }
  }
  return out;
}

export function applyConfirmation(
  report: ScanReport,
  outcome: ConfirmOutcome,
  options: { readonly linesOf: (file: string) => readonly string[] | undefined; readonly baseline?: ReadonlyMap<string, number> },
): ScanReport {
  const findings = report.findings.map((f) => {
    const c = outcome.confirmations.get(f.fingerprint);
    return c ? { ...f, confirmation: c } : f;
  });
  let dynamic = dynamicFindings(outcome.dynamic, options.linesOf);
  let suppressedByBaseline = 0;
  if (options.baseline) {
    const applied = applyBaseline(dynamic, options.baseline);
    dynamic = applied.kept;
    suppressedByBaseline = applied.suppressed;
  }
  return {
    ...report,
    findings: [...findings, ...dynamic].sort(compareFindings),
    suppressed: { ...report.suppressed, baseline: report.suppressed.baseline + suppressedByBaseline },
    confirm: { ...outcome.summary, dynamicOnly: dynamic.length },
  };
}
