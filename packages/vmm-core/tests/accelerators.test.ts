import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { accelerators, AcceleratorUnavailableError, bootVm, guests, hostInfo, resolveAccelerator } from '../src/index.js';
import { kvmSkipReason, kvmUsable } from './support.js';

// The one line that says why the kvm suites did not run on this machine.
if (!kvmUsable) console.log(`vmm-core: kvm suites skipped: ${kvmSkipReason}`);

describe('accelerators', () => {
  it('reports tcg as usable everywhere the monitor is built, and kvm with a reason when not', async () => {
    const list = await accelerators();
    expect(list.map((a) => a.name)).toEqual(['kvm', 'tcg']);
    expect(list.find((a) => a.name === 'tcg')!.usable).toBe(true);
    const kvm = list.find((a) => a.name === 'kvm')!;
    if (!kvm.usable) expect(kvm.reason).toMatch(/kvm|KVM/);
  });

  it("reports the package's version (the monitor is built with it from package.json)", async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect((await hostInfo()).monitorVersion).toBe(pkg.version);
  });

  it('resolves auto to kvm when usable, else to tcg with the reason', async () => {
    const auto = await resolveAccelerator('auto');
    if (kvmUsable) expect(auto).toEqual({ name: 'kvm' });
    else expect(auto.note).toMatch(/^kvm unavailable: /);
  });

  it.skipIf(kvmUsable)('refuses kvm with AcceleratorUnavailableError when /dev/kvm does not work', async () => {
    await expect(bootVm({ guest: guests.demo, accel: 'kvm' })).rejects.toBeInstanceOf(AcceleratorUnavailableError);
  });

  it('reports which accelerator a VM runs on', async () => {
    const vm = await bootVm({ guest: guests.demo, accel: 'auto', ramMiB: 16 });
    try {
      expect(vm.accel).toBe(kvmUsable ? 'kvm' : 'tcg');
    } finally {
      await vm.close();
    }
  });
});
