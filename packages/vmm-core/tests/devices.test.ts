import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bootVm, guests, restore } from '../src/index.js';
import { ACCELERATORS, tempDir } from './support.js';

describe.each(ACCELERATORS)('devices on %s', (accel) => {
  const tmp = tempDir(`dev-${accel}`);
  afterAll(() => tmp.cleanup());

  it('batches console output: a few exits for 2,000 lines, all of them delivered in order', async () => {
    const vm = await bootVm({ guest: guests.probe, accel, ramMiB: 16 });
    try {
      const r = await vm.invoke('log:2000');
      const lines = r.console.trimEnd().split('\n');
      expect(lines).toHaveLength(2000);
      expect(lines[0]).toMatch(/^line 1 of 2000:/);
      expect(lines[1999]).toMatch(/^line 2000 of 2000:/);
      // 2,000 × ~70 bytes through a 64 KiB page: a handful of flush exits, not one per line.
      expect(r.exits).toBeGreaterThan(1);
      expect(r.exits).toBeLessThan(10);
      expect((await vm.invoke('log:1')).exits).toBe(1);
    } finally {
      await vm.close();
    }
  });

  it('keeps guest time current through the clock page, also in a clone restored later', async () => {
    const vm = await bootVm({ guest: guests.probe, accel, ramMiB: 16 });
    const path = join(tmp.dir, 'clock.snap');
    await vm.snapshot(path);
    const t = (await vm.invoke('time')).json<{ realtimeMs: number }>().realtimeMs;
    expect(Math.abs(t - Date.now())).toBeLessThan(1000);
    await vm.close();
    await new Promise((r) => setTimeout(r, 1200));
    const clone = await restore(path, { accel });
    try {
      const c = (await clone.invoke('time')).json<{ realtimeMs: number }>().realtimeMs;
      expect(Math.abs(c - Date.now())).toBeLessThan(1000);
      expect(c - t).toBeGreaterThanOrEqual(1100);
    } finally {
      await clone.close();
    }
  });

  it('passes a multi-megabyte init payload and near-mailbox-size requests and results', async () => {
    const init = Buffer.alloc(6 << 20, 0x2a);
    const vm = await bootVm({ guest: guests.probe, accel, ramMiB: 32, init });
    try {
      expect(vm.console).toContain(`init data ${init.length} bytes`);
      const big = Buffer.concat([Buffer.from('echo:'), Buffer.alloc(500_000, 0x62)]);
      expect((await vm.invoke(big)).output.length).toBe(500_000);
      expect((await vm.invoke('big:524288')).output.length).toBe(524288);
    } finally {
      await vm.close();
    }
  });

  it('shares snapshot pages between copy-on-write clones and copies them with memory: copy', async () => {
    const path = join(tmp.dir, 'mem.snap');
    const vm = await bootVm({ guest: guests.probe, accel, ramMiB: 32 });
    const snap = await vm.snapshot(path);
    await vm.close();
    const cow = await restore(path, { accel, memory: 'cow' });
    const copy = await restore(path, { accel, memory: 'copy' });
    try {
      await cow.invoke('state');
      await copy.invoke('state');
      const a = await cow.memory();
      const b = await copy.memory();
      // COW: only the pages the clone wrote are private; copy: every stored page is.
      expect(a.guestPrivateKiB).toBeLessThan(snap.dataBytes / 1024);
      expect(b.guestPrivateKiB).toBeGreaterThanOrEqual(snap.dataBytes / 1024);
    } finally {
      await cow.close();
      await copy.close();
    }
  });
});
