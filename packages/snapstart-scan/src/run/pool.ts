// Runs the scan's jobs (one file, or one Java build) on worker threads (worker.ts) or on this thread
// (execute.ts), each under a per-file budget of time and heap: past either, the file is skipped with
// the reason and the scan goes on; Ctrl-C terminates the workers. Called by scan.ts.
// See docs/cli.md, "A budget per file".
import { Worker } from 'node:worker_threads';
import { emptyResult, type EngineSettings, type Job, type JobResult } from '../engines/job.js';
import { createExecutor } from './execute.js';
import type { JobMessage, WorkerReply } from './worker.js';

/**
 * The compiled worker script. When this module runs from TypeScript sources (vitest), the worker
 * still has to be plain JS: use the build output next to the sources.
 */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('../../dist/run/worker.js', here) : new URL('./worker.js', here);
}

/** What one file may cost: past either, the file is skipped with the reason and the scan goes on. */
export interface FileBudget {
  /** Wall-clock seconds for one file (for a Java build: per file of the build). */
  readonly seconds: number;
  /** Heap (V8 old generation) of the thread analysing it, in MiB. */
  readonly memoryMb: number;
}

export interface RunOptions {
  readonly settings: EngineSettings;
  /** A TS/JS file to probe the user's ESLint config with (only with `useEslintConfig`). */
  readonly probeFile?: string;
  /** 0: everything on this thread, except the jobs that need a budget (see `guarded`). */
  readonly threads: number;
  readonly budget: FileBudget;
  /**
   * Jobs too large to run unguarded on this thread: with `threads: 0` they still go to a worker,
   * where the budget can be enforced (a heap limit, and termination at the deadline).
   */
  readonly guarded?: (job: Job) => boolean;
  readonly onFile?: () => void;
  /** Set when the run is cancelled (Ctrl-C): no new job starts, workers are terminated. */
  readonly signal?: AbortSignal;
}

/** V8 young generation of each worker (three semi-spaces of 64 MiB). */
const YOUNG_GENERATION_MB = 192;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs the jobs on `threads` worker threads (each with its own ESLint and Java scanner) or on this
 * thread, and returns one result per job, in job order. In a worker, each file is analysed under
 * the budget: a file that goes over it is reported as skipped (with the reason), its worker is
 * replaced, and the rest of its job runs on.
 */
export async function runJobs(jobs: readonly Job[], options: RunOptions): Promise<JobResult[]> {
  const onFile = options.onFile ?? ((): void => {});
  options.signal?.throwIfAborted();
  const inline = options.threads === 0 ? jobs.map((j) => !(options.guarded?.(j) ?? false)) : jobs.map(() => false);
  const results = new Array<JobResult>(jobs.length);
  if (inline.some(Boolean)) {
    const execute = createExecutor(options.settings, options.probeFile);
    for (let i = 0; i < jobs.length; i++) {
      if (!inline[i]) continue;
      options.signal?.throwIfAborted();
      results[i] = await execute(jobs[i]!, onFile);
      await yieldToEventLoop(); // lets Ctrl-C and progress output through between jobs
    }
  }
  const pooled = jobs.flatMap((job, i) => (inline[i] ? [] : [{ id: i, job }]));
  if (pooled.length > 0) {
    const out = await runInWorkers(pooled, Math.max(1, Math.min(options.threads, pooled.length)), options, onFile);
    for (const [id, r] of out) results[id] = r;
  }
  return results;
}

/** One job being run: which file it is at (from the worker's per-file messages). */
interface Running {
  readonly id: number;
  readonly job: Job;
  done: number;
  timer?: NodeJS.Timeout;
}

/** Results of several runs of parts of one job (after a file went over budget), as one. */
function combine(parts: readonly JobResult[]): JobResult {
  const out = emptyResult();
  for (const p of parts) {
    out.findings.push(...p.findings);
    out.diagnostics.push(...p.diagnostics);
    out.suppressed += p.suppressed;
    out.files += p.files;
    out.parsed += p.parsed;
    out.fixed += p.fixed;
    out.skipped.binary += p.skipped.binary;
    out.skipped.overBudget += p.skipped.overBudget;
  }
  return out;
}

