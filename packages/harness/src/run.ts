/**
 * The harness's entry points: buildSnapshot, restoreClones (snapshot, clones and cold starts in
 * parallel, invocations, then analyzeRun in duplicates.ts) and restoreOne. Engine-neutral: the
 * engine is chosen through engines/index.ts. See docs/harness.md.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyzeRun } from './duplicates.js';
import { engineFor, type EngineOptions } from './engines/index.js';
import type { EngineInstance, EngineSnapshot, InstanceOptions } from './engines/engine.js';
import { HarnessError } from './errors.js';
import { DEFAULT_MEMORY_MB, MAX_MEMORY_MB, MIN_MEMORY_MB } from './containment/environment.js';
import { redactDeep } from './containment/redact.js';
import { containmentSummary } from './containment/summary.js';
import type { InvokeResponse, SerializedError, StubRule, TraceEntry } from './runtime/protocol.js';
import type { SiteMapper } from './sites.js';
import {
  HARNESS_JSON_VERSION,
  type CloneResult,
  type EngineName,
  type InitObservation,
  type InstanceKind,
  type InvocationResult,
  type HarnessRun,
  type TracedValue,
} from './types.js';


export interface BuildOptions extends EngineOptions {
  readonly entry: string;
  readonly exportName?: string;
  readonly engine?: EngineName;
  readonly cwd?: string;
  /** Canned answers for outgoing requests (default: `200 {}`). */
  readonly stubs?: readonly StubRule[];
  /** Kill init after this long. */
  readonly buildTimeoutMs?: number;
  /** Extra environment for init and every instance. */
  readonly env?: Readonly<Record<string, string>>;
  /** Lambda layer directories (`--layer`): `/opt/…` imports and layer node_modules resolve from them. */
  readonly layers?: readonly string[];
  /** The function's memory setting, MB: 128 to 10240 (default 1024), enforced per instance. */
  readonly memoryMb?: number;
}

export interface RestoreOptions extends BuildOptions {
  /** Clones restored from the one snapshot: 2 to 256 (default 4). */
  readonly clones?: number;
  /** Independent cold starts for the differential oracle: 0 to 32 (default 3; 0 disables it). */
  readonly cold?: number;
  /** Invocations per instance, 1 to 100 (default 1, or one per `events` entry). */
  readonly invocations?: number;
  readonly event?: unknown;
  /** One event per invocation (cycled if shorter than `invocations`). */
  readonly events?: readonly unknown[];
  /** Per invocation (the first also covers after-restore hooks). Default 10 s. */
  readonly timeoutMs?: number;
  /** Limit for after-restore hooks (Lambda: 10 s). */
  readonly hookTimeoutMs?: number;
  /** Reuse an existing snapshot instead of building one. */
  readonly snapshot?: EngineSnapshot;
}

const MIN_SNAPSHOT_AGE_MS = 50;

/** Builds a snapshot of the entry with the chosen engine (node by default). */
export async function buildSnapshot(options: BuildOptions): Promise<EngineSnapshot> {
  const cwd = options.cwd ?? process.cwd();
  const engine = await engineFor(options.engine ?? 'node', options);
  return engine.build({
    entry: resolve(cwd, options.entry),
    exportName: options.exportName ?? 'handler',
    cwd,
    stubs: options.stubs ?? [],
    ...(options.buildTimeoutMs !== undefined ? { buildTimeoutMs: options.buildTimeoutMs } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.memoryMb !== undefined ? { memoryMb: options.memoryMb } : {}),
    ...(options.layers?.length ? { layers: options.layers.map((l) => resolve(cwd, l)) } : {}),
  });
}

function lambdaContext(kind: InstanceKind, index: number, memoryMb: number): Record<string, unknown> {
  return {
    awsRequestId: randomUUID(),
    functionName: 'snapstart-harness',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:snapstart-harness',
    memoryLimitInMB: String(memoryMb),
    logGroupName: '/aws/lambda/snapstart-harness',
    logStreamName: `${kind}-${index}`,
    callbackWaitsForEmptyEventLoop: true,
  };
}

function mapTrace(entries: readonly TraceEntry[], mapper: SiteMapper): TracedValue[] {
  return entries.map((entry) => {
    const site = mapper.userSite(entry.frames);
    const via = mapper.callingPackage(entry.frames);
    return {
      api: entry.api,
      category: entry.category,
      phase: entry.phase,
      value: entry.value,
      ...(site ? { site } : {}),
      ...(entry.cached ? { cached: true } : {}),
      ...(via ? { via } : {}),
    };
  });
}

interface InstanceRun extends CloneResult {
  readonly init?: InitObservation;
}

