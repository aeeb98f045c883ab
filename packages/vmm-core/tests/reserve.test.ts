import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootVm, guests, reserve, SnapshotFormatError, VmmError } from '../src/index.js';
import { MonitorProcess } from '../src/internal.js';
import { ACCELERATORS, distinct, MONITORS, tempDir, type DemoResult } from './support.js';

/** Private (resident) KiB of a process, from /proc. */
function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? NaN);
}

describe.each(MONITORS)('reserved monitors, a warm pool entry ($name monitor)', ({ binary }) => {
  describe.each(ACCELERATORS)('on %s', (accel) => {
    const tmp = tempDir(`reserve-${accel}`);
    const snap = join(tmp.dir, 'demo.snap');
    let original: DemoResult;

    beforeAll(async () => {
      const vm = await bootVm({ guest: guests.demo, accel, ramMiB: 32, monitorBinary: binary });
      try {
        await vm.snapshot(snap);
        original = (await vm.invoke({})).json<DemoResult>();
      } finally {
        await vm.close();
      }
    });
    afterAll(() => tmp.cleanup());

    it('restores into a reserved VM with the same results as a plain restore: init values shared, fresh vmgenid unique', async () => {
      const reserved = await Promise.all([0, 1, 2, 3].map(() => reserve(snap, { accel, monitorBinary: binary })));
      // Only the snapshot's non-zero pages are faulted in ahead, not the whole 32 MiB.
      expect(reserved[0]!.prefaultedBytes).toBeGreaterThan(0);
      expect(reserved[0]!.prefaultedBytes).toBeLessThan(32 << 20);
      const clones = await Promise.all(reserved.map((r) => r.restore()));
      try {
        const results = await Promise.all(clones.map(async (c) => (await c.invoke({})).json<DemoResult>()));
        expect(clones.every((c) => c.accel === accel)).toBe(true);
        expect(distinct(results.map((r) => r.sandboxId))).toBe(1);
        expect(results[0]!.sandboxId).toBe(original.sandboxId);
        expect(distinct(results.map((r) => r.requestId))).toBe(4);
        // A second request works too (the VM is an ordinary restored VM now).
        expect((await clones[0]!.invoke({})).json<DemoResult>().sequence).toBe(2);
      } finally {
        await Promise.all(clones.map((c) => c.close()));
      }
      await expect(reserved[0]!.restore()).rejects.toThrow(/already restored/);
    });

    it('applies the vmgenid mode at restore: a reservation made for fresh restores with same', async () => {
      const reserved = await Promise.all([0, 1].map(() => reserve(snap, { accel, vmgenid: 'fresh', monitorBinary: binary })));
      const clones = await Promise.all(reserved.map((r) => r.restore({ vmgenid: 'same' })));
      try {
        const results = await Promise.all(clones.map(async (c) => (await c.invoke({})).json<DemoResult>()));
        // The snapshot's generation ID is kept: the guest RNG repeats, as with a plain `same` restore.
        expect(distinct(results.map((r) => r.requestId))).toBe(1);
        expect(results[0]!.requestId).toBe(original.requestId);
      } finally {
        await Promise.all(clones.map((c) => c.close()));
      }
    });

    it('keeps a reservation small, and ends its process on close', async () => {
      const r = await reserve(snap, { accel, monitorBinary: binary });
      const probe = new MonitorProcess(binary);
      await probe.started;
      const pid = (r as unknown as { monitor: MonitorProcess }).monitor.pid!;
      // Resident memory grows by the 2 MiB huge pages the snapshot's data falls in (and, on tcg,
      // Unicorn's own buffers), not by the guest's whole 32 MiB.
      expect(rssKiB(pid) - rssKiB(probe.pid!)).toBeLessThan(24 * 1024);
      await probe.quit();
      await r.close();
      expect(() => process.kill(pid, 0)).toThrow();
    });

    it('refuses to run requests before the restore, and falls back to a normal restore for another memory mode', async () => {
      const m = new MonitorProcess(binary);
      await m.started;
      try {
        expect((await m.request('reserve', { path: snap, accel })).verb).toBe('reserved');
        const early = await m.request('invoke', { 'timeout-ms': 1000 }, Buffer.from('{}'));
        expect(early.verb).toBe('error');
        expect(early.fields.message).toMatch(/no VM/);
        // A cow restore does not fit the reservation: it is dropped and the restore builds its own VM.
        const restored = await m.request('restore', { path: snap, accel, memory: 'cow', vmgenid: 'same' });
        expect(restored.verb).toBe('restored');
        const result = await m.request('invoke', { 'timeout-ms': 10_000 }, Buffer.from('{}'));
        expect(JSON.parse(result.payload!.toString()).requestId).toBe(original.requestId);
      } finally {
        await m.quit();
      }
    });

    it('reports a bad snapshot at reserve time', async () => {
      await expect(reserve(join(tmp.dir, 'missing.snap'), { accel, monitorBinary: binary })).rejects.toBeInstanceOf(SnapshotFormatError);
      await expect(reserve(join(tmp.dir, 'missing.snap'), { accel, monitorBinary: binary })).rejects.toBeInstanceOf(VmmError);
    });
  });
});
