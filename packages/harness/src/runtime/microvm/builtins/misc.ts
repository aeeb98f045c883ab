// Modules that only need to be importable in the guest.
import { unavailable } from './unavailable.js';

export const dns = unavailable('dns', ['lookup', 'resolve', 'resolve4', 'resolve6']);
export const dgram = unavailable('dgram', ['createSocket']);
export const worker_threads = { ...unavailable('worker_threads', ['Worker']), isMainThread: true, parentPort: null, workerData: null, threadId: 0 };
export const cluster = { ...unavailable('cluster', ['fork']), isPrimary: true, isMaster: true, isWorker: false };
export const v8 = unavailable('v8', ['getHeapStatistics', 'serialize', 'deserialize']);
export const vm = unavailable('vm', ['runInNewContext', 'runInThisContext', 'createContext', 'Script']);
export const readline = unavailable('readline', ['createInterface']);
export const module = unavailable('module', ['createRequire']);
