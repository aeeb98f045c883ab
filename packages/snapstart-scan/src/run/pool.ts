import { Worker } from 'node:worker_threads';
import type { EngineSettings, Job, JobResult } from '../engines/job.js';
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

export interface RunOptions {
  readonly settings: EngineSettings;
  /** A TS/JS file to probe the user's ESLint config with (only with `useEslintConfig`). */
  readonly probeFile?: string;
  /** 0: everything on this thread. */
  readonly threads: number;
  readonly onFile?: () => void;
  /** Set when the run is cancelled (Ctrl-C): no new job starts, workers are terminated. */
  readonly signal?: AbortSignal;
}

/** V8 young generation of each worker (three semi-spaces of 64 MiB). */
const YOUNG_GENERATION_MB = 192;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs the jobs in order of the queue, on `threads` worker threads (each with its own ESLint and
 * Java scanner) or on this thread, and returns the results in job order.
 */
export async function runJobs(jobs: readonly Job[], options: RunOptions): Promise<JobResult[]> {
  const results: JobResult[] = new Array(jobs.length);
  const onFile = options.onFile ?? ((): void => {});
  options.signal?.throwIfAborted();
  if (options.threads === 0) {
    const execute = createExecutor(options.settings, options.probeFile);
    for (let i = 0; i < jobs.length; i++) {
      options.signal?.throwIfAborted();
      results[i] = await execute(jobs[i]!, onFile);
      await yieldToEventLoop(); // lets Ctrl-C and progress output through between jobs
    }
    return results;
  }
  let next = 0;
  const workers: Worker[] = [];
  const stopAll = (): Promise<unknown> => Promise.all(workers.map((w) => w.terminate()));
  try {
    await new Promise<void>((resolve, reject) => {
      let running = 0;
      const abort = (): void => reject(options.signal?.reason ?? new Error('aborted'));
      options.signal?.addEventListener('abort', abort, { once: true });
      if (options.signal?.aborted) abort(); // aborted between the check above and here
      const count = Math.min(options.threads, jobs.length);
      if (count === 0) resolve();
      for (let w = 0; w < count; w++) {
        const worker = new Worker(workerUrl(), {
          workerData: { settings: options.settings, probeFile: options.probeFile },
          // Parsing allocates short-lived trees at a high rate: a larger young generation cuts the
          // scavenges (measured about 10 % of a TypeScript lint at V8's default size).
          resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
        });
        workers.push(worker);
        const feed = (): void => {
          if (options.signal?.aborted) return;
          if (next >= jobs.length) {
            if (running === 0) resolve();
            return;
          }
          const id = next++;
          running++;
          worker.postMessage({ id, job: jobs[id]! } satisfies JobMessage);
        };
        worker.on('message', (reply: WorkerReply) => {
          if (reply.kind === 'file') onFile();
          else if (reply.kind === 'failed') reject(new Error(`worker failed on job ${reply.id}: ${reply.error}`));
          else {
            results[reply.id] = reply.result;
            running--;
            feed();
          }
        });
        worker.on('error', reject);
        worker.on('exit', (code) => {
          if (code !== 0 && !options.signal?.aborted) reject(new Error(`worker thread exited with code ${code}`));
        });
        feed();
      }
    });
  } finally {
    await stopAll();
  }
  return results;
}
