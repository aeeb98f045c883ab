import { parentPort, workerData } from 'node:worker_threads';
import type { EngineSettings, Job } from '../engines/job.js';
import { createExecutor } from './execute.js';

/** Messages from the pool: one job at a time. */
export interface JobMessage {
  readonly id: number;
  readonly job: Job;
}

export type WorkerReply =
  | { readonly id: -1; readonly kind: 'ready' }
  | { readonly id: number; readonly kind: 'file' }
  | { readonly id: number; readonly kind: 'done'; readonly result: import('../engines/job.js').JobResult }
  | { readonly id: number; readonly kind: 'failed'; readonly error: string };

const { settings, probeFile } = workerData as { settings: EngineSettings; probeFile?: string };
const execute = createExecutor(settings, probeFile);
// Loaded before the first job's clock starts: start-up is not a file's cost. A failure to load
// shows on the first job instead.
void execute.warm().then(
  () => parentPort?.postMessage({ id: -1, kind: 'ready' } satisfies WorkerReply),
  () => parentPort?.postMessage({ id: -1, kind: 'ready' } satisfies WorkerReply),
);

parentPort?.on('message', (msg: JobMessage) => {
  const reply = (r: WorkerReply): void => parentPort?.postMessage(r);
  execute(msg.job, () => reply({ id: msg.id, kind: 'file' })).then(
    (result) => reply({ id: msg.id, kind: 'done', result }),
    (err: unknown) => reply({ id: msg.id, kind: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
  );
});
