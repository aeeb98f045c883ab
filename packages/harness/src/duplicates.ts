/**
 * Decides which values are snapshot-uniqueness bugs. Engine-neutral: it sees only what the
 * instances produced.
 *
 * - Traced: a value a traced source (randomUUID, randomBytes, Math.random, …) produced after
 *   restore that two or more clones share; and a value two or more clones output that carries a
 *   value traced during init.
 * - Differential oracle: K cold starts (fresh processes, same code, no snapshot) run the same
 *   invocations. A value that differs between every pair of cold starts but is identical in two
 *   or more clones came from state the snapshot captured, whatever produced it. Values equal in
 *   cold starts are constants and never reported.
 * - Time: clones that agree to the millisecond are not duplicates; a timestamp from before the
 *   snapshot (init's clock) showing up after restore is.
 * - Without cold starts, a shared value that looks unique (UUID, long hex, token) still counts.
 */
import { asTime, invocationLeaves, valueLeaves, type Leaf } from './observe.js';
import type { CloneResult, Duplicate, DuplicateOrigin, RepeatedSequence, RunCoverage, TracedValue } from './types.js';
import type { SourceSite } from './sites.js';
import type { VmgenidMode } from '@snapstart/vmm-core';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const HEX = /^[0-9a-f]{16,}$/i;
const TOKEN = /^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9_-]{21,}$/;

/** Values that are unique by construction when they are not constants: IDs, tokens, long hex. */
export function looksUnique(value: string): boolean {
  return UUID.test(value) || HEX.test(value) || TOKEN.test(value);
}

/** Too short or too coarse to be unique by chance: booleans never get here; 2-digit numbers do. */
function specific(leaf: Leaf): boolean {
  if (leaf.kind === 'number') {
    const n = Number(leaf.value);
    return !Number.isInteger(n) || Math.abs(n) >= 100_000;
  }
  return leaf.value.length >= 6;
}

function where(site: SourceSite | undefined): string {
  return site ? `${site.file}:${site.line}` : 'an unknown site';
}

/** "crypto.randomUUID, called by @smithy/core," when a dependency made the call. */
function apiText(e: TracedValue): string {
  return e.via ? `${e.api}, called by ${e.via},` : e.api;
}

/** Whether an output leaf carries a traced value (equal, or containing it as text). */
function carries(leaf: string, traced: TracedValue): boolean {
  if (leaf === traced.value) return true;
  return traced.value.length >= 8 && leaf.includes(traced.value);
}

function categoryOf(value: string): string {
  return UUID.test(value) ? 'uuid' : 'random';
}

interface Builder {
  value: string;
  category: string;
  clones: Set<number>;
  invocations: Set<number>;
  paths: Set<string>;
  origin: DuplicateOrigin;
  detectedBy: Duplicate['detectedBy'];
  api?: string;
  site?: SourceSite;
  explanation: string;
  initSources?: string[];
}

export interface AnalysisInput {
  readonly clones: readonly CloneResult[];
  readonly coldStarts?: readonly CloneResult[];
  readonly initTrace: readonly TracedValue[];
  /** Epoch ms when the snapshot was taken (timestamps at or before it are init's). */
  readonly snapshotTakenAt?: number;
  /** How the microvm engine restored the clones: explains what the platform did or did not repair. */
  readonly microvm?: { readonly vmgenid: VmgenidMode; readonly reseedMathRandom: boolean };
  /** The events the instances were invoked with: values copied from them are not duplicates. */
  readonly events?: readonly unknown[];
  /** Whether a value is written in the function's code (a constant, not a duplicate). */
  readonly isConstant?: (value: string) => boolean;
  /**
   * False for engines that trace no call inside the function's runtime (linux: the real JVM,
   * CPython or Node): an untraced repeated value is then the rule, not a gap in the tracing.
   */
  readonly traced?: boolean;
}

const PLATFORM_RNG = /^crypto\.(getRandomValues|randomBytes|randomFillSync|randomInt)/;

