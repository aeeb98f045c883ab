import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSnapshot, type SnapshotBuild } from './build.js';
import { findDuplicates, type Duplicate } from './duplicates.js';
import { HarnessError } from './errors.js';
import { runProcess } from './process.js';
import { ENV_REQUEST, RESPONSE_FD, type CloneRequest, type CloneResponse, type SerializedError } from './runtime/protocol.js';
import { SiteMapper, type SourceSite } from './sites.js';

export type CloneStatus = 'ok' | 'threw' | 'hook-failed' | 'crashed' | 'timeout';

export interface TracedValue {
  readonly api: string;
  readonly category: string;
  readonly phase: 'init' | 'restore' | 'invoke';
  readonly value: string;
  readonly site?: SourceSite;
  readonly cached?: boolean;
}

export interface CloneResult {
  readonly index: number;
  readonly status: CloneStatus;
  readonly result?: unknown;
  readonly error?: SerializedError;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stderr: string;
  readonly stdout: string;
  /** Spawn to result, as seen by the harness. */
  readonly wallMs: number;
  /** Inside the clone: main start to handler result. */
  readonly invokeMs?: number;
  readonly trace: readonly TracedValue[];
}

export interface HarnessRun {
  readonly entry: string;
  readonly exportName: string;
  readonly engine: 'node';
  readonly clones: readonly CloneResult[];
  readonly duplicates: readonly Duplicate[];
  /** Values produced during init (the same in every clone, since they are in the snapshot). */
  readonly initTrace: readonly TracedValue[];
  readonly timings: { readonly initMs: number; readonly bundleMs: number; readonly snapshotMs: number; readonly restoreMs: number; readonly blobBytes: number };
}

export interface RestoreOptions {
  readonly entry: string;
  readonly exportName?: string;
  readonly clones?: number;
  readonly event?: unknown;
  /** Per clone: after-restore hooks plus the invocation. Default 10 s. */
  readonly timeoutMs?: number;
  /** Limit for after-restore hooks (Lambda: 10 s). */
  readonly hookTimeoutMs?: number;
  readonly engine?: 'node';
  readonly cwd?: string;
  /** Reuse an existing snapshot instead of building one. */
  readonly snapshot?: SnapshotBuild;
}

/** Builds a snapshot of the entry (unless given one), restores N clones in parallel and invokes each once. */
export async function restoreClones(options: RestoreOptions): Promise<HarnessRun> {
  if ((options.engine ?? 'node') !== 'node') throw new HarnessError(`unknown engine '${options.engine}' (available: node)`);
  const count = options.clones ?? 4;
  if (!Number.isInteger(count) || count < 2 || count > 256) throw new HarnessError(`clones must be an integer from 2 to 256, got ${count}`);
  const cwd = options.cwd ?? process.cwd();
  const snapshot = options.snapshot ?? (await buildSnapshot({ entry: options.entry, exportName: options.exportName ?? 'handler', cwd }));
  const owned = !options.snapshot;
  try {
    const mapper = new SiteMapper(snapshot.sourceMap, snapshot.bundle, cwd);
    const t0 = performance.now();
    const clones = await Promise.all(Array.from({ length: count }, (_, index) => invokeClone(snapshot, index, options, cwd, mapper)));
    const restoreMs = performance.now() - t0;
    const initTrace = clones.find((c) => c.trace.length > 0)?.trace.filter((t) => t.phase === 'init') ?? [];
    const finalClones: CloneResult[] = clones.map((c) => ({ ...c, trace: c.trace.filter((t) => t.phase !== 'init') }));
    return {
      entry: snapshot.entry,
      exportName: snapshot.exportName,
      engine: 'node',
      clones: finalClones,
      initTrace,
      duplicates: findDuplicates(finalClones, initTrace),
      timings: { initMs: snapshot.initMs, bundleMs: snapshot.bundleMs, snapshotMs: snapshot.snapshotMs, restoreMs, blobBytes: snapshot.blobBytes },
    };
  } finally {
    if (owned) rmSync(snapshot.dir, { recursive: true, force: true });
  }
}

