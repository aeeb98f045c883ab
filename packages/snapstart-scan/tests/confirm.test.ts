import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../src/config/schema.js';
import { executeConfirm } from '../src/confirm/execute.js';
import { matchRun } from '../src/confirm/match.js';
import type { Evidence, HandlerRunSummary } from '../src/confirm/model.js';
import { planTargets } from '../src/confirm/plan.js';
import type { ScanFinding } from '../src/report/model.js';
import { scan } from '../src/scan.js';
import { CONFIRM_REPO, makeRepo } from './helpers.js';

function finding(file: string, line: number, category: ScanFinding['category'], extra: Partial<ScanFinding> = {}): ScanFinding {
  return {
    ruleId: `snapstart/no-init-${category}`,
    category,
    severity: 'error',
    file,
    line,
    column: 1,
    message: 'm',
    initPath: [],
    language: 'typescript',
    lineHash: `${file}:${line}:${category}`,
    fingerprint: `${file}:${line}:${category}`,
    ...extra,
  };
}

function evidence(extra: Partial<Evidence>): Evidence {
  return { value: 'v-0123456789', category: 'uuid', clones: [0, 1], paths: ['result.id'], origin: 'init', detectedBy: 'trace', causes: [], candidates: [], explanation: 'e', ...extra };
}

function run(duplicates: Evidence[], extra: Partial<HandlerRunSummary> = {}): HandlerRunSummary {
  return { handler: 'h.ts', exportName: 'handler', engine: 'node', outcome: 'ran', clones: 3, failedClones: 0, coldStarts: 2, invocations: 1, compared: 'results', duplicates, initSites: [], wallMs: 1, ...extra };
}

describe('matching findings with a run', () => {
  it('confirms a finding whose line made the repeated value, and one whose line caused it (an entropy cache filled there)', () => {
    const made = evidence({ site: { file: 'h.ts', line: 3, column: 12 } });
    const cached = evidence({ value: 'later-uuid', origin: 'handler', site: { file: 'h.ts', line: 9, column: 5 }, causes: [{ file: 'h.ts', line: 4, column: 1 }] });
    const r = matchRun([finding('h.ts', 3, 'uuid'), finding('h.ts', 4, 'entropy-cache'), finding('h.ts', 6, 'time')], run([made, cached]));
    expect(r.confirmations.map((c) => c.state)).toEqual(['confirmed', 'confirmed', 'not-reproduced']);
    expect(r.confirmations[1]!.evidence).toEqual([cached]);
    expect(r.confirmations[2]!.reason).toMatch(/no repeated value was linked to this line; ran 3 clones and 2 cold starts on the node engine/);
    expect(r.dynamic).toEqual([]);
  });

  it('reports a repeated value linked to no finding as a dynamic-only result at its own site', () => {
    const hidden = evidence({ value: 'hidden', site: { file: 'lib.ts', line: 7, column: 2 } });
    const r = matchRun([finding('h.ts', 3, 'uuid')], run([hidden]));
    expect(r.confirmations[0]!.state).toBe('not-reproduced');
    expect(r.dynamic).toHaveLength(1);
    expect(r.dynamic[0]).toMatchObject({ file: 'lib.ts', line: 7, column: 2, handler: 'h.ts' });
  });

  it('ties an untraced value (linux engine) to the only finding of its category, never to a guess among several', () => {
    const untraced = evidence({ detectedBy: 'oracle', origin: 'unknown' });
    expect(matchRun([finding('H.java', 16, 'uuid'), finding('H.java', 17, 'random')], run([untraced])).confirmations.map((c) => c.state)).toEqual(['confirmed', 'not-reproduced']);
    expect(matchRun([finding('H.java', 16, 'uuid'), finding('H.java', 18, 'uuid')], run([untraced])).confirmations.map((c) => c.state)).toEqual(['not-reproduced', 'not-reproduced']);
  });

  it('confirms, as a candidate, a finding of a fitting category where init read entropy that may feed an untraced value', () => {
    const hmac = evidence({ value: '00ff', category: 'random', detectedBy: 'oracle', origin: 'unknown', candidates: [{ file: 'h.cjs', line: 5, column: 1 }, { file: 'h.cjs', line: 7, column: 1 }] });
    const r = matchRun([finding('h.cjs', 5, 'random'), finding('h.cjs', 7, 'time'), finding('h.cjs', 9, 'random')], run([hmac]));
    expect(r.confirmations.map((c) => c.state)).toEqual(['confirmed', 'not-reproduced', 'not-reproduced']);
    expect(r.confirmations[0]!.reason).toMatch(/one of 2 init reads of entropy that may feed it/);
  });

  it('marks every finding not-run, with the reason, when the run tested nothing', () => {
    const r = matchRun([finding('h.ts', 3, 'uuid')], run([], { outcome: 'failed', error: 'the handler failed in every clone: boom' }));
    expect(r.confirmations[0]).toMatchObject({ state: 'not-run', reason: 'the handler failed in every clone: boom' });
  });
});

