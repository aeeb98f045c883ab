/**
 * Joins a handler's static findings with what its harness run proved. A finding is `confirmed`
 * when a repeated value is linked to its lines — made there (the traced call site), or made later
 * from state created there (the init-time cause: an entropy cache filled, a generator seeded);
 * `not-reproduced` when the handler ran and nothing linked to it repeated. Repeated values linked
 * to no finding are the run's own results (`dynamic/duplicate`).
 */
import type { ScanFinding } from '../report/model.js';
import type { Confirmation, DynamicResult, Evidence, EvidenceSite, HandlerRunSummary } from './model.js';

/** The lines a finding stands for in its file: its own span and the init path's steps. */
function findingLines(f: ScanFinding): Set<number> {
  const lines = new Set<number>();
  for (let l = f.line; l <= (f.endLine ?? f.line); l++) lines.add(l);
  return lines;
}

function linkedSites(d: Evidence): EvidenceSite[] {
  return [...(d.site ? [d.site] : []), ...d.causes];
}

/** Finding categories a value of the harness's category can stand for, when no call site links them. */
const CATEGORY_MATCHES: Readonly<Record<string, readonly string[]>> = {
  uuid: ['uuid', 'entropy-cache'],
  random: ['random', 'secret', 'entropy-cache'],
  time: ['time'],
  secret: ['secret', 'random'],
};

function at(f: ScanFinding, sites: readonly EvidenceSite[]): boolean {
  const lines = findingLines(f);
  return sites.some((s) => s.file === f.file && lines.has(s.line));
}

function linkedBySite(f: ScanFinding, d: Evidence): boolean {
  return at(f, linkedSites(d));
}

function categoryFits(f: ScanFinding, d: Evidence): boolean {
  return (CATEGORY_MATCHES[d.category] ?? [d.category]).includes(f.category);
}

/**
 * An untraced value and an init read of entropy on the finding's line, of a fitting category — or
 * on the same line as a finding of a fitting category (one expression mixing a clock and a random
 * draw into a seed is one cause).
 */
function linkedAsCandidate(f: ScanFinding, d: Evidence, all: readonly ScanFinding[]): boolean {
  if (d.site || d.causes.length > 0 || !at(f, d.candidates)) return false;
  return categoryFits(f, d) || all.some((g) => g !== f && g.file === f.file && g.line === f.line && categoryFits(g, d) && at(g, d.candidates));
}

/**
 * For engines that trace no call site (linux: the runtime is the real JVM or CPython), a repeated
 * value can only be tied to a finding by what it is: the one finding of its category in the handler.
 */
function linkedByCategory(f: ScanFinding, d: Evidence, all: readonly ScanFinding[]): boolean {
  if (d.site || d.causes.length > 0 || d.candidates.length > 0) return false;
  if (!categoryFits(f, d)) return false;
  return all.filter((g) => categoryFits(g, d)).length === 1;
}

function describeRun(run: HandlerRunSummary): string {
  const cold = run.coldStarts > 0 ? ` and ${run.coldStarts} cold start${run.coldStarts === 1 ? '' : 's'}` : '';
  const inv = run.invocations > 1 ? ` × ${run.invocations} invocations` : '';
  return `${run.clones} clones${inv}${cold} on the ${run.engine} engine, comparing ${run.compared}`;
}

function valueText(d: Evidence): string {
  const v = d.value.length > 40 ? `${d.value.slice(0, 37)}…` : d.value;
  return `${JSON.stringify(v)} repeated in clones ${d.clones.join(', ')} (${d.paths.slice(0, 2).join(', ')})`;
}

export interface MatchResult {
  /** One confirmation per finding, in the order given. */
  readonly confirmations: readonly Confirmation[];
  readonly dynamic: readonly DynamicResult[];
}

/** Confirms the findings that belong to one handler against its run. */
export function matchRun(findings: readonly ScanFinding[], run: HandlerRunSummary): MatchResult {
  const used = new Set<Evidence>();
  const base = { handler: run.handler, engine: run.engine } as const;
  if (run.outcome === 'failed') {
    const reason = run.error ?? 'the handler did not run';
    return { confirmations: findings.map(() => ({ state: 'not-run', reason, ...base, evidence: [] })), dynamic: [] };
  }
  const confirmations = findings.map((f): Confirmation => {
    const bySite = run.duplicates.filter((d) => linkedBySite(f, d));
    const asCandidate = bySite.length > 0 ? [] : run.duplicates.filter((d) => linkedAsCandidate(f, d, findings));
    const byCategory = bySite.length + asCandidate.length > 0 ? [] : run.duplicates.filter((d) => linkedByCategory(f, d, findings));
    const evidence = [...bySite, ...asCandidate, ...byCategory];
    for (const d of evidence) used.add(d);
    if (evidence.length > 0) {
      const first = evidence[0]!;
      const how =
        bySite.length > 0
          ? ''
          : asCandidate.length > 0
            ? ` (no traced source made it; this line is ${first.candidates.length === 1 ? 'the one init read of entropy' : `one of ${first.candidates.length} init reads of entropy`} that may feed it)`
            : ' (matched by category: this engine traces no call sites)';
      return { state: 'confirmed', reason: `${valueText(first)}${how}; ran ${describeRun(run)}`, ...base, evidence };
    }
    const initHere = run.initSites.some((s) => s.file === f.file && findingLines(f).has(s.line));
    const seen = initHere ? 'init made a value here, but no output of the clones carried it' : 'no repeated value was linked to this line';
    return { state: 'not-reproduced', reason: `${seen}; ran ${describeRun(run)}`, ...base, evidence: [] };
  });
  const dynamic = run.duplicates
    .filter((d) => !used.has(d))
    .map((d): DynamicResult => ({
      ...base,
      file: d.site?.file ?? d.causes[0]?.file ?? run.handler,
      line: d.site?.line ?? d.causes[0]?.line ?? 1,
      column: d.site?.column ?? d.causes[0]?.column ?? 1,
      message: `The harness proved a value repeated across clones that no static finding points at: ${valueText(d)}. ${d.explanation}`,
      evidence: d,
    }));
  return { confirmations, dynamic };
}
