/** Reduces a harness run to what confirmation needs: the repeated values with what links them to source lines. */
import type { HarnessRun, Duplicate, TracedValue } from 'snapstart-harness';
import type { ConfirmEngine, Evidence, EvidenceSite, HandlerRunSummary } from './model.js';

/** `crypto.randomUUID (Web Crypto)` and `crypto.randomUUID` are the same source for linking. */
function apiBase(api: string): string {
  return api.replace(/\s*\(.*\)$/, '');
}

function site(s: { file: string; line: number; column: number } | undefined): EvidenceSite | undefined {
  return s ? { file: s.file, line: s.line, column: s.column } : undefined;
}

/** `crypto.randomBytes at src/a.ts:12` → the site. */
function parseInitSource(text: string): EvidenceSite | undefined {
  const m = / at (.+):(\d+)$/.exec(text);
  return m ? { file: m[1]!, line: Number(m[2]), column: 1 } : undefined;
}

function unique(sites: readonly EvidenceSite[]): EvidenceSite[] {
  const seen = new Set<string>();
  return sites.filter((s) => {
    const key = `${s.file}:${s.line}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function candidatesOf(d: Duplicate): EvidenceSite[] {
  return unique((d.initSources ?? []).flatMap((text) => parseInitSource(text) ?? []));
}

function causesOf(d: Duplicate, initTrace: readonly TracedValue[]): EvidenceSite[] {
  const out: EvidenceSite[] = [];
  // Made after restore and still repeated: init left the state behind (an entropy cache filled
  // by the same API, a generator seeded by it). The init calls of that API are the cause.
  if (d.origin !== 'init' && d.api) {
    const base = apiBase(d.api);
    for (const t of initTrace) if (apiBase(t.api) === base && t.site) out.push(site(t.site)!);
  }
  return unique(out);
}

export function evidenceOf(d: Duplicate, initTrace: readonly TracedValue[]): Evidence {
  const s = site(d.site);
  return {
    value: d.value,
    category: d.category,
    clones: [...d.clones],
    paths: [...d.paths],
    origin: d.origin,
    detectedBy: d.detectedBy,
    ...(d.api ? { api: d.api } : {}),
    ...(s ? { site: s } : {}),
    causes: causesOf(d, initTrace),
    candidates: candidatesOf(d),
    explanation: d.explanation,
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The run, summarised; `failed` when it tested nothing (every clone or every cold start failed). */
export function summarizeRun(handler: string, engine: ConfirmEngine, run: HarnessRun, wallMs: number): HandlerRunSummary {
  const failedClones = run.clones.filter((c) => c.status !== 'ok').length;
  const failedCold = run.coldStarts.filter((c) => c.status !== 'ok').length;
  const firstError = [...run.clones, ...run.coldStarts].find((c) => c.status !== 'ok')?.error?.message;
  const everyCloneFailed = failedClones === run.clones.length;
  const everyColdFailed = run.coldStarts.length > 0 && failedCold === run.coldStarts.length;
  const inconclusive = run.coverage?.inconclusive ?? (everyCloneFailed || everyColdFailed ? `the handler failed in every ${everyCloneFailed ? 'clone' : 'cold start'}` : undefined);
  const answered = run.clones.filter((c) => c.status === 'ok');
  const logLines = answered.reduce((n, c) => n + c.invocations.reduce((m, i) => m + i.logs.length, 0), 0);
  const requests = answered.reduce((n, c) => n + c.invocations.reduce((m, i) => m + i.requests.length, 0), 0);
  const compared = `results, ${plural(logLines, 'log line')} and ${plural(requests, 'outgoing request')}`;
  return {
    handler,
    exportName: run.exportName,
    engine,
    outcome: inconclusive ? 'failed' : 'ran',
    ...(inconclusive ? { error: firstError ? `${inconclusive}: ${firstError.split('\n')[0]}` : inconclusive } : {}),
    clones: run.clones.length,
    failedClones,
    coldStarts: run.coldStarts.length,
    invocations: run.invocations,
    compared,
    duplicates: [
      ...run.duplicates.map((d) => evidenceOf(d, run.initTrace)),
      ...run.sequences.map((s): Evidence => ({
        value: s.values.join(' → '),
        category: 'random',
        clones: [...s.clones],
        paths: [s.path],
        origin: 'init',
        detectedBy: 'sequence',
        causes: [],
        candidates: [],
        explanation: s.explanation,
      })),
    ],
    initSites: run.initTrace.flatMap((t) => (t.site ? [site(t.site)!] : [])),
    wallMs,
  };
}