/** What the microVM platform did, or could not do, about a value generated after restore. */
function platformNote(entry: TracedValue, microvm: AnalysisInput['microvm']): string {
  if (!microvm) return '';
  const platformRng = PLATFORM_RNG.test(entry.api) || (entry.api.startsWith('crypto.randomUUID') && !entry.cached);
  if (platformRng && microvm.vmgenid !== 'fresh') {
    return microvm.vmgenid === 'same'
      ? "; the guest RNG reseeds only when the generation ID changes, and these clones were restored with the snapshot's own (vmgenid 'same')"
      : '; the guest RNG reseeds only when the generation ID changes, and these clones have no vmgenid device (vmgenid none: a kernel without vmgenid support)';
  }
  if (entry.api === 'Math.random' && !microvm.reseedMathRandom) {
    return '; Duktape seeds Math.random once, when its heap is created, so clones continue the snapshot\'s stream (--reseed-math-random reseeds it on a new generation ID)';
  }
  return '';
}

export interface Analysis {
  readonly duplicates: Duplicate[];
  readonly sequences: RepeatedSequence[];
  readonly coverage: RunCoverage;
}

const answered = (c: CloneResult): boolean => c.invocations.length > 0;

/** Leaves per instance per invocation: leaves[instance][invocation] = path -> leaf. */
type LeafTable = Array<Array<Map<string, Leaf>>>;

function leafTable(instances: readonly CloneResult[]): LeafTable {
  return instances.map((c) =>
    c.invocations.map((inv) => {
      const m = new Map<string, Leaf>();
      if (inv.status === 'ok' || inv.status === 'threw') for (const leaf of invocationLeaves(inv)) if (!m.has(leaf.path)) m.set(leaf.path, leaf);
      return m;
    }),
  );
}

function pairwiseDistinct(values: readonly string[]): boolean {
  return values.length >= 2 && new Set(values).size === values.length;
}

/** Everything the steps share: the instances that answered, their leaves, and what init read. */
interface RunView {
  readonly input: AnalysisInput;
  readonly clones: readonly CloneResult[];
  readonly cloneLeaves: LeafTable;
  readonly coldLeaves: LeafTable;
  readonly maxInvocations: number;
  readonly takenAt: number;
  /** `API at file:line` of the entropy init read (at most 5). */
  readonly initSources: readonly string[];
  /** Values the function was given (the events) or carries (constants): never duplicates. */
  readonly given: (value: string) => boolean;
}

function viewOf(input: AnalysisInput): RunView {
  const clones = input.clones.filter(answered);
  const fromEvents = new Set((input.events ?? []).flatMap((e) => valueLeaves(e, 'event').map((l) => l.value)).filter((v) => v.length >= 6));
  return {
    input,
    clones,
    cloneLeaves: leafTable(clones),
    coldLeaves: leafTable((input.coldStarts ?? []).filter(answered)),
    maxInvocations: Math.max(0, ...clones.map((c) => c.invocations.length)),
    takenAt: input.snapshotTakenAt ?? Number.POSITIVE_INFINITY,
    initSources: [...new Set(input.initTrace.filter((e) => e.category !== 'other').map((e) => `${e.api} at ${where(e.site)}`))].slice(0, 5),
    given: (value) => fromEvents.has(value) || (value.length >= 8 && (input.isConstant?.(value) ?? false)),
  };
}

/** The duplicates found so far, by value. */
type Found = Map<string, Builder>;