/** Starts one instance, runs every invocation in order, closes it. Never throws for instance failures. */
async function runInstance(
  start: () => Promise<EngineInstance>,
  kind: InstanceKind,
  index: number,
  events: readonly unknown[],
  timeoutMs: number,
  mapper: SiteMapper,
  mapStack: (stack: string) => string,
  memoryMb = DEFAULT_MEMORY_MB,
): Promise<InstanceRun> {
  const instance = await start();
  const invocations: InvocationResult[] = [];
  let wallMs = 0;
  let init: InitObservation | undefined;
  let firstProblem: Pick<InvocationResult, 'status' | 'error'> | undefined;
  for (let j = 0; j < events.length; j++) {
    const outcome = await instance.invoke({ invocation: j, event: events[j], context: lambdaContext(kind, index, memoryMb) }, timeoutMs);
    if (j === 0) wallMs = outcome.kind === 'response' && outcome.wallMs !== undefined ? outcome.wallMs : performance.now() - instance.startedClock;
    if (outcome.kind !== 'response') {
      const status = outcome.kind === 'timeout' ? 'timeout' : outcome.kind === 'out-of-memory' ? 'out-of-memory' : 'crashed';
      const error = { message: outcome.kind === 'timeout' ? `no result within ${timeoutMs} ms; the ${kind === 'clone' ? 'clone' : 'cold start'} was killed` : outcome.message };
      invocations.push({ index: j, status, error, trace: [], logs: [], requests: [] });
      firstProblem ??= { status, error };
      break;
    }
    const r: InvokeResponse = outcome.response;
    const mapped = (e: SerializedError | undefined): SerializedError | undefined => (e?.stack ? { ...e, stack: mapStack(e.stack) } : e);
    if (r.init) init = { trace: mapTrace(r.init.trace, mapper), logs: r.init.logs, requests: r.init.requests };
    const status = r.hookError ? 'hook-failed' : r.error ? 'threw' : 'ok';
    const inv: InvocationResult = {
      index: j,
      status,
      ...(r.result !== undefined && !r.error && !r.hookError ? { result: r.result } : {}),
      ...(r.hookError ? { error: mapped(r.hookError)! } : r.error ? { error: mapped(r.error)! } : {}),
      trace: mapTrace(r.trace, mapper),
      logs: r.logs,
      requests: r.requests,
      startedAt: r.startedAt,
      endedAt: r.endedAt,
      invokeMs: r.invokeMs,
    };
    invocations.push(inv);
    if (status !== 'ok') firstProblem ??= { status, ...(inv.error ? { error: inv.error } : {}) };
    if (status === 'hook-failed') break;
  }
  const exit = await instance.close();
  const first = invocations[0];
  return {
    kind,
    index,
    status: firstProblem?.status ?? 'ok',
    ...(first?.result !== undefined ? { result: first.result } : {}),
    ...(firstProblem?.error ? { error: firstProblem.error } : {}),
    exitCode: exit.code,
    signal: exit.signal,
    stderr: exit.stderr,
    stdout: exit.stdout,
    wallMs,
    ...(first?.invokeMs !== undefined ? { invokeMs: first.invokeMs } : {}),
    trace: invocations.flatMap((i) => i.trace),
    invocations,
    startedAt: instance.startedAt,
    ...(init ? { init } : {}),
  };
}

/** Whether a value is written in the function's code (its bundle): a constant, never a duplicate. */
function constantsOf(bundle: string): (value: string) => boolean {
  let text: string | undefined;
  return (value) => {
    try {
      text ??= readFileSync(bundle, 'utf8');
    } catch {
      text = '';
    }
    return text.includes(value);
  };
}

function checkCount(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) throw new HarnessError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
}

/**
 * Builds a snapshot of the entry (unless given one), restores N clones in parallel, runs K cold
 * starts of the same code, invokes each instance M times, and reports the values that repeat
 * across clones.
 */
