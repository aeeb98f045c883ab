import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { parseJavaSource, type ParseOutcome } from './parse.js';

interface Job {
  readonly path: string;
  readonly text: string;
}

/**
 * The compiled worker script. When this module itself runs from TypeScript sources (vitest), the
 * worker still has to be plain JS: use the build output next to the sources.
 */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('../dist/parse-worker.js', here) : new URL('./parse-worker.js', here);
}

/** Parses in the calling thread: cheaper than starting workers for a handful of files. */
function parseInline(jobs: readonly Job[]): ParseOutcome[] {
  return jobs.map((j) => parseJavaSource(j.path, j.text));
}

/**
 * Parses files across worker threads (java-parser is CPU-bound and synchronous). Results come
 * back as the compact model, which is small to transfer. Order of results matches the jobs.
 */
export async function parseAll(jobs: readonly Job[], workers?: number): Promise<ParseOutcome[]> {
  const count = Math.max(1, Math.min(workers ?? availableParallelism(), Math.ceil(jobs.length / 8)));
  if (count === 1 || jobs.length < 16) return parseInline(jobs);
  const results: ParseOutcome[] = new Array(jobs.length);
  let next = 0;
  const url = workerUrl();
  await Promise.all(
    Array.from({ length: count }, () =>
      new Promise<void>((resolve, reject) => {
        const worker = new Worker(url);
        const feed = (): void => {
          if (next >= jobs.length) {
            void worker.terminate().then(() => resolve());
            return;
          }
          // Batches amortize the message overhead; small enough to keep both cores busy to the end.
          const start = next;
          const batch = jobs.slice(start, Math.min(jobs.length, start + 16));
          next += batch.length;
          worker.postMessage({ start, batch });
        };
        worker.on('message', (msg: { start: number; outcomes: ParseOutcome[] }) => {
          msg.outcomes.forEach((o, i) => (results[msg.start + i] = o));
          feed();
        });
        worker.on('error', reject);
        feed();
      }),
    ),
  );
  return results;
}