/** Step 1: values a traced source produced after restore that two or more clones share. */
function tracedAfterRestore(view: RunView, found: Found): void {
  const { input } = view;
  const afterRestore = new Map<string, { entry: TracedValue; clones: Set<number>; invocations: Set<number> }>();
  for (const clone of view.clones) {
    for (const inv of clone.invocations) {
      for (const entry of inv.trace) {
        if (entry.category === 'time' || entry.phase === 'init') continue;
        const slot = afterRestore.get(entry.value) ?? { entry, clones: new Set<number>(), invocations: new Set<number>() };
        slot.clones.add(clone.index);
        slot.invocations.add(inv.index);
        afterRestore.set(entry.value, slot);
      }
    }
  }
  // Init's work that finished after the snapshot builder's report (an SDK prefetch still in flight)
  // reaches the clones' first trace, still marked as init's.
  const initEntries = [...input.initTrace, ...view.clones.flatMap((c) => c.trace.filter((e) => e.phase === 'init'))];
  const cacheFill = initEntries.find((e) => e.api.startsWith('crypto.randomUUID') && e.cached);
  for (const [value, slot] of afterRestore) {
    if (slot.clones.size < 2) continue;
    const { entry } = slot;
    const phaseText = entry.phase === 'restore' ? 'in an after-restore hook' : 'in the handler';
    const because =
      entry.api.startsWith('crypto.randomUUID') && entry.cached && cacheFill
        ? `, repeated because init filled Node's randomUUID entropy cache (${apiText(cacheFill)} at ${where(cacheFill.site)})`.replace(', at', ' at')
        : `, yet identical across clones (its generator state was captured in the snapshot)${platformNote(entry, input.microvm)}`;
    found.set(value, {
      value,
      category: entry.category,
      clones: slot.clones,
      invocations: slot.invocations,
      paths: new Set(),
      origin: entry.phase === 'restore' ? 'restore' : 'handler',
      detectedBy: 'trace',
      api: entry.api,
      ...(entry.site ? { site: entry.site } : {}),
      explanation: `generated ${phaseText} at ${where(entry.site)} (${apiText(entry)})${because}`.replace(',)', ')'),
    });
  }
}

/** How far ahead a clock-derived time (an expiry, a TTL) is still read as one: 400 days. */
const FUTURE_TIMES_MS = 400 * 24 * 3600 * 1000;

type Finding = Omit<Builder, 'clones' | 'invocations' | 'paths'>;

/** One output value shared by several clones at one path, with what the cold starts did there. */
interface SharedLeaf {
  readonly path: string;
  readonly invocation: number;
  readonly leaf: Leaf;
  readonly clones: readonly CloneResult[];
  readonly coldValues: readonly string[];
}

/** Why a shared value is a duplicate (a finding), or `undefined` when it is not one. */
function classifyShared(view: RunView, shared: SharedLeaf): Finding | undefined {
  const { leaf, coldValues, clones: sharing, invocation: j } = shared;
  const value = leaf.value;
  const { input, initSources } = view;
  const oracle = coldValues.length >= 2;
  const coldDiffer = pairwiseDistinct(coldValues);
  // Constant whatever the snapshot does: the cold starts agree among themselves.
  if (oracle && !coldDiffer) return undefined;
  if (view.given(value)) return undefined;
  const time = asTime(leaf, Date.now());
  if (time) {
    const firstStart = Math.min(...sharing.map((c) => c.startedAt));
    if (time.ms <= view.takenAt && time.ms + time.resolutionMs <= firstStart) {
      const traced = input.initTrace.find((e) => e.category === 'time' && carries(value, e));
      return {
        value,
        category: 'time',
        origin: 'init',
        detectedBy: traced ? 'trace' : 'oracle',
        ...(traced ? { api: traced.api, ...(traced.site ? { site: traced.site } : {}) } : {}),
        explanation: `a timestamp from init (${new Date(time.ms).toISOString()}, before the snapshot was taken) reused after restore${traced ? ` (${traced.api} at ${where(traced.site)})` : ''}`,
      };
    }
    const inWindow = sharing.every((c) => {
      const inv = c.invocations[j];
      return inv?.startedAt !== undefined && inv.endedAt !== undefined && time.ms + time.resolutionMs >= inv.startedAt && time.ms <= inv.endedAt + time.resolutionMs;
    });
    if (inWindow) return undefined; // clones that read the clock at the same moment
    // A time after the snapshot was taken (an expiry: now + 1 h, in seconds) was computed from a
    // clock read after restore: clones that share it ran in the same second, not from init's state.
    if (time.ms > view.takenAt && time.ms <= Date.now() + FUTURE_TIMES_MS) return undefined;
  }
  const fromInit = input.initTrace.find((e) => carries(value, e));
  if (fromInit) {
    return {
      value: fromInit.value,
      category: fromInit.category,
      origin: 'init',
      detectedBy: 'trace',
      api: fromInit.api,
      ...(fromInit.site ? { site: fromInit.site } : {}),
      explanation: `created during init at ${where(fromInit.site)} (${fromInit.api})`,
    };
  }
  if (!(oracle ? coldDiffer && specific(leaf) : looksUnique(value))) return undefined;
  const explanation = oracle
    ? `identical in ${sharing.length} clones but different in each of ${coldValues.length} cold starts: it comes from state init created and the snapshot captured` +
      (initSources.length
        ? `; init read entropy that may feed it: ${initSources.join(', ')}`
        : view.input.traced === false
          ? ' (this engine runs the function\'s own runtime and traces no call inside it, so the line that made it is not known)'
          : '; no entropy read at init was traced')
    : 'identical across clones but not produced by a traced source' + (initSources.length ? `; init created unique values that may feed it: ${initSources.slice(0, 3).join(', ')}` : '');
  return { value, category: categoryOf(value), origin: 'unknown', detectedBy: oracle ? 'oracle' : 'shape', explanation, ...(initSources.length ? { initSources: [...initSources] } : {}) };
}

