import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Every temporary directory the harness makes is registered here and removed on every path:
 * by its owner when done, and otherwise when the process exits or is signalled (see process.ts).
 * A harness killed with SIGKILL cannot clean up, so each directory carries an owner file (the
 * harness's pid and its start time, which tells a dead owner from a reused pid); the next harness
 * removes the directories whose owner is gone before it makes its first one.
 */
const owned = new Set<string>();
/** Prefix of every directory the harness makes: `snapstart-harness-`, `snapstart-microvm-`… */
const PREFIX = 'snapstart-';
export const OWNER_FILE = '.snapstart-owner';
let swept = false;

/** The start time of `pid` (clock ticks since boot, field 22 of /proc/pid/stat), or undefined if it is not running. */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function alive(pid: number, started: string | undefined): boolean {
  if (process.platform === 'linux') {
    const now = startTime(pid);
    return now !== undefined && (started === undefined || started === now);
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary directories of harnesses that died without cleaning up (killed with
 * SIGKILL, OOM-killed, power loss). Only directories with an owner file are touched. Returns them.
 */
export function removeStaleTempDirs(root = tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(root).filter((n) => n.startsWith(PREFIX));
  } catch {
    return removed;
  }
  for (const name of names) {
    const dir = join(root, name);
    let owner: { pid?: unknown; started?: unknown };
    try {
      owner = JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8')) as typeof owner;
    } catch {
      continue; // not ours, or being created right now
    }
    if (typeof owner.pid !== 'number' || owner.pid === process.pid) continue;
    if (alive(owner.pid, typeof owner.started === 'string' ? owner.started : undefined)) continue;
    rmSync(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}

export function createTempDir(prefix: string): string {
  if (!swept) {
    swept = true;
    removeStaleTempDirs();
  }
  const dir = mkdtempSync(join(tmpdir(), prefix));
  owned.add(dir);
  writeFileSync(join(dir, OWNER_FILE), JSON.stringify({ pid: process.pid, started: startTime(process.pid) }));
  return dir;
}

export function removeTempDir(dir: string): void {
  owned.delete(dir);
  rmSync(dir, { recursive: true, force: true });
}

/** Synchronous: safe in 'exit' handlers. */
export function removeAllTempDirs(): void {
  for (const dir of [...owned]) removeTempDir(dir);
}