async function runInWorkers(
  pending: Array<{ id: number; job: Job }>,
  threads: number,
  options: RunOptions,
  onFile: () => void,
): Promise<Map<number, JobResult>> {
  const parts = new Map<number, JobResult[]>();
  const addPart = (id: number, r: JobResult): void => {
    const list = parts.get(id);
    if (list) list.push(r);
    else parts.set(id, [r]);
  };
  const queue = [...pending];
  const workers = new Set<Worker>();
  const { budget } = options;
  try {
    await new Promise<void>((resolve, reject) => {
      /** Workers on a job. */
      let busy = 0;
      let failed = false;
      const fail = (err: unknown): void => {
        failed = true;
        reject(err instanceof Error ? err : new Error(String(err)));
      };
      const maybeDone = (): void => {
        if (!failed && busy === 0 && queue.length === 0) resolve();
      };
      const abort = (): void => fail(options.signal?.reason ?? new Error('aborted'));
      options.signal?.addEventListener('abort', abort, { once: true });
      if (options.signal?.aborted) abort(); // aborted between the check above and here

      const start = (): void => {
        const worker = new Worker(workerUrl(), {
          workerData: { settings: options.settings, probeFile: options.probeFile },
          // Node's flags minus those a worker refuses (`--input-type`, when the CLI runs from `node -e`).
          execArgv: process.execArgv.filter((a) => !a.startsWith('--input-type')),
          resourceLimits: {
            // Parsing allocates short-lived trees at a high rate: a larger young generation cuts the
            // scavenges (measured about 10 % of a TypeScript lint at V8's default size).
            maxYoungGenerationSizeMb: Math.min(YOUNG_GENERATION_MB, Math.max(16, Math.floor(budget.memoryMb / 8))),
            maxOldGenerationSizeMb: budget.memoryMb,
          },
        });
        workers.add(worker);
        let current: Running | undefined;
        /** Stopped (out of jobs, over budget, or failed): its later events mean nothing. */
        let dead = false;
        /** ESLint and the parsers loaded: the budget's clock runs from here. */
        let ready = false;
        const arm = (): void => {
          if (!current || !ready) return;
          clearTimeout(current.timer);
          // A Java build or a Python project is one job analysed as a whole: its budget scales with its files.
          const seconds = budget.seconds * (current.job.kind !== 'lint' ? current.job.files.length : 1);
          current.timer = setTimeout(() => overBudget(`took longer than ${seconds} s`), seconds * 1000);
        };
        const feed = (): void => {
          if (failed || options.signal?.aborted) return;
          const next = queue.shift();
          if (!next) {
            current = undefined;
            dead = true;
            void worker.terminate();
            maybeDone();
            return;
          }
          current = { ...next, done: 0 };
          busy++;
          arm();
          worker.postMessage({ id: next.id, job: next.job } satisfies JobMessage);
        };
        /** The current file went over budget: report it, requeue the rest of its job, replace the worker. */
        const overBudget = (why: string): void => {
          if (dead || !current) return;
          dead = true;
          const c = current;
          current = undefined;
          clearTimeout(c.timer);
          void worker.terminate();
          const part = emptyResult();
          const limits = `per-file budget: ${budget.seconds} s, ${budget.memoryMb} MiB`;
          if (c.job.kind !== 'lint') {
            const n = c.job.files.length;
            part.files = n;
            part.skipped.overBudget = n;
            const what = c.job.kind === 'java' ? 'the Java analysis of this build' : 'the Python analysis of this project';
            part.diagnostics.push({ file: (c.job.kind === 'java' ? c.job.build : c.job.project) || '.', message: `skipped: ${what} (${n} files) ${why} (${limits})` });
            for (let i = 0; i < n; i++) onFile();
          } else {
            const file = c.job.files[c.done]!;
            part.files = 1;
            part.skipped.overBudget = 1;
            part.diagnostics.push({ file: file.path, message: `skipped: its analysis ${why} (${limits}); the scan went on` });
            onFile();
            const rest = c.job.files.slice(c.done + 1);
            if (rest.length > 0) queue.unshift({ id: c.id, job: { ...c.job, files: rest } });
          }
          addPart(c.id, part);
          busy--;
          if (queue.length > 0) start();
          else maybeDone();
        };
        worker.on('message', (reply: WorkerReply) => {
          if (reply.kind === 'ready') {
            ready = true;
            arm();
            return;
          }
          if (dead || !current || reply.id !== current.id) return;
          if (reply.kind === 'file') {
            current.done++;
            onFile();
            arm();
          } else if (reply.kind === 'failed') {
            fail(new Error(`worker failed on job ${reply.id}: ${reply.error}`));
          } else {
            clearTimeout(current.timer);
            addPart(reply.id, reply.result);
            current = undefined;
            busy--;
            feed();
          }
        });
        worker.on('error', (err: Error & { code?: string }) => {
          if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') overBudget(`needed more than ${budget.memoryMb} MiB`);
          else if (!dead) fail(err);
        });
        worker.on('exit', (code) => {
          workers.delete(worker);
          if (current) clearTimeout(current.timer);
          // Exited on a job without an error event (V8 gives none for some heap limits).
          if (!dead && current && !failed && !options.signal?.aborted) overBudget(`stopped the thread (exit code ${code})`);
        });
        feed();
      };
      const count = Math.min(threads, queue.length);
      if (count === 0) resolve();
      for (let w = 0; w < count; w++) start();
    });
  } finally {
    await Promise.all([...workers].map((w) => w.terminate()));
  }
  const out = new Map<number, JobResult>();
  for (const { id } of pending) out.set(id, combine(parts.get(id) ?? []));
  return out;
}
