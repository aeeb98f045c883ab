import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootVm, guests, restore, restoreClones, type MicroVm } from '../src/index.js';
import { ACCELERATORS, distinct, MONITORS, tempDir, type DemoResult } from './support.js';

describe.each(MONITORS)('clones of the article demo ($name monitor)', ({ binary }) => {
  describe.each(ACCELERATORS)('on %s', (accel) => {
    const tmp = tempDir(`clones-${accel}`);
    const snap = join(tmp.dir, 'demo.snap');
    let original: DemoResult;

    beforeAll(async () => {
      const vm = await bootVm({ guest: guests.demo, accel, ramMiB: 32, monitorBinary: binary });
      try {
        expect(vm.accel).toBe(accel);
        expect(vm.console).toMatch(/^init: sandbox id [0-9a-f-]{36}\n$/);
        const info = await vm.snapshot(snap);
        expect(info.fileBytes).toBe(statSync(snap).size);
        original = (await vm.invoke({})).json<DemoResult>();
      } finally {
        await vm.close();
      }
    });
    afterAll(() => tmp.cleanup());

    async function runClones(count: number, vmgenid: 'fresh' | 'same' | 'none', memory: 'cow' | 'copy'): Promise<DemoResult[]> {
      const clones = await restoreClones(snap, count, { accel, vmgenid, memory, monitorBinary: binary });
      try {
        expect(clones.every((c) => c.accel === accel)).toBe(true);
        return await Promise.all(clones.map(async (c) => (await c.invoke({})).json<DemoResult>()));
      } finally {
        await Promise.all(clones.map((c) => c.close()));
      }
    }

    it('restores 8 clones: init values identical, guest-RNG values distinct with a fresh vmgenid', async () => {
      const results = await runClones(8, 'fresh', 'cow');
      expect(distinct(results.map((r) => r.sandboxId))).toBe(1);
      expect(results[0]!.sandboxId).toBe(original.sandboxId);
      // The userspace PRNG state is in the snapshot: every clone draws the same next value,
      // and it is the value the original VM drew first after the snapshot point.
      expect(distinct(results.map((r) => r.userspaceRandom))).toBe(1);
      expect(results[0]!.userspaceRandom).toBe(original.userspaceRandom);
      expect(distinct(results.map((r) => r.requestId))).toBe(8);
      expect(results.every((r) => r.generation === 1 && r.sequence === 1)).toBe(true);
    });

    it.each(['same', 'none'] as const)('repeats guest-RNG values in every clone with vmgenid %s', async (mode) => {
      const results = await runClones(4, mode, 'cow');
      expect(distinct(results.map((r) => r.requestId))).toBe(1);
      // No generation change: each clone continues the original VM's DRBG stream exactly.
      expect(results[0]!.requestId).toBe(original.requestId);
      expect(results.every((r) => r.generation === 0)).toBe(true);
    });

    it('gives the same results with memory copied instead of mapped copy-on-write', async () => {
      const fresh = await runClones(3, 'fresh', 'copy');
      expect(distinct(fresh.map((r) => r.sandboxId))).toBe(1);
      expect(distinct(fresh.map((r) => r.requestId))).toBe(3);
      const same = await runClones(3, 'same', 'copy');
      expect(same.map((r) => r.requestId)).toEqual([original.requestId, original.requestId, original.requestId]);
    });

    it('keeps a clone usable for many invocations, each with a new request id', async () => {
      const vm: MicroVm = await restore(snap, { accel, monitorBinary: binary });
      try {
        const ids: string[] = [];
        for (let i = 1; i <= 20; i++) {
          const r = (await vm.invoke({})).json<DemoResult>();
          expect(r.sequence).toBe(i);
          ids.push(r.requestId);
        }
        expect(distinct(ids)).toBe(20);
      } finally {
        await vm.close();
      }
    });
  });
});
