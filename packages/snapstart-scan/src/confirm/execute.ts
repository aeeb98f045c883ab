/**
 * Runs the harness once per planned handler — in parallel up to the cores, each under a time
 * limit, skipped when a cached run of the same bundle exists — and joins the runs with the
 * findings (match.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import type { ScanFinding } from '../report/model.js';
import { matchRun } from './match.js';
import type { Confirmation, ConfirmSummary, DynamicResult, HandlerRunSummary } from './model.js';
import type { ConfirmTarget } from './plan.js';
import { summarizeRun } from './summarize.js';

export interface ExecuteOptions {
  readonly root: string;
  readonly clones: number;
  readonly cold: number;
  /** Per handler, in seconds. */
  readonly timeoutSeconds: number;
  /** Harness runs at once (default: the cores). */
  readonly concurrency?: number;
  /** Where runs are cached by bundle hash; `false` disables the cache. */
  readonly cacheDir?: string | false;
  readonly onHandlerDone?: () => void;
}

export interface ConfirmOutcome {
  /** Per finding, keyed by its fingerprint. */
  readonly confirmations: ReadonlyMap<string, Confirmation>;
  readonly dynamic: readonly DynamicResult[];
  readonly summary: ConfirmSummary;
}

/** The harness is optional: scanning never needs it, `--confirm` does. */
type Harness = typeof import('snapstart-harness');

async function loadHarness(): Promise<Harness | string> {
  try {
    return await import('snapstart-harness');
  } catch (err) {
    return `snapstart-harness is not installed (npm install --save-dev snapstart-harness): ${(err as Error).message.split('\n')[0]}`;
  }
}

export function defaultCacheDir(root: string): string {
  return existsSync(join(root, 'node_modules')) ? join(root, 'node_modules', '.cache', 'snapstart', 'confirm') : join(tmpdir(), 'snapstart-confirm-cache');
}

function cacheKey(fingerprint: string, t: ConfirmTarget, o: ExecuteOptions): string {
  return createHash('sha256')
    .update(JSON.stringify({ fingerprint, engine: t.engine, runtime: t.runtime, exportName: t.exportName, handler: t.lambdaHandler, event: t.event, clones: o.clones, cold: o.cold }))
    .digest('hex');
}

function readCache(dir: string, key: string): HandlerRunSummary | undefined {
  try {
    return { ...(JSON.parse(readFileSync(join(dir, `${key}.json`), 'utf8')) as HandlerRunSummary), cached: true };
  } catch {
    return undefined;
  }
}

function writeCache(dir: string, key: string, summary: HandlerRunSummary): void {
  try {
    mkdirSync(dir, { recursive: true });
    // A cache entry is written whole or not at all (the CLI's one atomic write: temp, fsync, rename).
    writeFileAtomic(join(dir, `${key}.json`), JSON.stringify(summary));
  } catch {
    // A cache that cannot be written only costs a re-run next time.
  }
}

function failed(t: ConfirmTarget, error: string, wallMs = 0): HandlerRunSummary {
  return { handler: t.handler, exportName: t.exportName, engine: t.engine, outcome: 'failed', error, clones: 0, failedClones: 0, coldStarts: 0, invocations: 1, compared: 'nothing', duplicates: [], initSites: [], wallMs };
}