describe('planning', () => {
  it('uses --event FILE, a folder of <stem>.json, or event.json beside the handler, and {} otherwise', () => {
    const repo = makeRepo({ 'a/handler.ts': '', 'a/event.json': '{"x":1}', 'b/handler.ts': '', 'events/handler.json': '{"y":2}' });
    try {
      const fs = [finding('a/handler.ts', 1, 'uuid'), finding('b/handler.ts', 1, 'uuid')];
      expect(planTargets(fs, { root: repo.dir, engine: 'node' }).map((t) => [t.handler, t.event, t.eventSource])).toEqual([
        ['a/handler.ts', { x: 1 }, 'a/event.json'],
        ['b/handler.ts', {}, '{}'],
      ]);
      expect(planTargets(fs, { root: repo.dir, engine: 'node', event: 'events' }).map((t) => t.event)).toEqual([{ y: 2 }, { y: 2 }]);
      expect(planTargets(fs, { root: repo.dir, engine: 'node', event: 'missing.json' })[0]!.notRun).toBe('no event file missing.json');
    } finally {
      repo.cleanup();
    }
  });
});

describe('--confirm on real clones (node engine)', () => {
  it('confirms a real bug, does not reproduce a flagged value no output carries, and reports what only the run saw', async () => {
    const repo = makeRepo(CONFIRM_REPO);
    try {
      const outcome = await scan({ root: repo.dir, paths: ['.'], config: DEFAULT_CONFIG, concurrency: 'off' });
      const findings = outcome.report.findings;
      const bug = findings.filter((f) => f.file === 'bug/handler.ts');
      const bucket = findings.filter((f) => f.file === 'bucket/handler.ts');
      expect(bug.map((f) => f.line)).toContain(2);
      expect(bucket.length).toBeGreaterThan(0);
      const targets = planTargets(findings, { root: repo.dir, engine: 'node' });
      const done: string[] = [];
      const result = await executeConfirm(targets, { root: repo.dir, clones: 3, cold: 2, timeoutSeconds: 120, cacheDir: false, onHandlerDone: () => done.push('x') });
      expect(done).toHaveLength(2);
      for (const f of bug.filter((g) => g.line === 2)) expect(result.confirmations.get(f.fingerprint)?.state).toBe('confirmed');
      for (const f of bucket) {
        const c = result.confirmations.get(f.fingerprint)!;
        expect(c.state).toBe('not-reproduced');
        expect(c.reason).toMatch(/ran 3 clones and 2 cold starts on the node engine/);
      }
      expect(result.dynamic.map((d) => [d.file, d.line])).toEqual([['bug/handler.ts', 4]]);
      expect(result.summary).toMatchObject({ notRun: 0, dynamicOnly: 1 });
    } finally {
      repo.cleanup();
    }
  });

  it('does not run an unchanged handler again (cache keyed by its bundle), and runs it again after an edit to a module it imports', async () => {
    const repo = makeRepo({
      'h/handler.ts': "import { randomUUID } from 'node:crypto';\nimport { id } from './lib.js';\nconst own = randomUUID();\nexport async function handler() {\n  return { id, own };\n}\n",
      'h/lib.ts': "import { randomUUID } from 'node:crypto';\nexport const id = randomUUID();\n",
    });
    try {
      const cacheDir = `${repo.dir}/.cache`;
      const findings = (await scan({ root: repo.dir, paths: ['.'], config: DEFAULT_CONFIG, concurrency: 'off' })).report.findings;
      const targets = () => planTargets(findings, { root: repo.dir, engine: 'node' });
      const options = { root: repo.dir, clones: 2, cold: 1, timeoutSeconds: 120, cacheDir };
      const first = await executeConfirm(targets(), options);
      const second = await executeConfirm(targets(), options);
      const ran = (r: typeof first) => r.summary.handlers.find((h) => h.handler === 'h/handler.ts')!;
      expect(ran(first)).toMatchObject({ outcome: 'ran', cached: false });
      expect(ran(second)).toMatchObject({ outcome: 'ran', cached: true });
      // lib.ts exports no handler: its finding is confirmed by the run of the handler that imports it.
      const libFinding = findings.find((f) => f.file === 'h/lib.ts')!;
      expect(second.confirmations.get(libFinding.fingerprint)?.state).toBe('confirmed');
      const { writeFileSync } = await import('node:fs');
      writeFileSync(`${repo.dir}/h/lib.ts`, "import { randomUUID } from 'node:crypto';\nexport const id = `x-${randomUUID()}`;\n");
      const third = await executeConfirm(targets(), options);
      expect(ran(third)).toMatchObject({ outcome: 'ran', cached: false });
    } finally {
      repo.cleanup();
    }
  });
});
