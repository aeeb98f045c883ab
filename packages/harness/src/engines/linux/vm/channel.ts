// The linux engine's host end of the guest relay (RelayChannel): guest TCP connections and the
// command's output multiplexed over one virtio-serial socket, and the unanswered request saved with
// the snapshot and replayed into each clone. Used by qemu.ts. How and why below; see docs/harness.md,
// "Linux engine internals".
import { Duplex } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { Socket } from 'node:net';
import { Frame, type VmHandlers } from './types.js';

/**
 * The host side of the in-guest relay (src/runtime/linux/relay.c): one socket to QEMU's
 * virtio-serial port carries every guest TCP connection to 127.0.0.1:9001 as frames
 * (type u8, connection id u32 BE, length u32 BE, payload), plus the command's output (LOG), its
 * exit (EXIT) and the host's controls (START, CLOCK, SYNC).
 *
 * The snapshot problem this solves: a runtime client sends `GET /runtime/restore/next` and waits;
 * the snapshot is taken while it waits; every clone's host must answer it. The request's bytes
 * reached the builder's host, not the clone's. So, per connection, the channel keeps the bytes
 * the guest sent since the host last wrote to that connection (for request/response protocols:
 * the unanswered request), `freeze()` saves them with the snapshot, and a clone's channel
 * replays them into a fresh stream for the same connection id: the clone's HTTP server parses
 * the request as if it had just arrived, and its answer goes to the guest's still-open socket.
 */

const HEADER = 9;
const MAX_PAYLOAD = 65536;

function frame(type: number, id: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const h = Buffer.allocUnsafe(HEADER);
  h.writeUInt8(type, 0);
  h.writeUInt32BE(id, 1);
  h.writeUInt32BE(payload.length, 5);
  return Buffer.concat([h, payload]);
}

/** A guest connection as the host sees it: what the guest wrote is readable, what is written goes to the guest. */
export class GuestStream extends Duplex {
  readonly remoteAddress = '127.0.0.1';
  readonly remotePort: number;

  constructor(
    readonly id: number,
    private readonly channel: RelayChannel,
  ) {
    super({ allowHalfOpen: true });
    this.remotePort = id;
  }