/** The output values two or more clones share, per invocation and path. */
function* sharedLeaves(view: RunView): Generator<SharedLeaf> {
  for (let j = 0; j < view.maxInvocations; j++) {
    const byPath = new Map<string, Map<string, { leaf: Leaf; clones: CloneResult[] }>>();
    view.clones.forEach((clone, ci) => {
      for (const [path, leaf] of view.cloneLeaves[ci]![j] ?? new Map<string, Leaf>()) {
        const values = byPath.get(path) ?? new Map<string, { leaf: Leaf; clones: CloneResult[] }>();
        const slot = values.get(leaf.value) ?? { leaf, clones: [] };
        slot.clones.push(clone);
        values.set(leaf.value, slot);
        byPath.set(path, values);
      }
    });
    for (const [path, values] of byPath) {
      const coldValues = view.coldLeaves.map((inst) => inst[j]?.get(path)?.value).filter((v): v is string => v !== undefined);
      for (const { leaf, clones } of values.values()) if (clones.length >= 2) yield { path, invocation: j, leaf, clones, coldValues };
    }
  }
}

/** Step 2: shared output values, each classified (or attributed to a step-1 duplicate it contains). */
function sharedOutputs(view: RunView, found: Found): void {
  for (const shared of sharedLeaves(view)) {
    const viaAfterRestore = [...found.values()].find((d) => (d.origin === 'handler' || d.origin === 'restore') && shared.leaf.value.includes(d.value));
    if (viaAfterRestore) {
      viaAfterRestore.paths.add(shared.path);
      continue;
    }
    const finding = classifyShared(view, shared);
    if (!finding) continue;
    const target = found.get(finding.value) ?? { ...finding, clones: new Set<number>(), invocations: new Set<number>(), paths: new Set<string>() };
    for (const c of shared.clones) target.clones.add(c.index);
    target.invocations.add(shared.invocation);
    target.paths.add(shared.path);
    found.set(finding.value, target);
  }
}

/** Step 3: where the after-restore duplicates show up in the outputs. */
function pathsOfTraced(view: RunView, found: Found): void {
  for (const d of found.values()) {
    if (d.origin !== 'handler' && d.origin !== 'restore') continue;
    view.clones.forEach((clone, ci) => {
      if (!d.clones.has(clone.index)) return;
      for (const leaves of view.cloneLeaves[ci]!) for (const [path, leaf] of leaves) if (leaf.value.includes(d.value)) d.paths.add(path);
    });
  }
}

function toDuplicate(b: Builder): Duplicate {
  return {
    value: b.value,
    category: b.category,
    clones: [...b.clones].sort((x, y) => x - y),
    invocations: [...b.invocations].sort((x, y) => x - y),
    origin: b.origin,
    ...(b.api ? { api: b.api } : {}),
    ...(b.site ? { site: b.site } : {}),
    paths: [...b.paths].sort(),
    detectedBy: b.detectedBy,
    explanation: b.explanation,
    ...(b.initSources ? { initSources: b.initSources } : {}),
  };
}

