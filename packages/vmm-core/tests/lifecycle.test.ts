import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootVm, guests, restore } from '../src/index.js';
import { MonitorProcess } from '../src/internal.js';
import { ACCELERATORS, MONITORS, tempDir } from './support.js';

function childMonitors(): number[] {
  const mine = String(process.pid);
  const out: number[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
      if (ppid === mine && readlinkSync(`/proc/${pid}/exe`).endsWith('vmm-monitor')) out.push(Number(pid));
    } catch {
      // the process went away while we looked
    }
  }
  return out;
}

function counts(pid: number): { fds: number; maps: number; threads: number } {
  return {
    fds: readdirSync(`/proc/${pid}/fd`).length,
    maps: readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n').filter(Boolean).length,
    threads: readdirSync(`/proc/${pid}/task`).length,
  };
}

describe.each(MONITORS)('resources ($name monitor)', ({ name, binary }) => {
  describe.each(ACCELERATORS)('on %s', (accel) => {
    const tmp = tempDir(`life-${accel}`);
    const snap = join(tmp.dir, 'probe.snap');
    beforeAll(async () => {
      const vm = await bootVm({ guest: guests.probe, accel, ramMiB: 16, monitorBinary: binary });
      await vm.snapshot(snap);
      await vm.close();
    });
    afterAll(() => tmp.cleanup());

    it('leaks no file descriptors, mappings or threads in a monitor over 200 restore/destroy cycles', async () => {
      const monitor = new MonitorProcess(binary);
      try {
        const cycle = async (): Promise<void> => {
          expect((await monitor.request('restore', { path: snap, accel, memory: 'cow' })).verb).toBe('restored');
          expect((await monitor.request('invoke', {}, Buffer.from('state'))).verb).toBe('result');
          expect((await monitor.request('destroy', {})).verb).toBe('destroyed');
        };
        for (let i = 0; i < 5; i++) await cycle(); // let lazily created state (watchdog, caches) settle
        const before = counts(monitor.pid!);
        for (let i = 0; i < 200; i++) await cycle();
        const after = counts(monitor.pid!);
        expect(after.fds).toBe(before.fds);
        expect(after.threads).toBe(before.threads);
        // The release monitor's mappings are exact. ASan's allocator maps new arenas as its
        // quarantine grows, so there the bound only catches a mapping leaked per cycle (200);
        // LeakSanitizer checks heap memory when the monitor exits (below).
        if (name === 'release') expect(after.maps).toBe(before.maps);
        else expect(after.maps).toBeLessThan(before.maps + 20);
      } finally {
        await monitor.quit();
      }
      const exit = await monitor.exited;
      expect(exit, 'a sanitizer report makes the monitor exit non-zero').toEqual({ code: 0, signal: null });
    });

    it(`leaves no process or descriptor behind after ${name === 'release' ? 200 : 50} restore/close cycles`, async () => {
      const cycles = name === 'release' ? 200 : 50;
      const fdsBefore = readdirSync('/proc/self/fd').length;
      for (let i = 0; i < cycles; i += 4) {
        const vms = await Promise.all(Array.from({ length: 4 }, () => restore(snap, { accel, monitorBinary: binary })));
        await Promise.all(vms.map(async (vm) => {
          await vm.invoke('state');
          await vm.close();
        }));
      }
      expect(childMonitors()).toEqual([]);
      expect(readdirSync('/proc/self/fd').length).toBeLessThanOrEqual(fdsBefore);
    });
  });
});
