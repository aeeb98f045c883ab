import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bootVm,
  GuestExitError,
  GuestFaultError,
  GuestTimeoutError,
  guests,
  VmmError,
  type MicroVm,
} from '../src/index.js';
import { MonitorProcess } from '../src/internal.js';
import { ACCELERATORS, MONITORS } from './support.js';

// A hostile guest can crash itself, never the monitor: every misbehaviour ends with a precise
// error over the protocol, and the monitor process stays alive and answers the next command.
// Where the accelerators differ, the expectation names both: a CPU under KVM raises #GP for
// `int 0x80` on the DPL0 gate (PVM raises #UD) and #UD for `syscall` with EFER.SCE clear (PVM
// enters LSTAR = 0, a page fault at RIP 0); Unicorn reports the software interrupt itself.
type Expected = RegExp | { readonly tcg: RegExp; readonly kvm: RegExp };
const GP = /exception 13 \(general protection\).* at RIP 0x2[0-9a-f]{5}$/;
const ownedPage = (gpa: number): RegExp => new RegExp(`exception 14 \\(page fault\\).* at RIP 0x2[0-9a-f]{5}, address 0x${(gpa + 8).toString(16)}$`);
const faults: Array<[string, typeof GuestFaultError | typeof GuestTimeoutError | typeof GuestExitError, Expected]> = [
  ['null', GuestFaultError, /exception 14 \(page fault\).* at RIP 0x2[0-9a-f]{5}, address 0x0$/],
  ['ud2', GuestFaultError, /exception 6 \(invalid opcode\).* at RIP 0x2[0-9a-f]{5}/],
  ['write-vmgenid', GuestFaultError, /exception 14 \(page fault\).*address 0x8000$/],
  ['write-pagetable', GuestFaultError, /exception 14 \(page fault\).*address 0x1000$/],
  ['jump-wild', GuestFaultError, /exception 14 \(page fault\).* at RIP 0x7ff00000, address 0x7ff00000$/],
  ['result-too-long', GuestFaultError, /result length 4294967295 is larger than the 524288-byte response mailbox/],
  ['console-too-long', GuestFaultError, /console length is out of bounds/],
  ['bad-port', GuestFaultError, /port I\/O that is not a hypercall: out32 to port 0x5ff/],
  ['unknown-hypercall', GuestFaultError, /port I\/O that is not a hypercall: out32 to port 0x50f|unknown hypercall port 0x50f/],
  ['stray-out', GuestFaultError, /port I\/O that is not a hypercall: out32 to port 0x501 at RIP 0x2[0-9a-f]{5}/],
  ['stray-in', GuestFaultError, /port I\/O that is not a hypercall: in(32)? from port 0x501/],
  ['ready-again', GuestFaultError, /signalled READY again instead of returning a result/],
  ['abort', GuestFaultError, /guest aborted/],
  ['hang', GuestTimeoutError, /did not answer within 300 ms \(stopped at RIP 0x2[0-9a-f]{5}\)/],
  ['exit:7', GuestExitError, /exited with status 7/],
  // Privileged instructions at CPL3.
  ['hlt', GuestFaultError, GP],
  ['cli', GuestFaultError, GP],
  ['lgdt', GuestFaultError, GP],
  ['mov-cr3', GuestFaultError, GP],
  ['wrmsr', GuestFaultError, GP],
  ['int', GuestFaultError, { tcg: /guest executed int 0x80 \(software interrupts are not allowed\)/, kvm: /exception 13 \(general protection\), error code 0x402|exception 6 \(invalid opcode\)/ }],
  ['syscall', GuestFaultError, { tcg: /exception 6 \(invalid opcode\): syscall\/sysenter with no kernel to enter/, kvm: /exception 6 \(invalid opcode\)|exception 14 \(page fault\).* at RIP 0x0, address 0x0$/ }],
  ['divide', GuestFaultError, /exception 0 \(divide error\).* at RIP 0x2[0-9a-f]{5}$/],
  // Writes to every page the monitor owns.
  ['write-gdt', GuestFaultError, ownedPage(0x5000)],
  ['write-idt', GuestFaultError, ownedPage(0xf000)],
  ['write-tss', GuestFaultError, ownedPage(0xa000)],
  ['write-clock', GuestFaultError, ownedPage(0x9000)],
  ['write-hypercall', GuestFaultError, ownedPage(0xe000)],
  ['write-mailbox', GuestFaultError, ownedPage(0x100000)],
  ['write-bootinfo', GuestFaultError, ownedPage(0x6000)],
  ['write-stubs', GuestFaultError, ownedPage(0xd000)],
  // A fault report only the exception stubs may make, forged through the hypercall page and directly.
  ['forge-fault', GuestFaultError, /port I\/O that is not a hypercall: out32 to port 0x505 at RIP 0xe00[01]$/],
  ['forge-fault-out', GuestFaultError, /port I\/O that is not a hypercall: out32 to port 0x505 at RIP 0x2[0-9a-f]{5}$/],
  // Port I/O of other widths, and string I/O.
  ['out8', GuestFaultError, /port I\/O that is not a hypercall: out8 to port 0x501 at RIP 0x2[0-9a-f]{5}$/],
  ['out16', GuestFaultError, /port I\/O that is not a hypercall: out16 to port 0x501 at RIP 0x2[0-9a-f]{5}$/],
  ['in8', GuestFaultError, /port I\/O that is not a hypercall: in8 from port 0x501 at RIP 0x2[0-9a-f]{5}$/],
  ['in16', GuestFaultError, /port I\/O that is not a hypercall: in16 from port 0x501 at RIP 0x2[0-9a-f]{5}$/],
  ['outs', GuestFaultError, /port I\/O that is not a hypercall: out8 to port 0x501 at RIP 0x2[0-9a-f]{5}$/],
  ['ins', GuestFaultError, /port I\/O that is not a hypercall: in8 from port 0x501 at RIP 0x2[0-9a-f]{5}$/],
];

