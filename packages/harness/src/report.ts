import { relative } from 'node:path';
import type { HarnessRun } from './restore.js';

const useColor = (): boolean => process.stdout.isTTY === true && !process.env['NO_COLOR'];
const paint = (code: number, text: string): string => (useColor() ? `\u001b[${code}m${text}\u001b[0m` : text);

function ms(value: number | undefined): string {
  return value === undefined ? '-' : `${value.toFixed(1)} ms`;
}

function shorten(value: string, width = 40): string {
  return value.length <= width ? value : `${value.slice(0, width - 1)}…`;
}

/** The readable report: clones × status, then the duplicated values, highlighted. */
export function formatRun(run: HarnessRun, cwd = process.cwd()): string {
  const lines: string[] = [];
  const n = run.clones.length;
  lines.push(`snapstart-harness: ${relative(cwd, run.entry)} (export '${run.exportName}'), ${n} clones, engine ${run.engine}`);
  lines.push(
    `  init ${ms(run.timings.initMs)} · snapshot ${ms(run.timings.snapshotMs)} (${(run.timings.blobBytes / 1048576).toFixed(1)} MiB) · ` +
      `restore + invoke of all clones ${ms(run.timings.restoreMs)}`,
  );
  lines.push('');
  lines.push('  clone  status       wall        in clone   result');
  for (const c of run.clones) {
    const status = c.status === 'ok' ? paint(32, c.status.padEnd(11)) : paint(31, c.status.padEnd(11));
    const shown = c.status === 'ok' ? JSON.stringify(c.result) : (c.error?.message ?? '');
    lines.push(`  ${String(c.index).padStart(5)}  ${status}  ${ms(c.wallMs).padStart(10)}  ${ms(c.invokeMs).padStart(9)}   ${shorten(shown ?? 'undefined', 70)}`);
    if (c.status !== 'ok' && c.stderr.trim()) {
      for (const l of c.stderr.trim().split('\n').slice(-5)) lines.push(`         ${paint(2, l)}`);
    }
  }
  lines.push('');
  if (run.duplicates.length === 0) {
    lines.push(paint(32, '  no duplicated values across clones'));
  } else {
    lines.push(paint(31, `  ${run.duplicates.length} value(s) repeated across clones:`));
    for (const d of run.duplicates) {
      lines.push(`  ${paint(31, shorten(d.value, 44).padEnd(44))}  ${d.category.padEnd(8)} ${d.clones.length}/${n} clones`);
      lines.push(`      ${d.explanation}`);
      if (d.paths.length > 0) lines.push(`      seen in ${d.paths.join(', ')}`);
    }
  }
  return lines.join('\n');
}
