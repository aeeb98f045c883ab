// The host side of the in-guest relay's protocol, driven by a fake *guest end* written here from
// the wire format (type u8, id u32 BE, length u32 BE, payload), over a real unix socket. No QEMU:
// vm.test.ts checks the same channel against the real relay in a guest.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { RelayChannel } from '../../src/engines/linux/vm/channel.js';
import { Frame, type GuestLog } from '../../src/engines/linux/vm/types.js';

const frame = (type: number, id: number, payload: Buffer | string = ''): Buffer => {
  const p = Buffer.from(payload);
  const h = Buffer.alloc(9);
  h.writeUInt8(type, 0);
  h.writeUInt32BE(id, 1);
  h.writeUInt32BE(p.length, 5);
  return Buffer.concat([h, p]);
};

/** The guest end: reads the host's frames. */
class FakeGuest {
  frames: Array<{ type: number; id: number; payload: Buffer }> = [];
  private buf = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  constructor(readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      while (this.buf.length >= 9 && this.buf.length >= 9 + this.buf.readUInt32BE(5)) {
        const len = this.buf.readUInt32BE(5);
        this.frames.push({ type: this.buf.readUInt8(0), id: this.buf.readUInt32BE(1), payload: this.buf.subarray(9, 9 + len) });
        this.buf = this.buf.subarray(9 + len);
      }
      for (const w of this.waiters.splice(0)) w();
    });
  }
  send(type: number, id: number, payload: Buffer | string = ''): void {
    this.socket.write(frame(type, id, payload));
  }
  async until(pred: (f: { type: number; id: number; payload: Buffer }) => boolean): Promise<{ type: number; id: number; payload: Buffer }> {
    for (;;) {
      const f = this.frames.find(pred);
      if (f) return f;
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }
}

const dirs: string[] = [];
const sockets: Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A connected pair: [host end, guest end]. */
async function pair(): Promise<[Socket, FakeGuest]> {
  const dir = mkdtempSync(join(tmpdir(), 'relay-channel-'));
  dirs.push(dir);
  const path = join(dir, 's');
  const accepted = new Promise<Socket>((resolve) => {
    const server = createServer((s) => {
      server.close();
      resolve(s);
    }).listen(path);
  });
  const host = connect(path);
  const guest = await accepted;
  sockets.push(host, guest);
  await new Promise((r) => host.once('connect', r));
  return [host, new FakeGuest(guest)];
}

const readAll = (s: Duplex): Promise<string> =>
  new Promise((resolve) => {
    let text = '';
    s.on('data', (d: Buffer) => (text += d.toString()));
    s.on('end', () => resolve(text));
  });