describe.each(MONITORS)('hostile and broken guests ($name monitor)', ({ binary }) => {
  describe.each(ACCELERATORS)('on %s', (accel) => {
    it.each(faults)('%s ends only that VM, with a precise error', async (command, errorClass, message) => {
      const vm = await bootVm({ guest: guests.probe, accel, ramMiB: 16, monitorBinary: binary });
      try {
        const err = await vm.invoke(command, { timeoutMs: 300 }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(errorClass);
        expect((err as Error).message.split('\n')[0]).toMatch(message instanceof RegExp ? message : message[accel]);
        // Built from the error frame's fields: the budget that ran out, the reason alone.
        if (err instanceof GuestTimeoutError) expect(err.timeoutMs).toBe(300);
        if (err instanceof GuestFaultError) expect(`guest fault: ${err.reason}`).toBe((err as Error).message.split('\n')[0]);
        // (PVM's `syscall` enters LSTAR = 0: that fault is at RIP 0 by design of the test.)
        if (err instanceof GuestFaultError && err.vector >= 0 && !(command === 'syscall' && accel === 'kvm')) expect(err.rip).toBeGreaterThan(0);
        // The console output up to the fault is attached.
        expect((err as Error).message).toContain('probe guest ready');
        // The monitor survived and says so.
        await expect(vm.invoke('state')).rejects.toThrow(/stopped after an earlier guest fault/);
      } finally {
        await vm.close();
      }
    });

    it('reports a guest that hangs or faults during init at boot', async () => {
      await expect(bootVm({ guest: guests.probe, accel, ramMiB: 16, init: 'hang!', bootTimeoutMs: 300, monitorBinary: binary })).rejects.toBeInstanceOf(
        GuestTimeoutError,
      );
      await expect(bootVm({ guest: guests.probe, accel, ramMiB: 16, init: 'fault!', monitorBinary: binary })).rejects.toThrow(
        /exception 14 \(page fault\).*address 0x8$/,
      );
    });

    it('rejects a request larger than the mailbox and keeps the VM usable', async () => {
      const vm = await bootVm({ guest: guests.probe, accel, ramMiB: 16, monitorBinary: binary });
      try {
        await expect(vm.invoke(Buffer.alloc(600 * 1024, 0x41))).rejects.toThrow(/larger than the 524280-byte mailbox/);
      } finally {
        await vm.close();
      }
    });
  });

  describe('the monitor protocol', () => {
    let monitor: MonitorProcess;
    beforeAll(() => {
      monitor = new MonitorProcess(binary);
    });
    afterAll(() => monitor.quit());

    it('answers malformed commands with usage errors and keeps serving', async () => {
      for (const [verb, fields] of [
        ['launch', {}],
        ['invoke', {}],
        ['boot', {}],
        ['boot', { elf: guests.probe, 'ram-mib': 'lots' }],
        ['boot', { elf: guests.probe, 'ram-mib': 7 }],
        ['restore', { path: '/x', vmgenid: 'sometimes' }],
        ['boot', { elf: '/etc/passwd' }],
      ] as const) {
        const frame = await monitor.request(verb, fields);
        expect(frame.verb, `${verb} ${JSON.stringify(fields)}`).toBe('error');
      }
      const ok = await monitor.request('boot', { elf: guests.probe, 'ram-mib': 16, accel: 'tcg' });
      expect(ok.verb).toBe('ready');
    });
  });
});

describe('a VM that is closed or dead', () => {
  it('refuses further use with a clear error', async () => {
    const vm: MicroVm = await bootVm({ guest: guests.probe, accel: 'tcg', ramMiB: 16 });
    await vm.close();
    await expect(vm.invoke('state')).rejects.toBeInstanceOf(VmmError);
  });
});
