import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bootVm, guests, restore } from '../src/index.js';
import { kvmUsable, MONITORS, tempDir } from './support.js';

interface FpuState {
  mxcsr: number;
  tenth: string;
  initTenth: string;
}
interface ProbeState {
  initRandom: string;
  random: string;
  generation: number;
}

// One snapshot format for both accelerators: a snapshot taken under one restores under the other.
describe.skipIf(!kvmUsable).each(MONITORS)('cross-accelerator restore ($name monitor)', ({ binary }) => {
  const tmp = tempDir('cross');
  afterAll(() => tmp.cleanup());

  it.each([
    ['kvm', 'tcg'],
    ['tcg', 'kvm'],
  ] as const)('a snapshot taken under %s restores under %s with its CPU state', async (from, to) => {
    const path = join(tmp.dir, `${from}.snap`);
    const vm = await bootVm({ guest: guests.probe, accel: from, ramMiB: 32, monitorBinary: binary });
    const before = (await vm.invoke('state')).json<ProbeState>();
    await vm.snapshot(path);
    await vm.close();

    const same = await restore(path, { accel: to, vmgenid: 'same', monitorBinary: binary });
    const fresh = await restore(path, { accel: to, vmgenid: 'fresh', monitorBinary: binary });
    try {
      expect(same.accel).toBe(to);
      // Init's MXCSR (round toward zero) came through the file: 1/10 rounds down in the clone.
      const fpu = (await same.invoke('mxcsr')).json<FpuState>();
      expect(fpu.mxcsr & 0x6000).toBe(0x6000);
      expect(fpu.tenth).toBe('0x1.9999999999999p-4');
      expect(fpu.initTenth).toBe('0x1.999999999999ap-4');
      // Memory and DRBG state carried over: init's value is the same, and with the same vmgenid
      // the DRBG continues the stream the original VM was on.
      const s = (await same.invoke('state')).json<ProbeState>();
      expect(s.initRandom).toBe(before.initRandom);
      const f = (await fresh.invoke('state')).json<ProbeState>();
      expect(f.initRandom).toBe(before.initRandom);
      expect(f.generation).toBe(1);
      expect(f.random).not.toBe(s.random);
    } finally {
      await same.close();
      await fresh.close();
    }
  });
});
