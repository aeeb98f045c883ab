/**
 * The memory setting of a function (`--memory MB`, Lambda's 128–10240, default 1024), enforced per
 * node-engine instance twice over:
 *
 * - V8's old space is capped at 90% of it (`--max-old-space-size`; the rest is left for code,
 *   stacks and buffers). The snapshot builder gets the same flag: V8 refuses to restore a snapshot
 *   under different heap flags. A heap that outgrows it ends in V8's "heap out of memory" abort.
 * - A watchdog in the harness reads the resident memory of the instance and every process it
 *   started (from /proc) every 50 ms and kills the instance when the sum passes the setting:
 *   Buffers, typed arrays and child processes are outside V8's heap.
 *
 * Either way the invocation's verdict is `out-of-memory` (Lambda's `Runtime.OutOfMemory`), never
 * an out-of-memory kill of the host.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** V8 old-space cap for a memory setting, MB. */
export function heapLimitMb(memoryMb: number): number {
  return Math.max(16, Math.floor(memoryMb * 0.9));
}

/** Node flags for an instance (and its snapshot builder) of this memory setting. */
export function nodeMemoryFlags(memoryMb: number): string[] {
  return [`--max-old-space-size=${heapLimitMb(memoryMb)}`];
}

/** V8's message when the heap limit is reached. */
export function isHeapOutOfMemory(stderr: string): boolean {
  return /JavaScript heap out of memory|Reached heap limit|Allocation failed - process out of memory/.test(stderr);
}

function children(pid: number): number[] {
  const out: number[] = [];
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tasks) {
    try {
      for (const c of readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ')) if (c.trim()) out.push(Number(c));
    } catch {
      // the thread ended
    }
  }
  return out;
}

function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Resident memory of `root` and all its descendants, KiB (0 where /proc is not readable). */
export function treeRssKb(root: number): number {
  let total = 0;
  const seen = new Set<number>();
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    total += rssKb(pid);
    stack.push(...children(pid));
  }
  return total;
}

interface Watched {
  readonly root: number;
  readonly limitKb: number;
  readonly onExceeded: (usedMb: number) => void;
  peakKb: number;
}

const POLL_MS = 50;
const watched = new Set<Watched>();
let timer: NodeJS.Timeout | undefined;

function poll(): void {
  for (const w of [...watched]) {
    const kb = treeRssKb(w.root);
    if (kb > w.peakKb) w.peakKb = kb;
    if (kb > w.limitKb) {
      watched.delete(w);
      w.onExceeded(Math.round(kb / 1024));
    }
  }
  if (watched.size === 0 && timer) {
    clearInterval(timer);
    timer = undefined;
  }
}

export interface MemoryWatch {
  /** Highest resident memory seen, MB. */
  readonly peakMb: number;
  stop(): void;
}

/**
 * Calls `onExceeded` (once) when `root` and its descendants use more than `limitMb` of resident
 * memory. Only where /proc exists (Linux); elsewhere only the V8 heap cap applies.
 */
export function watchMemory(root: number, limitMb: number, onExceeded: (usedMb: number) => void): MemoryWatch {
  const w: Watched = { root, limitKb: limitMb * 1024, onExceeded, peakKb: 0 };
  if (process.platform === 'linux') {
    watched.add(w);
    if (!timer) {
      timer = setInterval(poll, POLL_MS);
      timer.unref();
    }
  }
  return {
    get peakMb() {
      return Math.round(w.peakKb / 1024);
    },
    stop() {
      watched.delete(w);
    },
  };
}
