/**
 * In-instance fallback for dying with the harness where the system has no parent-death signal
 * (not Linux, no `setpriv`): a worker thread checks every 200 ms that the instance's parent is
 * still the harness, and otherwise kills the instance's process group. A thread, because a
 * handler in a busy loop never lets the main thread's event loop notice that the harness's end of
 * the channel closed. The harness asks for it with SNAPSTART_PARENT_PID (containment/sandbox.ts).
 * A clone starts it after the restore (a snapshot cannot hold a thread); the snapshot builder is
 * not covered (the harness's build timeout and exit hooks still are).
 */
import { startupSnapshot } from 'node:v8';

/** Set in an instance's environment when it must watch its parent itself (see containment/sandbox.ts). */
export const ENV_PARENT_PID = 'SNAPSTART_PARENT_PID';

const WATCHER = `
const { workerData } = require('node:worker_threads');
setInterval(() => {
  if (process.ppid === workerData.parent) return;
  try { process.kill(-workerData.self, 'SIGKILL'); } catch {}
  process.kill(workerData.self, 'SIGKILL');
}, 200);
`;

function start(): void {
  const parent = Number(process.env[ENV_PARENT_PID]);
  if (!Number.isInteger(parent) || parent <= 1) return;
  const { Worker } = process.getBuiltinModule('node:worker_threads');
  const worker = new Worker(WATCHER, { eval: true, workerData: { parent, self: process.pid } });
  worker.unref();
}

export function watchParent(): void {
  if (startupSnapshot.isBuildingSnapshot()) startupSnapshot.addDeserializeCallback(start);
  else start();
}
