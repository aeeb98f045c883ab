import { readFileSync } from 'node:fs';
import { isCategory, type Diagnostic } from '@snapstart/core';
import type { Log, Result } from 'sarif';
import type { Language } from '../discover/files.js';
import type { Confirmation } from '../confirm/model.js';
import { REPORT_SCHEMA_VERSION, type ScanFinding, type ScanReport } from './model.js';

/** A report file that merge cannot use, naming the file and what is wrong. */
export class ReportError extends Error {
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'ReportError';
  }
}

function fromSarif(file: string, log: Log): ScanReport {
  const run = log.runs[0];
  if (!run || log.runs.length !== 1) throw new ReportError(file, `expected one SARIF run, found ${log.runs.length}`);
  if (run.tool.driver.name !== 'snapstart-scan') throw new ReportError(file, `a SARIF log of ${run.tool.driver.name}, not of snapstart-scan`);
  const props = (run.properties?.['snapstart'] ?? undefined) as Partial<ScanReport> & { diagnostics?: Diagnostic[] } | undefined;
  if (!props?.stats) throw new ReportError(file, 'this SARIF log has no run.properties.snapstart (written by another version?)');
  const findings = (run.results ?? []).map((r: Result, i): ScanFinding => {
    const loc = r.locations?.[0]?.physicalLocation;
    const p = (r.properties ?? {}) as Record<string, unknown>;
    const uri = loc?.artifactLocation?.uri;
    const region = loc?.region;
    if (!r.ruleId || !uri || !region?.startLine) throw new ReportError(file, `result ${i} has no rule id or location`);
    return {
      ruleId: r.ruleId,
      category: isCategory(p['category']) ? p['category'] : 'other',
      severity: (r.level === 'error' || r.level === 'warning' || r.level === 'note' ? r.level : 'warning'),
      file: uri.split('/').map(decodeURIComponent).join('/'),
      line: region.startLine,
      column: region.startColumn ?? 1,
      ...(region.endLine !== undefined ? { endLine: region.endLine } : {}),
      ...(region.endColumn !== undefined ? { endColumn: region.endColumn } : {}),
      message: r.message.text ?? '',
      initPath: Array.isArray(p['initPath']) ? (p['initPath'] as ScanFinding['initPath']) : [],
      ...(typeof p['fix'] === 'string' ? { fix: p['fix'] } : {}),
      ...(typeof p['source'] === 'string' ? { source: p['source'] } : {}),
      language: (p['language'] as Language | undefined) ?? 'typescript',
      lineHash: r.partialFingerprints?.['primaryLocationLineHash'] ?? '',
      fingerprint: typeof p['fingerprint'] === 'string' ? p['fingerprint'] : '',
      ...(confirmationOf(p) ? { confirmation: confirmationOf(p)! } : {}),
    };
  });
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'snapstart-scan', version: run.tool.driver.version ?? '' },
    ...(props.shard ? { shard: props.shard } : {}),
    findings,
    diagnostics: props.diagnostics ?? [],
    suppressed: props.suppressed ?? { inSource: 0, baseline: 0 },
    stats: props.stats,
    ...(props.confirm ? { confirm: props.confirm } : {}),
  };
}

/** `--confirm`'s result as SARIF carries it (`properties.snapstart.confirmation`). */
function confirmationOf(p: Record<string, unknown>): Confirmation | undefined {
  const c = (p['snapstart'] as { confirmation?: Confirmation } | undefined)?.confirmation;
  return c && typeof c.state === 'string' ? c : undefined;
}

/** Reads a report written by `--format json` or `--format sarif`. */
export function readReport(file: string): ScanReport {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ReportError(file, code ? `cannot read: ${code}` : `not JSON: ${(err as Error).message}`);
  }
  const obj = data as Record<string, unknown>;
  if (obj && obj['version'] === '2.1.0' && Array.isArray(obj['runs'])) return fromSarif(file, data as Log);
  const tool = obj?.['tool'] as { name?: unknown } | undefined;
  if (obj && tool?.name === 'snapstart-scan') {
    // Version 1 is version 2 without --confirm's fields: read it as such.
    if (obj['schemaVersion'] !== REPORT_SCHEMA_VERSION && obj['schemaVersion'] !== 1) {
      throw new ReportError(file, `report schemaVersion ${String(obj['schemaVersion'])} is not supported (expected 1 or ${REPORT_SCHEMA_VERSION})`);
    }
    return { ...(data as ScanReport), schemaVersion: REPORT_SCHEMA_VERSION };
  }
  throw new ReportError(file, 'not a snapstart-scan report (expected the output of --format json or --format sarif)');
}