export async function restoreClones(options: RestoreOptions): Promise<HarnessRun> {
  const count = options.clones ?? 4;
  const coldCount = options.cold ?? 3;
  checkCount('clones', count, 2, 256);
  checkCount('cold', coldCount, 0, 32);
  if (options.memoryMb !== undefined) checkCount('memory (MB)', options.memoryMb, MIN_MEMORY_MB, MAX_MEMORY_MB);
  const eventList = options.events && options.events.length > 0 ? options.events : [options.event ?? {}];
  const invocations = options.invocations ?? eventList.length;
  checkCount('invocations', invocations, 1, 100);
  const events = Array.from({ length: invocations }, (_, j) => eventList[j % eventList.length]);
  const cwd = options.cwd ?? process.cwd();
  const engine = await engineFor(options.snapshot?.engine ?? options.engine ?? 'node', options);
  const snapshot = options.snapshot ?? (await buildSnapshot({ ...options, cwd }));
  const owned = !options.snapshot;
  try {
    const mapper = snapshot.mapper(cwd);
    const mapStack = (stack: string): string => snapshot.mapStack(stack, cwd);
    const memoryMb = snapshot.memoryMb ?? DEFAULT_MEMORY_MB;
    const timeoutMs = options.timeoutMs ?? 10_000;
    const instanceOptions = (kind: InstanceKind, index: number): InstanceOptions => ({
      kind,
      index,
      hookTimeoutMs: options.hookTimeoutMs ?? 10_000,
      cwd,
      ...(options.env ? { env: options.env } : {}),
    });
    // Timestamps from init must be told apart from clones' own: restore a little after the snapshot.
    const age = Date.now() - snapshot.takenAt;
    if (age < MIN_SNAPSHOT_AGE_MS) await new Promise((r) => setTimeout(r, MIN_SNAPSHOT_AGE_MS - age));

    const t0 = performance.now();
    const clones = await Promise.all(
      Array.from({ length: count }, (_, i) => runInstance(() => engine.restore(snapshot, instanceOptions('clone', i)), 'clone', i, events, timeoutMs, mapper, mapStack, memoryMb)),
    );
    const restoreMs = performance.now() - t0;
    const t1 = performance.now();
    const coldStarts = await Promise.all(
      Array.from({ length: coldCount }, (_, i) => runInstance(() => engine.coldStart(snapshot, instanceOptions('cold', i)), 'cold', i, events, timeoutMs, mapper, mapStack, memoryMb)),
    );
    const coldMs = coldCount > 0 ? performance.now() - t1 : 0;

    const init = clones.find((c) => c.init)?.init ?? { trace: [], logs: [], requests: [] };
    const finalClones: CloneResult[] = clones.map(({ init: _init, ...c }) => c);
    const analysis = analyzeRun({
      clones: finalClones,
      coldStarts,
      initTrace: init.trace,
      snapshotTakenAt: snapshot.takenAt,
      events,
      isConstant: constantsOf(snapshot.bundle),
      ...(snapshot.engine === 'linux' ? { traced: false } : {}),
      ...(snapshot.engine === 'microvm' ? { microvm: { vmgenid: options.vmgenid ?? 'fresh', reseedMathRandom: options.reseedMathRandom ?? false } } : {}),
    });
    // A host secret the function found some other way (a credentials file) is never printed.
    return redactDeep<HarnessRun>({
      schemaVersion: HARNESS_JSON_VERSION,
      entry: snapshot.entry,
      exportName: snapshot.exportName,
      engine: snapshot.engine,
      ...(snapshot.details.accelerator ? { accelerator: String(snapshot.details.accelerator) } : {}),
      // Both VM engines give each clone a generation ID (or not): the report says which mode ran.
      ...(snapshot.engine === 'microvm' || snapshot.engine === 'linux' ? { vmgenid: options.vmgenid ?? 'fresh' } : {}),
      invocations,
      clones: finalClones,
      coldStarts,
      duplicates: analysis.duplicates,
      sequences: analysis.sequences,
      coverage: analysis.coverage,
      initTrace: init.trace,
      init,
      timings: {
        initMs: snapshot.initMs,
        bundleMs: snapshot.bundleMs,
        snapshotMs: snapshot.snapshotMs,
        restoreMs,
        coldMs,
        blobBytes: snapshot.blobBytes,
      },
      containment: containmentSummary(snapshot.engine, memoryMb),
    });
  } finally {
    if (owned) engine.dispose(snapshot);
  }
}

/**
 * Restores one clone from an existing snapshot and invokes it once (benchmarks, custom drivers).
 * The snapshot's source map is parsed once per snapshot, not per call, so `wallMs` is what the
 * clone costs.
 */
export async function restoreOne(
  snapshot: EngineSnapshot,
  options: { event?: unknown; index?: number; timeoutMs?: number; hookTimeoutMs?: number; cwd?: string } & EngineOptions = {},
): Promise<CloneResult> {
  const cwd = options.cwd ?? process.cwd();
  const engine = await engineFor(snapshot.engine, options);
  const index = options.index ?? 0;
  const { init: _init, ...clone } = await runInstance(
    () => engine.restore(snapshot, { kind: 'clone', index, hookTimeoutMs: options.hookTimeoutMs ?? 10_000, cwd }),
    'clone',
    index,
    [options.event ?? {}],
    options.timeoutMs ?? 10_000,
    snapshot.mapper(cwd),
    (stack) => snapshot.mapStack(stack, cwd),
    snapshot.memoryMb ?? DEFAULT_MEMORY_MB,
  );
  return redactDeep(clone);
}
