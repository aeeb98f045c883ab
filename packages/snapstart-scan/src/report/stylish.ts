import type { Severity } from '@snapstart/core';
import type { ConfirmationState } from '../confirm/model.js';
import type { Colors } from './colors.js';
import { countBySeverity, type ScanFinding, type ScanReport } from './model.js';

export interface StylishOptions {
  readonly colors: Colors;
  /** The lines of a file, for code frames (undefined: no frame). */
  readonly linesOf: (file: string) => readonly string[] | undefined;
  /** Lines of context above and below the flagged line. */
  readonly context?: number;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function severityLabel(s: Severity, c: Colors): string {
  return s === 'error' ? c.red('error') : s === 'warning' ? c.yellow('warning') : c.cyan('note');
}

/** `--confirm`'s verdict on a finding, as the column under it says it. */
function confirmationLabel(state: ConfirmationState, c: Colors): string {
  if (state === 'confirmed') return c.red('confirmed:');
  if (state === 'not-reproduced') return c.green('not reproduced:');
  return c.dim('not run:');
}

/** A few lines around the finding, with a caret line under the flagged range. */
export function codeFrame(lines: readonly string[], f: ScanFinding, c: Colors, context = 1): string[] {
  const first = Math.max(1, f.line - context);
  const last = Math.min(lines.length, f.line + context);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const text = (lines[n - 1] ?? '').replace(/\t/g, '  ');
    const marker = n === f.line ? c.red('>') : ' ';
    out.push(`  ${marker} ${c.dim(`${String(n).padStart(width)} |`)} ${text}`);
    if (n === f.line) {
      const raw = lines[n - 1] ?? '';
      const start = Math.max(0, f.column - 1);
      const end = f.endLine === f.line && f.endColumn !== undefined ? Math.max(f.endColumn - 1, start + 1) : Math.max(raw.trimEnd().length, start + 1);
      // Tabs were widened above: widen the caret offset the same way.
      const prefix = raw.slice(0, start).replace(/\t/g, '  ').replace(/[^ ]/g, ' ');
      out.push(`    ${' '.repeat(width)} ${c.dim('|')} ${prefix}${c.red('^'.repeat(Math.min(end - start, 120)))}`);
    }
  }
  return out;
}

/** ESLint-like text report: findings grouped by file with code frames, then diagnostics, then a summary. */
export function formatStylish(report: ScanReport, options: StylishOptions): string {
  const c = options.colors;
  const out: string[] = [];
  const byFile = new Map<string, ScanFinding[]>();
  for (const f of report.findings) {
    const list = byFile.get(f.file);
    if (list) list.push(f);
    else byFile.set(f.file, [f]);
  }
  for (const [file, findings] of byFile) {
    out.push('', c.underline(file));
    for (const f of findings) {
      out.push(`  ${c.dim(`${f.line}:${f.column}`)}  ${severityLabel(f.severity, c)}  ${f.message}  ${c.dim(f.ruleId)}`);
      const lines = options.linesOf(file);
      if (lines) out.push(...codeFrame(lines, f, c, options.context));
      if (f.fix) out.push(`    ${c.dim('fix:')} ${f.fix}`);
      if (f.confirmation) out.push(`    ${confirmationLabel(f.confirmation.state, c)} ${f.confirmation.reason}`);
    }
  }
  if (report.diagnostics.length > 0) {
    out.push('', c.bold(`${plural(report.diagnostics.length, 'file problem')} (not scanned, or scanned in part):`));
    for (const d of report.diagnostics) {
      const at = d.line !== undefined ? `:${d.line}${d.column !== undefined ? `:${d.column}` : ''}` : '';
      out.push(`  ${d.file}${at}  ${d.message}`);
    }
  }
  out.push('', summaryLine(report, c));
  return `${out.join('\n')}\n`;
}

/** `✖ 6 problems (5 errors, 1 warning) · 23 files (…) in 1.2 s, 19 files/s · 2 suppressed`. */
export function summaryLine(report: ScanReport, c: Colors): string {
  const counts = countBySeverity(report.findings);
  const total = report.findings.length;
  const s = report.stats;
  const langs = [
    s.byLanguage.typescript ? `${s.byLanguage.typescript} TypeScript` : '',
    s.byLanguage.javascript ? `${s.byLanguage.javascript} JavaScript` : '',
    s.byLanguage.java ? `${s.byLanguage.java} Java` : '',
    s.byLanguage.python ? `${s.byLanguage.python} Python` : '',
  ].filter(Boolean);
  const seconds = s.durationMs / 1000;
  const rate = seconds > 0 ? Math.round(s.files / seconds) : s.files;
  const parts = [
    `${plural(s.files, 'file')}${langs.length > 0 ? ` (${langs.join(', ')}; ${s.parsed} parsed)` : ''} in ${seconds.toFixed(1)} s, ${rate} files/s`,
  ];
  const suppressed = report.suppressed.inSource + report.suppressed.baseline;
  if (suppressed > 0) {
    const how = [
      report.suppressed.inSource ? `${report.suppressed.inSource} in source` : '',
      report.suppressed.baseline ? `${report.suppressed.baseline} by the baseline` : '',
    ].filter(Boolean);
    parts.push(`${suppressed} suppressed (${how.join(', ')})`);
  }
  if (report.diagnostics.length > 0) parts.push(plural(report.diagnostics.length, 'file problem'));
  if (report.shard) parts.push(`shard ${report.shard.index}/${report.shard.total}`);
  if (report.confirm) {
    const k = report.confirm;
    parts.push(`confirm: ${k.confirmed} confirmed, ${k.notReproduced} not reproduced, ${k.notRun} not run, ${k.dynamicOnly} dynamic only`);
  }
  const head =
    total === 0
      ? c.bold('✔ no problems')
      : c.bold(
          (counts.error > 0 ? c.red : c.yellow)(
            `✖ ${plural(total, 'problem')} (${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}${counts.note ? `, ${plural(counts.note, 'note')}` : ''})`,
          ),
        );
  return `${head} · ${parts.join(' · ')}`;
}
