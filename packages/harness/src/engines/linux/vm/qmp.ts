import { connect, type Socket } from 'node:net';

/**
 * A minimal QMP client (QEMU Machine Protocol: JSON lines over a unix socket): one command at a
 * time, in order; asynchronous events are skipped.
 */
export class Qmp {
  private buf = '';
  private queue: Array<{ resolve: (v: unknown) => void; reject: (e: Error) => void; command: string }> = [];
  private error: Error | undefined;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      this.buf += d;
      for (let nl; (nl = this.buf.indexOf('\n')) >= 0; ) {
        const line = this.buf.slice(0, nl).trim();
        this.buf = this.buf.slice(nl + 1);
        if (line) this.onMessage(JSON.parse(line) as Record<string, unknown>);
      }
    });
    const fail = (e?: Error): void => {
      this.error ??= e ?? new Error('QMP connection closed (QEMU exited?)');
      for (const w of this.queue.splice(0)) w.reject(new Error(`QMP ${w.command}: ${this.error.message}`));
    };
    socket.on('error', fail);
    socket.on('close', () => fail());
  }

  private greeted = false;

  private onMessage(msg: Record<string, unknown>): void {
    if (!this.greeted && 'QMP' in msg) {
      this.greeted = true;
      return;
    }
    if ('event' in msg) return;
    const w = this.queue.shift();
    if (!w) return;
    if ('error' in msg) {
      const e = msg.error as { class?: string; desc?: string };
      w.reject(new Error(`QMP ${w.command}: ${e.desc ?? JSON.stringify(e)}`));
    } else w.resolve(msg.return);
  }

  static async open(socket: Socket): Promise<Qmp> {
    const q = new Qmp(socket);
    await q.command('qmp_capabilities');
    return q;
  }

  command<T = unknown>(execute: string, args?: Record<string, unknown>): Promise<T> {
    if (this.error) return Promise.reject(new Error(`QMP ${execute}: ${this.error.message}`));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ resolve: resolve as (v: unknown) => void, reject, command: execute });
      this.socket.write(`${JSON.stringify(args ? { execute, arguments: args } : { execute })}\n`);
    });
  }

  /** Polls `query-migrate` until the migration (either direction) completes; throws on failure. */
  async migrationDone(timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const r = await this.command<{ status?: string; 'error-desc'?: string }>('query-migrate');
      if (r.status === 'completed') return;
      if (r.status === 'failed' || r.status === 'cancelled') throw new Error(`QEMU migration ${r.status}: ${r['error-desc'] ?? 'no reason given'}`);
      if (performance.now() > deadline) throw new Error(`QEMU migration not done after ${timeoutMs} ms (status ${r.status ?? 'none'})`);
      await new Promise((res) => setTimeout(res, 5));
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Connects to a unix socket QEMU creates at start-up, retrying until it exists. */
export async function connectUnix(path: string, timeoutMs: number, alive: () => boolean): Promise<Socket> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      return await new Promise<Socket>((resolve, reject) => {
        const s = connect(path);
        s.once('connect', () => {
          s.removeAllListeners('error');
          // Until its owner listens, a reset (QEMU exiting) must not be an uncaught 'error': the
          // owner sees 'close', and the VM reports QEMU's exit with its stderr.
          s.on('error', () => undefined);
          resolve(s);
        });
        s.once('error', reject);
      });
    } catch (e) {
      if (!alive()) throw new Error(`QEMU exited before it opened ${path}`);
      if (performance.now() > deadline) throw new Error(`QEMU did not open ${path} within ${timeoutMs} ms: ${(e as Error).message}`);
      await new Promise((res) => setTimeout(res, 2));
    }
  }
}
