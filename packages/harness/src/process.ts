// The harness's child processes: ManagedProcess and runProcess for every engine, each child in its
// own process group (and contained, see containment/sandbox.ts), all killed and the temporary
// directories removed on exit and on SIGINT/SIGTERM/SIGHUP (cleanupAll). Details below; see
// docs/harness.md, "Containment".
import { spawn, type ChildProcess } from 'node:child_process';
import { exitSignal, wrapCommand } from './containment/sandbox.js';
import { removeAllTempDirs } from './temp.js';

/**
 * Every process the harness starts (snapshot builders, clones, cold starts, microVM monitors)
 * goes through here. Each gets its own process group, so that killing it also kills whatever it
 * started, and none outlives the harness: the groups are killed and the temporary directories
 * removed when the harness exits normally and when it gets SIGINT, SIGTERM or SIGHUP. A SIGKILL
 * of the harness cannot be caught: for that, every process gets a parent-death signal where the
 * system has one (containment/sandbox.ts), and stale temporary directories are removed by the
 * next harness (temp.ts). With `isolate`, the process also runs in its own network and PID
 * namespaces, so nothing it starts (even detached, in another session) outlives it.
 */
const live = new Set<ChildProcess>();
let hooksInstalled = false;
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

const cleanups = new Set<() => void>();

/** Also run `fn` when the harness cleans up (e.g. an engine's own child processes). */
export function registerCleanup(fn: () => void): void {
  installHooks();
  cleanups.add(fn);
}

/** Kills every live child's process group and removes the harness's temporary directories. */
export function cleanupAll(): void {
  for (const child of live) killGroup(child);
  live.clear();
  for (const fn of cleanups) {
    try {
      fn();
    } catch {
      // cleaning up must go on
    }
  }
  removeAllTempDirs();
}

function onSignal(signal: NodeJS.Signals): void {
  cleanupAll();
  // If nobody else handles this signal, behave as if we were not here: default action.
  if (process.listenerCount(signal) === 1) {
    process.removeListener(signal, onSignal);
    process.kill(process.pid, signal);
  }
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', cleanupAll);
  for (const s of SIGNALS) process.on(s, onSignal);
}

export interface SpawnOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Open an extra duplex pipe on this file descriptor. */
  readonly channelFd?: number;
  /** Run in fresh network and PID namespaces where the kernel allows it (containment/sandbox.ts). */
  readonly isolate?: boolean;
}

const MAX_CAPTURE = 64 * 1024;

/** A started child with bounded stdout/stderr capture and a promise of its exit. */
export class ManagedProcess {
  readonly child: ChildProcess;
  readonly startedAt = performance.now();
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Inside fresh network and PID namespaces. */
  readonly isolated: boolean;
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  constructor(command: string, args: readonly string[], options: SpawnOptions = {}) {
    installHooks();
    const stdio: Array<'ignore' | 'pipe'> = ['ignore', 'pipe', 'pipe'];
    if (options.channelFd !== undefined) {
      while (stdio.length < options.channelFd) stdio.push('ignore');
      stdio[options.channelFd] = 'pipe';
    }
    const wrapped = wrapCommand(command, args, options.isolate ?? false, options.cwd);
    this.isolated = wrapped.isolated;
    this.child = spawn(wrapped.command, wrapped.args, { env: options.env, cwd: options.cwd, stdio, detached: true });
    live.add(this.child);
    this.child.stdout?.on('data', (d: Buffer) => {
      if (this.stdout.length < MAX_CAPTURE) this.stdout += d.toString();
    });
    this.child.stderr?.on('data', (d: Buffer) => {
      if (this.stderr.length < MAX_CAPTURE) this.stderr += d.toString();
    });
    this.exited = new Promise((resolve) => {
      const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
        if (this.exitInfo) return;
        // Isolated: the namespace's init shell reports a death by signal n as exit code 128+n.
        const viaInit = this.isolated && signal === null ? exitSignal(code) : undefined;
        this.exitInfo = viaInit ? { code: null, signal: viaInit } : { code, signal };
        live.delete(this.child);
        resolve(this.exitInfo);
      };
      // Whatever the process started in its group goes with it (and releases the pipes, so
      // 'close' can follow).
      this.child.on('exit', () => {
        if (this.child.pid === undefined) return;
        try {
          process.kill(-this.child.pid, 'SIGKILL');
        } catch {
          // the group is already empty
        }
      });
      this.child.on('error', (err) => {
        this.stderr += String(err);
        finish(null, null);
      });
      this.child.on('close', finish);
    });
  }

  get running(): boolean {
    return this.exitInfo === undefined;
  }

  /** The extra pipe asked for with `channelFd`. */
  channel(fd: number): NodeJS.ReadWriteStream {
    return this.child.stdio[fd] as unknown as NodeJS.ReadWriteStream;
  }

  kill(): void {
    killGroup(this.child);
  }
}

export interface ProcessResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/** Runs a process to completion with a hard time limit (its group is killed past it). */
export async function runProcess(command: string, args: readonly string[], options: SpawnOptions & { timeoutMs: number }): Promise<ProcessResult> {
  const p = new ManagedProcess(command, args, options);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    p.kill();
  }, options.timeoutMs);
  const { code, signal } = await p.exited;
  clearTimeout(timer);
  return { code, signal, stdout: p.stdout, stderr: p.stderr, timedOut };
}
