/**
 * One vmm-monitor child process and its frame protocol: spawns the binary, splits its stdout into
 * frames, matches each request with its answer and hands console frames to the VM. Used by vm.ts
 * (MicroVm, ReservedVm); the C side is native/monitor/main.c and protocol.c. See docs/vmm.md,
 * "Processes" and "Protocol".
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { VmmError } from './errors.js';
import { monitorPath } from './native.js';

/** One message of the monitor protocol: a header line of `key=value` fields and an optional payload. */
export interface Frame {
  readonly verb: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly payload?: Buffer;
}

const MAX_STDERR = 64 * 1024;

/** Splits the monitor's stdout into frames (header line, then `len` raw bytes). */
class FrameReader {
  private buffer: Buffer = Buffer.alloc(0);
  private header: { verb: string; fields: Record<string, string>; len: number } | undefined;

  push(chunk: Buffer, emit: (frame: Frame) => void): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      if (!this.header) {
        const nl = this.buffer.indexOf(0x0a);
        if (nl < 0) return;
        const line = this.buffer.subarray(0, nl).toString('latin1');
        this.buffer = this.buffer.subarray(nl + 1);
        const [verb = '', ...parts] = line.split(' ');
        const fields: Record<string, string> = {};
        for (const part of parts) {
          const eq = part.indexOf('=');
          if (eq > 0) fields[part.slice(0, eq)] = decodeURIComponent(part.slice(eq + 1));
        }
        this.header = { verb, fields, len: fields.len === undefined ? -1 : Number(fields.len) };
      }
      const { verb, fields, len } = this.header;
      if (len < 0) {
        this.header = undefined;
        emit({ verb, fields });
        continue;
      }
      if (this.buffer.length < len) return;
      const payload = Buffer.from(this.buffer.subarray(0, len));
      this.buffer = this.buffer.subarray(len);
      this.header = undefined;
      emit({ verb, fields, payload });
    }
  }
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kills every monitor this process started (for hosts that handle their own signals). */
export function killAllMonitors(): void {
  for (const child of live) child.kill('SIGKILL');
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // However the host process ends, no monitor (and so no microVM) outlives it.
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

interface Pending {
  readonly resolve: (frame: Frame) => void;
  readonly reject: (err: Error) => void;
  timer?: NodeJS.Timeout;
}

/**
 * A vmm-monitor process: one microVM at a time, driven by request/response frames. Requests are
 * answered in order, each by exactly one frame; `console` frames in between go to onConsole.
 */
export class MonitorProcess {
  private readonly child: ChildProcess;
  private readonly pending: Pending[] = [];
  private stderr = '';
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private helloSeen!: (frame: Frame) => void;
  private helloFailed!: (err: Error) => void;
  /** Resolves once the monitor has finished its per-process setup and waits for a command. */
  readonly started: Promise<Frame>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  onConsole: ((text: string) => void) | undefined;

  constructor(binary = monitorPath()) {
    installExitHook();
    this.started = new Promise<Frame>((resolve, reject) => {
      this.helloSeen = resolve;
      this.helloFailed = reject;
    });
    this.started.catch(() => {}); // observed through request() or exited as well
    this.child = spawn(binary, [], { stdio: ['pipe', 'pipe', 'pipe'] });
    live.add(this.child);
    const reader = new FrameReader();
    this.child.stdout!.on('data', (chunk: Buffer) => reader.push(chunk, (frame) => this.dispatch(frame)));
    this.child.stderr!.on('data', (chunk: Buffer) => {
      if (this.stderr.length < MAX_STDERR) this.stderr += chunk.toString();
    });
    // A write after the monitor died surfaces as the exit error below, not as an EPIPE crash.
    this.child.stdin!.on('error', () => {});
    this.exited = new Promise((resolve) => {
      let spawnError: Error | undefined;
      const done = (code: number | null, signal: NodeJS.Signals | null): void => {
        if (this.exitInfo) return;
        this.exitInfo = { code, signal };
        live.delete(this.child);
        // A monitor that never started says why (e.g. ENOENT, or ETXTBSY while a build rewrites it).
        const why = spawnError ? `could not be started: ${spawnError.message}` : signal ? `was killed by ${signal}` : `exited with code ${code}`;
        const err = new VmmError(`vmm-monitor (pid ${this.child.pid ?? '?'}) ${why}`, this.stderr.trim() || undefined);
        this.helloFailed(err);
        for (const p of this.pending.splice(0)) {
          if (p.timer) clearTimeout(p.timer);
          p.reject(err);
        }
        resolve(this.exitInfo);
      };
      this.child.on('error', (e) => {
        spawnError = e;
        this.stderr += String(e);
        done(null, null);
      });
      this.child.on('close', done);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return !this.exitInfo;
  }

  /** Sends one command and resolves with its answer. `safetyMs` guards against a stuck monitor. */
  request(verb: string, fields: Record<string, string | number>, payload?: Buffer, safetyMs = 120_000): Promise<Frame> {
    if (this.exitInfo) return Promise.reject(new VmmError('vmm-monitor is not running', this.stderr.trim() || undefined));
    const parts = [verb];
    for (const [k, v] of Object.entries(fields)) parts.push(`${k}=${encodeURIComponent(String(v))}`);
    if (payload) parts.push(`len=${payload.length}`);
    return new Promise<Frame>((resolve, reject) => {
      const entry: Pending = { resolve, reject };
      entry.timer = setTimeout(() => {
        this.kill();
        reject(new VmmError(`vmm-monitor did not answer '${verb}' within ${safetyMs} ms and was killed`));
      }, safetyMs);
      this.pending.push(entry);
      this.child.stdin!.write(`${parts.join(' ')}\n`);
      if (payload && payload.length) this.child.stdin!.write(payload);
    });
  }

  private dispatch(frame: Frame): void {
    if (frame.verb === 'hello') {
      this.helloSeen(frame);
      return;
    }
    if (frame.verb === 'console') {
      this.onConsole?.(frame.payload?.toString('utf8') ?? '');
      return;
    }
    const next = this.pending.shift();
    if (!next) return;
    if (next.timer) clearTimeout(next.timer);
    next.resolve(frame);
  }

  /** Asks the monitor to exit and waits for it; kills it if it does not go within `graceMs`. */
  async quit(graceMs = 2000): Promise<void> {
    if (this.exitInfo) return;
    this.child.stdin!.end('quit\n');
    const timer = setTimeout(() => this.kill(), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  kill(): void {
    if (!this.exitInfo) this.child.kill('SIGKILL');
  }

  stderrText(): string {
    return this.stderr;
  }
}
