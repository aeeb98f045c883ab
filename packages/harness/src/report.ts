import { relative } from 'node:path';
import type { CloneResult, HarnessRun } from './types.js';
import type { ContainmentSummary } from './containment/summary.js';

const useColor = (): boolean => process.stdout.isTTY === true && !process.env['NO_COLOR'];
const paint = (code: number, text: string): string => (useColor() ? `\u001b[${code}m${text}\u001b[0m` : text);

function ms(value: number | undefined): string {
  return value === undefined ? '-' : `${value.toFixed(1)} ms`;
}

function shorten(value: string, width = 40): string {
  return value.length <= width ? value : `${value.slice(0, width - 1)}…`;
}

function outputs(c: CloneResult): string {
  const logs = c.invocations.reduce((n, i) => n + i.logs.length, 0);
  const reqs = c.invocations.reduce((n, i) => n + i.requests.length, 0);
  return `${logs} log, ${reqs} req`;
}

function row(c: CloneResult): string[] {
  const label = `${c.kind} ${c.index}`.padEnd(9);
  const status = c.status === 'ok' ? paint(32, c.status.padEnd(11)) : paint(31, c.status.padEnd(11));
  const shown = c.status === 'ok' ? JSON.stringify(c.result) : (c.error?.message ?? '');
  const lines = [`  ${label} ${status} ${ms(c.wallMs).padStart(10)} ${ms(c.invokeMs).padStart(10)}  ${outputs(c).padEnd(14)} ${shorten(shown ?? 'undefined', 60)}`];
  if (c.status !== 'ok' && c.stderr.trim()) for (const l of c.stderr.trim().split('\n').slice(-5)) lines.push(`            ${paint(2, l)}`);
  return lines;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "compared 4 clones (0 failed) with 3 cold starts (1 failed): per clone 2 result values, 3 log lines, 1 request, 2 traced values". */
export function coverageText(run: HarnessRun): string {
  const { clones, coldStarts, compared } = run.coverage;
  const what = [
    plural(compared.resultValues, 'result value'),
    plural(compared.logLines, 'log line'),
    plural(compared.requests, 'request'),
    plural(compared.tracedValues, 'traced value'),
  ].join(', ');
  return `compared ${plural(clones.ran, 'clone')} (${clones.failed} failed) with ${plural(coldStarts.ran, 'cold start')} (${coldStarts.failed} failed): per clone ${what}`;
}

/** One line of what contained the instances (details in `--json`), and what this machine could not provide. */
function containmentLines(c: ContainmentSummary): string[] {
  const head = (text: string): string => text.split(/[:;]/)[0]!.trim();
  const out = [`  contained: ${head(c.network)} · ${head(c.processes)} · memory ${head(c.memory)}`];
  if (c.limited) out.push(paint(33, `  containment limited on this machine: ${c.limited}`));
  return out;
}

/** The readable report: instances × status, then the duplicated values with where they came from and where they went. */
export function formatRun(run: HarnessRun, cwd = process.cwd()): string {
  const lines: string[] = [];
  const n = run.clones.length;
  const engine = run.engine === 'node' ? run.engine : `${run.engine} (${run.accelerator ?? '?'}, vmgenid ${run.vmgenid ?? 'fresh'})`;
  lines.push(
    `snapstart-harness: ${relative(cwd, run.entry)} (export '${run.exportName}'), ${n} clones + ${run.coldStarts.length} cold starts × ` +
      `${run.invocations} invocation${run.invocations === 1 ? '' : 's'}, engine ${engine}`,
  );
  lines.push(
    `  init ${ms(run.timings.initMs)} · snapshot ${ms(run.timings.snapshotMs)} (${(run.timings.blobBytes / 1048576).toFixed(1)} MiB) · ` +
      `clones ${ms(run.timings.restoreMs)} · cold starts ${ms(run.timings.coldMs)}`,
  );
  if (run.containment) lines.push(...containmentLines(run.containment));
  lines.push('');
  lines.push('  instance  status            wall   in function  outputs        result');
  for (const c of run.clones) lines.push(...row(c));
  for (const c of run.coldStarts) lines.push(...row(c));
  lines.push('');
  lines.push(`  ${coverageText(run)}`);
  if (run.coverage.inconclusive) lines.push(paint(31, `  inconclusive: ${run.coverage.inconclusive}`));
  if (run.duplicates.length === 0 && run.sequences.length === 0 && !run.coverage.inconclusive) {
    lines.push(paint(32, '  no duplicated values across clones'));
    if (run.coldStarts.length < 2) lines.push('  (fewer than 2 cold starts: only traced values and values that look unique were compared)');
  }
  if (run.duplicates.length > 0) {
    lines.push(paint(31, `  ${run.duplicates.length} value(s) repeated across clones:`));
    for (const d of run.duplicates) {
      const at = run.invocations > 1 ? `, invocation ${d.invocations.map((i) => i + 1).join(',')}` : '';
      lines.push(`  ${paint(31, shorten(d.value, 44).padEnd(44))}  ${d.category.padEnd(8)} ${d.clones.length}/${n} clones${at}  [${d.detectedBy}]`);
      lines.push(`      ${d.explanation}`);
      if (d.paths.length > 0) lines.push(`      seen in ${d.paths.slice(0, 6).join(', ')}${d.paths.length > 6 ? `, and ${d.paths.length - 6} more` : ''}`);
    }
  }
  if (run.sequences.length > 0) {
    lines.push(paint(31, `  ${run.sequences.length} sequence(s) repeated across clones:`));
    for (const s of run.sequences) {
      lines.push(`  ${s.path}: ${shorten(s.values.join(' → '), 70)}  (clones ${s.clones.join(', ')})`);
      lines.push(`      ${s.explanation}`);
    }
  }
  return lines.join('\n');
}