describe('relay channel (host side)', () => {
  it('makes one duplex stream per guest connection, both directions and both ends', async () => {
    const [host, guest] = await pair();
    const streams: Duplex[] = [];
    new RelayChannel(host, { onConnection: (s) => streams.push(s) });
    guest.send(Frame.OPEN, 7);
    guest.send(Frame.DATA, 7, 'GET / HTTP/1.1\r\n');
    guest.send(Frame.DATA, 7, '\r\n');
    guest.send(Frame.CLOSE, 7);
    await expect.poll(() => streams.length).toBe(1);
    expect(await readAll(streams[0]!)).toBe('GET / HTTP/1.1\r\n\r\n');
    streams[0]!.end('HTTP/1.1 200 OK\r\n\r\n');
    const data = await guest.until((f) => f.type === Frame.DATA);
    expect(data.id).toBe(7);
    expect(data.payload.toString()).toBe('HTTP/1.1 200 OK\r\n\r\n');
    expect((await guest.until((f) => f.type === Frame.CLOSE)).id).toBe(7);
  });

  it('splits host writes larger than a frame', async () => {
    const [host, guest] = await pair();
    let stream: Duplex | undefined;
    new RelayChannel(host, { onConnection: (s) => (stream = s) });
    guest.send(Frame.OPEN, 1);
    await expect.poll(() => stream).toBeDefined();
    stream!.write(Buffer.alloc(150_000, 1));
    await expect.poll(() => guest.frames.filter((f) => f.type === Frame.DATA).reduce((n, f) => n + f.payload.length, 0)).toBe(150_000);
    expect(Math.max(...guest.frames.map((f) => f.payload.length))).toBeLessThanOrEqual(65536);
  });

  it('turns LOG frames into lines, even when a frame ends inside a line or a UTF-8 character', async () => {
    const [host, guest] = await pair();
    const logs: GuestLog[] = [];
    let exit: number | undefined;
    new RelayChannel(host, { onLog: (l) => logs.push(l), onExit: (c) => (exit = c) });
    const text = Buffer.from('héllo\nwor');
    guest.send(Frame.LOG, 1, text.subarray(0, 2)); // "h" + first byte of "é"
    guest.send(Frame.LOG, 1, text.subarray(2));
    guest.send(Frame.LOG, 2, 'oops\n');
    guest.send(Frame.LOG, 1, 'ld');
    const code = Buffer.alloc(4);
    code.writeUInt32BE(3);
    guest.send(Frame.EXIT, 0, code);
    await expect.poll(() => exit).toBe(3);
    expect(logs.map((l) => `${l.stream}:${l.text}`)).toEqual(['stdout:héllo', 'stderr:oops', 'stdout:world']);
  });

  it('sets the clock with seconds and nanoseconds, and waits for the guest', async () => {
    const [host, guest] = await pair();
    const ch = new RelayChannel(host, {});
    let done = false;
    const p = ch.setClock(1_800_000_000_123.5).then(() => (done = true));
    const f = await guest.until((x) => x.type === Frame.CLOCK);
    expect(f.payload.readUInt32BE(0) * 2 ** 32 + f.payload.readUInt32BE(4)).toBe(1_800_000_000);
    expect(f.payload.readUInt32BE(8)).toBe(123_500_000);
    expect(done).toBe(false);
    guest.send(Frame.CLOCK_ACK, 0, f.payload);
    await p;
  });

  it('keeps the unanswered request of an open connection with the snapshot and replays it in a clone', async () => {
    // Builder: connection 1 asked and got its answer; connection 2 asked (restore/next) and waits.
    const [host, guest] = await pair();
    const streams = new Map<number, Duplex>();
    const ch = new RelayChannel(host, { onConnection: (s) => streams.set((s as unknown as { id: number }).id, s) });
    guest.send(Frame.OPEN, 1);
    guest.send(Frame.DATA, 1, 'GET /next\n');
    guest.send(Frame.OPEN, 2);
    guest.send(Frame.DATA, 2, 'GET /restore');
    guest.send(Frame.DATA, 2, '/next\n');
    await expect.poll(() => streams.size).toBe(2);
    streams.get(1)!.write('event-1\n');
    await guest.until((f) => f.type === Frame.DATA && f.id === 1);
    guest.send(Frame.DATA, 1, 'GET /next\n'); // asks again: pending again
    // The snapshot: freeze waits for the guest's SYNC_ACK, then holds the host's writes.
    let frozen = false;
    const freezing = ch.freeze().then(() => (frozen = true));
    const sync = await guest.until((f) => f.type === Frame.SYNC);
    expect(frozen).toBe(false);
    guest.send(Frame.SYNC_ACK, sync.id);
    await freezing;
    const before = guest.frames.length;
    streams.get(1)!.write('event-2\n'); // answered after the sync point: the clone must send it
    await new Promise((r) => setTimeout(r, 50));
    expect(guest.frames.length).toBe(before);
    const state = ch.state();
    expect(state.connections.map((c) => [c.id, Buffer.from(c.pending, 'base64').toString()])).toEqual([
      [1, ''],
      [2, 'GET /restore/next\n'],
    ]);
    expect(state.queued.map((q) => Buffer.from(q, 'base64').subarray(9).toString())).toEqual(['event-2\n']);

    // A clone: a fresh socket, the saved state; the clone's host answers restore/next.
    const [host2, guest2] = await pair();
    const restored = new Map<number, Duplex>();
    const clone = new RelayChannel(host2, { onConnection: (s) => restored.set((s as unknown as { id: number }).id, s) }, JSON.parse(JSON.stringify(state)));
    const q = await guest2.until((f) => f.type === Frame.DATA);
    expect([q.id, q.payload.toString()]).toEqual([1, 'event-2\n']);
    clone.announceRestored();
    expect([...restored.keys()]).toEqual([1, 2]);
    const request = await new Promise<string>((resolve) => restored.get(2)!.once('data', (d: Buffer) => resolve(d.toString())));
    expect(request).toBe('GET /restore/next\n');
    restored.get(2)!.write('restored\n');
    const answer = await guest2.until((f) => f.type === Frame.DATA && f.id === 2);
    expect(answer.payload.toString()).toBe('restored\n');
    // New traffic on a restored connection reaches the same stream.
    guest2.send(Frame.DATA, 2, 'GET /next\n');
    const next = await new Promise<string>((resolve) => restored.get(2)!.once('data', (d: Buffer) => resolve(d.toString())));
    expect(next).toBe('GET /next\n');
  });

  it('rejects waits when the guest channel closes', async () => {
    const [host, guest] = await pair();
    const ch = new RelayChannel(host, {});
    const w = ch.wait(Frame.HELLO);
    guest.socket.destroy();
    await expect(w).rejects.toThrow(/closed/);
  });
});