/** Step 4: how many instances ran and failed, what was compared, and whether that proves anything. */
export function coverageOf(input: AnalysisInput): RunCoverage {
  const failed = (list: readonly CloneResult[]): number => list.filter((c) => c.status !== 'ok').length;
  const clones = input.clones;
  const colds = input.coldStarts ?? [];
  const ok = clones.filter((c) => c.status === 'ok');
  const invs = ok.flatMap((c) => c.invocations);
  const perClone = (n: number): number => (ok.length ? Math.round(n / ok.length) : 0);
  const compared = {
    resultValues: perClone(invs.reduce((n, i) => n + valueLeaves(i.result, 'result').length, 0)),
    logLines: perClone(invs.reduce((n, i) => n + i.logs.length, 0)),
    requests: perClone(invs.reduce((n, i) => n + i.requests.length, 0)),
    // Step 1 compares traced values other than clock readings.
    tracedValues: perClone(invs.reduce((n, i) => n + i.trace.filter((e) => e.category !== 'time').length, 0)),
  };
  const firstError = (list: readonly CloneResult[]): string => {
    const e = list.find((c) => c.error)?.error?.message;
    return e ? `: ${e.split('\n')[0]}` : '';
  };
  let inconclusive: string | undefined;
  if (clones.length > 0 && failed(clones) === clones.length) {
    inconclusive = `the function failed in every clone (${clones.length}/${clones.length})${firstError(clones)}`;
  } else if (colds.length > 0 && failed(colds) === colds.length) {
    inconclusive = `the function failed in every cold start (${colds.length}/${colds.length})${firstError(colds)}`;
  } else if (compared.resultValues + compared.logLines + compared.requests + compared.tracedValues === 0) {
    inconclusive = 'the clones produced nothing to compare: no result value, no log line, no request and no traced value';
  }
  return {
    clones: { ran: clones.length, failed: failed(clones) },
    coldStarts: { ran: colds.length, failed: failed(colds) },
    compared,
    ...(inconclusive ? { inconclusive } : {}),
  };
}

export function analyzeRun(input: AnalysisInput): Analysis {
  const view = viewOf(input);
  const found: Found = new Map();
  tracedAfterRestore(view, found);
  sharedOutputs(view, found);
  pathsOfTraced(view, found);
  return {
    duplicates: [...found.values()].map(toDuplicate).sort((a, b) => b.clones.length - a.clones.length || a.value.localeCompare(b.value)),
    sequences: repeatedSequences(view),
    coverage: coverageOf(input),
  };
}

/** Value streams over the invocations that two or more clones repeat exactly (a PRNG, a counter seeded at init). */
function repeatedSequences(view: RunView): RepeatedSequence[] {
  const { clones, cloneLeaves, coldLeaves, maxInvocations: invocations } = view;
  if (invocations < 2 || coldLeaves.length < 2) return [];
  const out: RepeatedSequence[] = [];
  const paths = new Set<string>();
  for (const inst of cloneLeaves) for (const m of inst) for (const p of m.keys()) paths.add(p);
  const seqOf = (inst: LeafTable[number], path: string): string[] | undefined => {
    const values: string[] = [];
    for (let j = 0; j < invocations; j++) {
      const leaf = inst[j]?.get(path);
      if (!leaf) return undefined;
      values.push(leaf.value);
    }
    return values;
  };
  for (const path of paths) {
    const groups = new Map<string, { values: string[]; clones: number[] }>();
    cloneLeaves.forEach((inst, ci) => {
      const values = seqOf(inst, path);
      if (!values || new Set(values).size < 2) return;
      const key = JSON.stringify(values);
      const g = groups.get(key) ?? { values, clones: [] };
      g.clones.push(clones[ci]!.index);
      groups.set(key, g);
    });
    const coldSeqs = coldLeaves.map((inst) => seqOf(inst, path)).filter((v): v is string[] => v !== undefined).map((v) => JSON.stringify(v));
    if (!pairwiseDistinct(coldSeqs)) continue;
    for (const g of groups.values()) {
      if (g.clones.length < 2) continue;
      out.push({
        path,
        values: g.values,
        clones: g.clones,
        explanation: `the same ${g.values.length}-value sequence in ${g.clones.length} clones, a different one in each cold start: generator state (a PRNG or counter) seeded during init`,
      });
    }
  }
  return out;
}