/** Restores one clone from an existing snapshot and invokes it once (benchmarks, custom drivers). */
export async function restoreOne(
  snapshot: SnapshotBuild,
  options: { event?: unknown; index?: number; timeoutMs?: number; hookTimeoutMs?: number; cwd?: string } = {},
): Promise<CloneResult> {
  const cwd = options.cwd ?? process.cwd();
  return invokeClone(snapshot, options.index ?? 0, options, cwd, new SiteMapper(snapshot.sourceMap, snapshot.bundle, cwd));
}

/** Restores clone `index`, invokes it once with the event, and maps its trace to source sites. */
async function invokeClone(
  snapshot: SnapshotBuild,
  index: number,
  options: { event?: unknown; timeoutMs?: number; hookTimeoutMs?: number },
  cwd: string,
  mapper: SiteMapper,
): Promise<CloneResult> {
  const request: CloneRequest = {
    cloneIndex: index,
    event: options.event ?? {},
    context: lambdaContext(index),
    hookTimeoutMs: options.hookTimeoutMs ?? 10_000,
  };
  const { rawTrace, ...rest } = await runClone(snapshot, request, options.timeoutMs ?? 10_000, cwd);
  return { ...rest, trace: rawTrace.map((e) => mapEntry(e, mapper)) };
}

function mapEntry(entry: CloneResponse['trace'][number], mapper: SiteMapper): TracedValue {
  const site = mapper.userSite(entry.frames);
  return {
    api: entry.api,
    category: entry.category,
    phase: entry.phase,
    value: entry.value,
    ...(site ? { site } : {}),
    ...(entry.cached ? { cached: true } : {}),
  };
}

function lambdaContext(index: number): Record<string, unknown> {
  return {
    awsRequestId: randomUUID(),
    functionName: 'snapstart-harness',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:snapstart-harness',
    memoryLimitInMB: '128',
    logGroupName: '/aws/lambda/snapstart-harness',
    logStreamName: `clone-${index}`,
    callbackWaitsForEmptyEventLoop: true,
  };
}

type RawClone = Omit<CloneResult, 'trace'> & { rawTrace: CloneResponse['trace'] };

async function runClone(snapshot: SnapshotBuild, request: CloneRequest, timeoutMs: number, cwd: string): Promise<RawClone> {
  const requestPath = join(snapshot.dir, `request-${request.cloneIndex}.json`);
  writeFileSync(requestPath, JSON.stringify(request));
  const started = performance.now();
  const run = await runProcess(process.execPath, ['--snapshot-blob', snapshot.blob], {
    cwd,
    env: { ...process.env, [ENV_REQUEST]: requestPath },
    timeoutMs,
    channelFd: RESPONSE_FD,
  });
  const base = { index: request.cloneIndex, exitCode: run.code, signal: run.signal, stderr: run.stderr, stdout: run.stdout, wallMs: performance.now() - started };
  let response: CloneResponse | undefined;
  try {
    const line = run.channel.trim().split('\n')[0];
    response = line ? (JSON.parse(line) as CloneResponse) : undefined;
  } catch {
    response = undefined;
  }
  if (run.timedOut) {
    return { ...base, status: 'timeout', error: { message: `no result within ${timeoutMs} ms; the clone was killed` }, rawTrace: [] };
  }
  if (!response) {
    const why = run.signal ? `killed by ${run.signal}` : `exited with code ${run.code}`;
    return { ...base, status: 'crashed', error: { message: `the clone ${why} before returning a result` }, rawTrace: [] };
  }
  const answered = { ...base, invokeMs: response.invokeMs, rawTrace: response.trace };
  if (response.hookError) return { ...answered, status: 'hook-failed', error: response.hookError };
  if (response.error) return { ...answered, status: 'threw', error: response.error };
  return { ...answered, status: 'ok', result: response.result };
}
