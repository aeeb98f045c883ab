import { readFileSync } from 'node:fs';
import { writeFileAtomic } from './io/atomic-write.js';
import type { ScanFinding } from './report/model.js';

export const BASELINE_VERSION = 1;

/**
 * A baseline: the findings a team has accepted, by fingerprint (file + rule + the flagged line's
 * text + occurrence). Line numbers are kept for people reading the file, not for matching, so
 * edits elsewhere in a file do not turn old findings into new ones.
 */
export interface BaselineFile {
  readonly schemaVersion: typeof BASELINE_VERSION;
  readonly tool: 'snapstart-scan';
  readonly findings: ReadonlyArray<{ readonly fingerprint: string; readonly ruleId: string; readonly file: string; readonly line: number; readonly message: string }>;
}

export class BaselineError extends Error {
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'BaselineError';
  }
}

export function writeBaseline(file: string, findings: readonly ScanFinding[]): void {
  const data: BaselineFile = {
    schemaVersion: BASELINE_VERSION,
    tool: 'snapstart-scan',
    findings: findings.map((f) => ({ fingerprint: f.fingerprint, ruleId: f.ruleId, file: f.file, line: f.line, message: f.message })),
  };
  writeFileAtomic(file, `${JSON.stringify(data, null, 2)}\n`);
}

/** Fingerprint → how many findings with it the baseline accepts. */
export function readBaseline(file: string): Map<string, number> {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new BaselineError(file, code ? `cannot read baseline: ${code}` : `baseline is not JSON: ${(err as Error).message}`);
  }
  const b = data as Partial<BaselineFile>;
  if (b?.tool !== 'snapstart-scan' || b.schemaVersion !== BASELINE_VERSION || !Array.isArray(b.findings)) {
    throw new BaselineError(file, `not a snapstart-scan baseline (schemaVersion ${BASELINE_VERSION}); write one with --write-baseline`);
  }
  const counts = new Map<string, number>();
  for (const [i, f] of (b.findings as unknown[]).entries()) {
    const fingerprint = (f as { fingerprint?: unknown } | null)?.fingerprint;
    if (typeof fingerprint !== 'string') throw new BaselineError(file, `findings[${i}] has no fingerprint`);
    counts.set(fingerprint, (counts.get(fingerprint) ?? 0) + 1);
  }
  return counts;
}

/** Splits findings into new ones and those the baseline accepts. */
export function applyBaseline(findings: readonly ScanFinding[], baseline: ReadonlyMap<string, number>): { kept: ScanFinding[]; suppressed: number } {
  const left = new Map(baseline);
  const kept: ScanFinding[] = [];
  let suppressed = 0;
  for (const f of findings) {
    const n = left.get(f.fingerprint) ?? 0;
    if (n > 0) {
      left.set(f.fingerprint, n - 1);
      suppressed++;
    } else {
      kept.push(f);
    }
  }
  return { kept, suppressed };
}