function withTimeout<T>(promise: Promise<T>, seconds: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than the ${seconds} s limit (--confirm-timeout)`)), seconds * 1000);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

interface TargetRun {
  readonly target: ConfirmTarget;
  readonly summary: HandlerRunSummary;
  /** Files of the handler's module graph (relative to the root), to confirm findings in modules it imports. */
  readonly inputs: readonly string[];
}

/** Class folders compiled for Java targets, removed when the run is over. */
const compiled: string[] = [];

async function runTarget(harness: Harness | string, t: ConfirmTarget, o: ExecuteOptions): Promise<TargetRun> {
  if (t.notRun) return { target: t, summary: failed(t, t.notRun), inputs: [] };
  if (typeof harness === 'string') return { target: t, summary: failed(t, harness), inputs: [] };
  const started = performance.now();
  let inputs: readonly string[] = [];
  let key: string | undefined;
  const cacheDir = o.cacheDir === false ? undefined : (o.cacheDir ?? defaultCacheDir(o.root));
  try {
    const fp = await harness.handlerFingerprint(t.entry, { cwd: o.root, artifact: t.engine === 'linux' && t.runtime !== 'node' });
    inputs = fp.inputs;
    key = cacheKey(fp.hash, t, o);
    const hit = cacheDir ? readCache(cacheDir, key) : undefined;
    if (hit) return { target: t, summary: hit, inputs };
    // Java from sources: compiled against the Lambda runtime's jars (cached above by the sources' hash).
    const classes = t.compileJava ? mkdtempSync(join(tmpdir(), 'snapstart-confirm-classes-')) : undefined;
    if (classes) {
      compiled.push(classes);
      await harness.compileJavaSources(join(o.root, t.entry), classes);
    }
    const run = await withTimeout(
      harness.restoreClones({
        entry: classes ?? t.entry,
        exportName: t.exportName,
        cwd: o.root,
        engine: t.engine,
        clones: o.clones,
        cold: o.cold,
        event: t.event,
        ...(t.runtime ? { runtime: t.runtime } : {}),
        ...(t.lambdaHandler ? { handler: t.lambdaHandler } : {}),
      }),
      o.timeoutSeconds,
      `the harness run of ${t.handler}`,
    );
    const summary = summarizeRun(t.handler, t.engine, run, performance.now() - started);
    if (cacheDir && key) writeCache(cacheDir, key, summary);
    return { target: t, summary, inputs };
  } catch (err) {
    // The engine's own error, first line: what a user needs to fix (missing export, init failure…).
    return { target: t, summary: failed(t, (err as Error).message.split('\n')[0] ?? String(err), performance.now() - started), inputs };
  }
}

async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

/** A handler that could not be built because the file exports no handler: its findings go to a handler that imports it. */
function missingExport(s: HandlerRunSummary): boolean {
  return s.outcome === 'failed' && /export/i.test(s.error ?? '');
}

export async function executeConfirm(targets: readonly ConfirmTarget[], options: ExecuteOptions): Promise<ConfirmOutcome> {
  const harness = targets.some((t) => !t.notRun) ? await loadHarness() : 'no handler to run';
  const runs = await pool(targets, options.concurrency ?? availableParallelism(), async (t) => {
    const r = await runTarget(harness, t, options);
    options.onHandlerDone?.();
    return r;
  }).finally(() => {
    for (const dir of compiled.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const confirmations = new Map<string, Confirmation>();
  const dynamic = new Map<string, DynamicResult>();
  for (const r of runs) {
    let findings: readonly ScanFinding[] = r.target.findings;
    let run = r.summary;
    if (missingExport(run)) {
      // Confirm with the run of a handler whose module graph holds this file, if any ran.
      const importer = runs.find((o) => o !== r && o.summary.outcome === 'ran' && o.inputs.includes(r.target.handler));
      if (importer) run = importer.summary;
    }
    const result = matchRun(findings, run);
    findings.forEach((f, i) => confirmations.set(f.fingerprint, result.confirmations[i]!));
    for (const d of result.dynamic) {
      const key = `${d.file}:${d.line}:${d.evidence.value}`;
      if (!dynamic.has(key)) dynamic.set(key, d);
    }
    findings = [];
  }
  // A value linked to a finding in another handler's file is not "dynamic only".
  const confirmedValues = new Set([...confirmations.values()].flatMap((c) => c.evidence.map((e) => e.value)));
  const dynamicOnly = [...dynamic.values()].filter((d) => !confirmedValues.has(d.evidence.value));
  const states = [...confirmations.values()].map((c) => c.state);
  return {
    confirmations,
    dynamic: dynamicOnly,
    summary: {
      confirmed: states.filter((s) => s === 'confirmed').length,
      notReproduced: states.filter((s) => s === 'not-reproduced').length,
      notRun: states.filter((s) => s === 'not-run').length,
      dynamicOnly: dynamicOnly.length,
      handlers: runs.map((r) => ({
        handler: r.target.handler,
        engine: r.target.engine,
        outcome: r.target.notRun ? 'not-run' : r.summary.outcome,
        wallMs: r.summary.wallMs,
        cached: r.summary.cached ?? false,
        ...(r.summary.error ? { reason: r.summary.error } : {}),
      })),
    },
  };
}