  override _read(): void {
    // frames are pushed as they arrive; the guest side has no flow control to resume
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.channel.sendData(this.id, chunk, cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.channel.sendClose(this.id);
    cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.channel.sendClose(this.id);
    cb(err);
  }

  // An http.Server tunes its sockets with these; on a relayed connection there is nothing to tune
  // (the guest's own socket is a loopback socket inside the VM).
  setTimeout(_ms: number, _cb?: () => void): this {
    return this;
  }
  setNoDelay(_noDelay?: boolean): this {
    return this;
  }
  setKeepAlive(_enable?: boolean, _delay?: number): this {
    return this;
  }
}

interface ConnState {
  stream: GuestStream;
  /** Bytes from the guest since the host last wrote to this connection. */
  pending: Buffer[];
  guestClosed: boolean;
  hostClosed: boolean;
}

/** What a snapshot keeps of the channel (JSON-safe). */
export interface ChannelState {
  readonly connections: readonly { readonly id: number; readonly pending: string; readonly guestClosed: boolean; readonly hostClosed: boolean }[];
  /** Frames the host wrote after the snapshot's sync point: the clone sends them. */
  readonly queued: readonly string[];
}

export class RelayChannel {
  private buf: Buffer = Buffer.alloc(0);
  private readonly conns = new Map<number, ConnState>();
  private frozen: Buffer[] | undefined;
  private readonly logTail: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };
  // A LOG frame can end inside a UTF-8 sequence.
  private readonly decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  private waiters: Array<{ type: number; resolve: (p: Buffer) => void; reject: (e: Error) => void }> = [];
  private closedError: Error | undefined;
  private syncSeq = 0;
  exitCode: number | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly handlers: VmHandlers,
    saved?: ChannelState,
  ) {
    if (saved) {
      // The connections open at the snapshot: their streams exist before any new frame can arrive.
      for (const c of saved.connections) {
        const state = this.addConn(c.id);
        state.guestClosed = c.guestClosed;
        state.hostClosed = c.hostClosed;
        const pending = Buffer.from(c.pending, 'base64');
        if (pending.length > 0) {
          state.pending.push(pending);
          state.stream.push(pending);
        }
        if (c.guestClosed) state.stream.push(null);
      }
      for (const q of saved.queued) socket.write(Buffer.from(q, 'base64'));
    }
    socket.on('data', (d: Buffer) => this.onData(d));
    const closed = (err?: Error): void => {
      this.closedError ??= err ?? new Error('the guest channel closed');
      for (const w of this.waiters.splice(0)) w.reject(this.closedError);
      for (const c of this.conns.values()) if (!c.guestClosed) c.stream.push(null);
    };
    socket.on('error', closed);
    socket.on('close', () => closed());
  }

  /** Hands the restored connections to `onConnection` (after the clone's clock was set). */
  announceRestored(): void {
    for (const c of this.conns.values()) this.handlers.onConnection?.(c.stream);
  }

  private addConn(id: number): ConnState {
    const state: ConnState = { stream: new GuestStream(id, this), pending: [], guestClosed: false, hostClosed: false };
    this.conns.set(id, state);
    return state;
  }

  private send(buf: Buffer, cb?: (err?: Error | null) => void): void {
    if (this.frozen) {
      this.frozen.push(buf);
      cb?.();
      return;
    }
    if (this.closedError) {
      cb?.(this.closedError);
      return;
    }
    this.socket.write(buf, cb);
  }

  sendData(id: number, data: Buffer, cb: (err?: Error | null) => void): void {
    const c = this.conns.get(id);
    if (c) c.pending = []; // the host answered
    for (let off = 0; off < data.length; off += MAX_PAYLOAD) {
      const last = off + MAX_PAYLOAD >= data.length;
      this.send(frame(Frame.DATA, id, data.subarray(off, off + MAX_PAYLOAD)), last ? cb : undefined);
    }
    if (data.length === 0) cb();
  }

  sendClose(id: number): void {
    const c = this.conns.get(id);
    if (!c || c.hostClosed) return;
    c.hostClosed = true;
    this.send(frame(Frame.CLOSE, id));
    this.forgetIfDone(id, c);
  }

  private forgetIfDone(id: number, c: ConnState): void {
    if (c.hostClosed && c.guestClosed) this.conns.delete(id);
  }

  /** Starts the image's command with `env` added to its environment. */
  start(env: Readonly<Record<string, string>>): void {
    this.send(frame(Frame.START, 0, Buffer.from(Object.entries(env).map(([k, v]) => `${k}=${v}\0`).join(''))));
  }

  /** Sets the guest's wall clock; resolves when the guest has set it. */
  async setClock(ms: number): Promise<void> {
    const p = Buffer.allocUnsafe(12);
    const sec = Math.floor(ms / 1000);
    p.writeUInt32BE(Math.floor(sec / 2 ** 32), 0);
    p.writeUInt32BE(sec % 2 ** 32, 4);
    p.writeUInt32BE(Math.round((ms - sec * 1000) * 1e6), 8);
    const ack = this.wait(Frame.CLOCK_ACK);
    this.send(frame(Frame.CLOCK, 0, p));
    await ack;
  }

  /**
   * Makes sure every byte the host sent so far is in the guest's sockets (the relay handles frames
   * in order and answers SYNC after the ones before it), then holds whatever the host sends next:
   * the snapshot keeps those frames and the clone sends them.
   */
  async freeze(): Promise<void> {
    const ack = this.wait(Frame.SYNC_ACK);
    this.send(frame(Frame.SYNC, ++this.syncSeq));
    this.frozen = [];
    await ack;
  }

  /** The state a snapshot keeps (call after the guest is paused and its last frames were read). */
  state(): ChannelState {
    return {
      connections: [...this.conns.entries()].map(([id, c]) => ({ id, pending: Buffer.concat(c.pending).toString('base64'), guestClosed: c.guestClosed, hostClosed: c.hostClosed })),
      queued: (this.frozen ?? []).map((b) => b.toString('base64')),
    };
  }

  /** Resolves with the payload of the next frame of `type` from the guest. */
  wait(type: number): Promise<Buffer> {
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise((resolve, reject) => this.waiters.push({ type, resolve, reject }));
  }

  private onData(d: Buffer): void {
    this.buf = this.buf.length === 0 ? d : Buffer.concat([this.buf, d]);
    while (this.buf.length >= HEADER) {
      const len = this.buf.readUInt32BE(5);
      if (len > MAX_PAYLOAD) {
        this.socket.destroy(new Error(`guest relay sent a frame of ${len} bytes (at most ${MAX_PAYLOAD}): the channel is out of step`));
        return;
      }
      if (this.buf.length < HEADER + len) return;
      const type = this.buf.readUInt8(0);
      const id = this.buf.readUInt32BE(1);
      const payload = this.buf.subarray(HEADER, HEADER + len);
      this.buf = this.buf.subarray(HEADER + len);
      this.onFrame(type, id, Buffer.from(payload));
    }
  }

  private onFrame(type: number, id: number, payload: Buffer): void {
    const waiter = this.waiters.findIndex((w) => w.type === type);
    if (waiter >= 0) this.waiters.splice(waiter, 1)[0]!.resolve(payload);
    switch (type) {
      case Frame.OPEN: {
        const c = this.addConn(id);
        this.handlers.onConnection?.(c.stream);
        return;
      }
      case Frame.DATA: {
        const c = this.conns.get(id);
        if (!c) return;
        c.pending.push(payload);
        c.stream.push(payload);
        return;
      }
      case Frame.CLOSE: {
        const c = this.conns.get(id);
        if (!c) return;
        c.guestClosed = true;
        c.stream.push(null);
        this.forgetIfDone(id, c);
        return;
      }
      case Frame.LOG:
        this.log(id === 2 ? 'stderr' : 'stdout', payload);
        return;
      case Frame.EXIT:
        this.flushLogs();
        this.exitCode = payload.readUInt32BE(0);
        this.handlers.onExit?.(this.exitCode);
        return;
      default:
        // HELLO, CLOCK_ACK, SYNC_ACK: only waiters care
        return;
    }
  }

  private log(stream: 'stdout' | 'stderr', bytes: Buffer): void {
    const lines = (this.logTail[stream] + this.decoders[stream].write(bytes)).split('\n');
    this.logTail[stream] = lines.pop() ?? '';
    const at = Date.now();
    for (const line of lines) this.handlers.onLog?.({ stream, text: line, at });
  }

  private flushLogs(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      this.logTail[stream] += this.decoders[stream].end();
      if (this.logTail[stream]) this.handlers.onLog?.({ stream, text: this.logTail[stream], at: Date.now() });
      this.logTail[stream] = '';
    }
  }

  close(): void {
    this.flushLogs();
    this.socket.destroy();
  }
}
