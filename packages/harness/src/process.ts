import { spawn, type ChildProcess } from 'node:child_process';

export interface ProcessResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** What the process wrote on the extra response pipe, when one was asked for. */
  readonly channel: string;
  readonly timedOut: boolean;
}

export interface ProcessOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Killed with SIGKILL past this. */
  readonly timeoutMs: number;
  /** Open an extra pipe on this file descriptor and collect what the child writes there. */
  readonly channelFd?: number;
}

const MAX_CAPTURE = 64 * 1024;
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Runs a process to completion with a hard time limit. Every process the harness starts (snapshot
 * builders and clones alike) goes through here, so however the harness exits, none outlives it.
 * A process that cannot be started resolves like one that failed: code null, the reason in stderr.
 */
export function runProcess(command: string, args: readonly string[], options: ProcessOptions): Promise<ProcessResult> {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const child of live) child.kill('SIGKILL');
    });
  }
  return new Promise((resolve) => {
    const stdio: Array<'ignore' | 'pipe'> = ['ignore', 'pipe', 'pipe'];
    if (options.channelFd !== undefined) {
      while (stdio.length < options.channelFd) stdio.push('ignore');
      stdio[options.channelFd] = 'pipe';
    }
    const child = spawn(command, [...args], { env: options.env, cwd: options.cwd, stdio });
    live.add(child);
    let stdout = '';
    let stderr = '';
    let channel = '';
    let timedOut = false;
    child.stdout?.on('data', (d: Buffer) => {
      if (stdout.length < MAX_CAPTURE) stdout += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      if (stderr.length < MAX_CAPTURE) stderr += d.toString();
    });
    if (options.channelFd !== undefined) {
      (child.stdio[options.channelFd] as NodeJS.ReadableStream).on('data', (d: Buffer) => {
        channel += d.toString();
      });
    }
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    let settled = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      live.delete(child);
      resolve({ code, signal, stdout, stderr, channel, timedOut });
    };
    child.on('error', (err) => {
      stderr += String(err);
      finish(null, null);
    });
    child.on('close', finish);
  });
}
