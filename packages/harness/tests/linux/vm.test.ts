// The linux engine's VM layer against a real guest (a Debian kernel under QEMU, TCG here): boot,
// a request pending at the snapshot, clones that each answer it, vmgenid fresh/same/none, the
// clone's wall clock. The guest is a busybox shell script: no runtime client is needed here.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGuestImage } from '../../src/engines/linux/image/build.js';
import { findKernel } from '../../src/engines/linux/image/kernel.js';
import { requireMuslGcc, requireQemu, requireStaticBusybox } from '../../src/engines/linux/image/missing.js';
import type { GuestImage } from '../../src/engines/linux/image/types.js';
import { LinuxVm } from '../../src/engines/linux/vm/qemu.js';
import type { VmgenidMode } from '../../src/engines/linux/vm/types.js';

const skip = (() => {
  try {
    requireQemu();
    findKernel();
    requireStaticBusybox();
    requireMuslGcc();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
})();
if (skip) console.log(`linux VM tests skipped: ${skip}`);

// Init prints; then a request is made and left pending (the snapshot is taken while it waits);
// after the answer (in a clone), /dev/urandom is read at once, then the clock.
// Linux also reseeds its RNG on a timer, every uptime/2 seconds early in boot. So the guest waits
// 8 s and reads /dev/urandom just before the snapshot (a reseed then, if one was due): the next
// timed reseed is >= 4 s of guest time away, and the clones read well before it. Only a vmgenid
// change can then make their bytes differ.
// Before that, a client that goes away before its answer: nc half-closes, is killed after 1 s, and
// the host answers (200 KB) 1.5 s after the half-close: the relay must drop that connection and
// live on (a write to a gone client fails with EPIPE).
const SCRIPT = [
  'sleep 8',
  "printf 'GET /gone\\n' | timeout 1 nc 127.0.0.1 9001",
  'sleep 2',
  'read -r -n 16 pre < /dev/urandom',
  'echo "init X=$X"',
  "printf 'GET /restore/next\\n' | nc 127.0.0.1 9001",
  // 32 whole bytes, by one process (a shell `read` would stop at a newline byte and drop NULs;
  // several processes starting at once would draw from the kernel's generator in any order).
  'r=$(od -An -tx1 -N 32 -w32 /dev/urandom)',
  'echo "time=$(date +%s)"',
  'echo "urandom=$(echo $r | tr -d \' \')"',
].join('\n');

/**
 * Whether two hex dumps of /dev/urandom come from one generator state: they share a run of at
 * least 12 bytes. Not equality: the kernel draws from the same generator for its own needs (a
 * process start's AT_RANDOM, ASLR), so a clone that started one more process reads the same
 * stream a few bytes further on. After a reseed the streams share nothing of that length.
 */
function sameStream(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  for (let i = 0; i + 24 <= a.length; i += 2) if (b.includes(a.slice(i, i + 24))) return true;
  return false;
}

interface Run {
  readonly request: string;
  readonly logs: string[];
  readonly exit: number;
  readonly vmgenid: string | undefined;
  readonly qemuVmgenid: string | undefined;
  readonly value: (name: string) => string | undefined;
}

const tmp = mkdtempSync(join(tmpdir(), 'linux-vm-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Waits for the guest's first request; answers it with `answer` (or never, if undefined). */
function serve(answer: string | undefined, requests: string[]): (s: Duplex) => void {
  return (s) => {
    s.on('data', (d: Buffer) => {
      requests.push(d.toString());
      if (answer !== undefined) s.end(answer);
    });
  };
}

async function clone(image: GuestImage, snapshot: string, vmgenid: VmgenidMode, clockMs?: number): Promise<Run> {
  const requests: string[] = [];
  const logs: string[] = [];
  let exited!: (code: number) => void;
  const exit = new Promise<number>((r) => (exited = r));
  const vm = await LinuxVm.restore(image, snapshot, { vmgenid, clockMs, onConnection: serve('restored\n', requests), onLog: (l) => logs.push(l.text), onExit: (c) => exited(c) });
  try {
    const code = await exit;
    const qemuVmgenid = await vm.qemuVmgenid();
    const value = (name: string): string | undefined => logs.find((l) => l.startsWith(`${name}=`))?.slice(name.length + 1);
    return { request: requests.join(''), logs, exit: code, vmgenid: vm.vmgenid, qemuVmgenid, value };
  } finally {
    await vm.close();
  }
}

/** Boots, waits until the guest's request is pending, snapshots. */
async function builder(image: GuestImage, vmgenid: VmgenidMode, file: string): Promise<{ vmgenid: string | undefined; logs: string[]; goneAnswered: boolean; info: Awaited<ReturnType<LinuxVm['snapshot']>> }> {
  const requests: string[] = [];
  const logs: string[] = [];
  let goneAnswered = false;
  const onConnection = (s: Duplex): void => {
    s.on('data', (d: Buffer) => {
      requests.push(d.toString());
      if (d.toString() === 'GET /gone\n') {
        s.on('end', () =>
          setTimeout(() => {
            s.write(Buffer.alloc(200_000, 0x61));
            s.end();
            goneAnswered = true;
          }, 1500),
        );
        s.resume();
      }
    });
  };
  const vm = await LinuxVm.boot(image, { vmgenid, accel: 'tcg', env: { X: 'boot' }, onConnection, onLog: (l) => logs.push(l.text) });
  const deadline = Date.now() + 120_000;
  while (!requests.includes('GET /restore/next\n')) {
    if (Date.now() > deadline) throw new Error(`the guest sent no request: ${logs.join('\n')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const id = vm.vmgenid;
  return { vmgenid: id, logs, goneAnswered, info: await vm.snapshot(file) };
}

describe.skipIf(skip !== undefined)('linux VM: snapshot and clones', () => {
  let image: GuestImage;
  let withDevice: Awaited<ReturnType<typeof builder>>;
  let withoutDevice: Awaited<ReturnType<typeof builder>>;
  const snapA = join(tmp, 'a.snap');
  const snapB = join(tmp, 'b.snap');

  beforeAll(async () => {
    image = await buildGuestImage({ name: 'vm-test', trees: [], command: ['/bin/sh', '-c', SCRIPT], env: { X: 'image' }, cwd: '/' }, () => undefined);
    [withDevice, withoutDevice] = await Promise.all([builder(image, 'fresh', snapA), builder(image, 'none', snapB)]);
  }, 300_000);

  it('boots with the per-boot environment, and snapshots with the request pending and RAM in its own file', () => {
    expect(withDevice.logs).toContain('init X=boot');
    // Connection 1 (the client that went away) is over; 2 waits for its answer.
    expect(withDevice.goneAnswered).toBe(true);
    expect(withDevice.info.connections).toEqual([{ id: 2, pendingBytes: 'GET /restore/next\n'.length }]);
    expect(withDevice.info.ramBytes).toBe(256 * 1024 * 1024);
    // Device state only: the RAM is not in the stream.
    expect(withDevice.info.bytes).toBeLessThan(16 * 1024 * 1024);
  });

  it('fresh: each clone answers the pending request, gets its own vmgenid, and reads different /dev/urandom bytes', async () => {
    const clones = await Promise.all([clone(image, snapA, 'fresh'), clone(image, snapA, 'fresh')]);
    for (const c of clones) {
      expect(c.request).toBe('GET /restore/next\n'); // replayed from the builder's channel
      expect(c.logs).toContain('restored'); // the clone's answer reached nc in the guest
      expect(c.exit).toBe(0);
      expect(c.qemuVmgenid).toBe(c.vmgenid);
      expect(c.vmgenid).not.toBe(withDevice.vmgenid);
      expect(c.value('urandom')).toMatch(/^[0-9a-f]+$/);
    }
    expect(clones[0]!.vmgenid).not.toBe(clones[1]!.vmgenid);
    expect(sameStream(clones[0]!.value('urandom'), clones[1]!.value('urandom'))).toBe(false);
  }, 180_000);

  it('same: clones keep the builder vmgenid and the kernel RNG is not reseeded (the same byte stream)', async () => {
    const clones = await Promise.all([clone(image, snapA, 'same'), clone(image, snapA, 'same')]);
    for (const c of clones) {
      expect(c.vmgenid).toBe(withDevice.vmgenid);
      expect(c.qemuVmgenid).toBe(withDevice.vmgenid);
      expect(c.logs).toContain('restored');
    }
    expect(sameStream(clones[0]!.value('urandom'), clones[1]!.value('urandom'))).toBe(true);
  }, 180_000);

  it('none: no vmgenid device, the same /dev/urandom stream in every clone', async () => {
    const clones = await Promise.all([clone(image, snapB, 'none'), clone(image, snapB, 'none')]);
    for (const c of clones) {
      expect(c.vmgenid).toBeUndefined();
      expect(c.logs).toContain('restored');
    }
    expect(sameStream(clones[0]!.value('urandom'), clones[1]!.value('urandom'))).toBe(true);
  }, 180_000);

  it("sets the clone's wall clock (the guest's otherwise resumes at the snapshot's instant)", async () => {
    const later = Date.now() + 10 * 24 * 3600 * 1000;
    const c = await clone(image, snapA, 'fresh', later);
    expect(Math.abs(Number(c.value('time')) - later / 1000)).toBeLessThan(120);
  }, 120_000);

  it("a guest that cannot start fails with QEMU's exit and the kernel's panic line, not a timeout", async () => {
    const bad = { ...image, initrd: join(tmp, 'not-an-initramfs') };
    writeFileSync(bad.initrd, 'hello\n');
    const t0 = Date.now();
    await expect(LinuxVm.boot(bad, { accel: 'tcg', bootTimeoutMs: 170_000 })).rejects.toThrow(/QEMU exited[\s\S]*Kernel panic - not syncing: VFS: Unable to mount root fs/);
    expect(Date.now() - t0).toBeLessThan(170_000);
  }, 180_000);

  it('refuses a vmgenid mode the snapshot cannot have', async () => {
    await expect(LinuxVm.restore(image, snapB, { vmgenid: 'fresh' })).rejects.toThrow(/taken without the vmgenid device/);
    await expect(LinuxVm.restore(image, snapA, { vmgenid: 'none' })).rejects.toThrow(/must be chosen when the snapshot's VM boots/);
  });
});
