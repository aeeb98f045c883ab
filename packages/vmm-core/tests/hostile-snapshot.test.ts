import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootVm, guests, restore, SnapshotFormatError } from '../src/index.js';
import { SnapshotFile } from './snapshot-tools.js';
import { ACCELERATORS, MONITORS, tempDir } from './support.js';

// A snapshot file is input, and whoever can write it can also recompute its checksums. Each case
// below edits the CPU state of a real snapshot and reseals the header, so the checksums are
// valid: the monitor must still refuse it, by checking the state a restored vCPU would get.
const hostile: Array<[string, Record<string, bigint>, RegExp]> = [
  ['CPL0 code segment', { 'cpu.cs.selector': 0x08n, 'cpu.cs.attrib': 0xa09bn }, /CS selector 0x8 \(DPL 0\) is not the CPL3 64-bit user code segment 0x1b/],
  ['user selector with a DPL0 descriptor', { 'cpu.cs.attrib': 0xa09bn }, /CS selector 0x1b \(DPL 0\) is not the CPL3/],
  ['CPL0 stack segment', { 'cpu.ss.selector': 0x10n, 'cpu.ss.attrib': 0xc093n }, /SS selector 0x10 \(DPL 0\) is not the CPL3 user data segment/],
  ['kernel data segment in DS', { 'cpu.ds.selector': 0x10n, 'cpu.ds.attrib': 0xc093n }, /DS selector 0x10 \(DPL 0\) is neither null nor the user data segment/],
  ['page tables in guest-writable memory (CR3)', { 'cpu.cr3': 0x200000n }, /CR3 0x200000 is not the monitor's page tables at 0x1000/],
  ['paging without PAE (CR4)', { 'cpu.cr4': 0x600n }, /CR4 0x600 is not 0x620/],
  ['SMEP/SMAP and OSXSAVE turned on (CR4)', { 'cpu.cr4': 0x340620n }, /CR4 0x340620 is not 0x620/],
  ['write protection off (CR0)', { 'cpu.cr0': 0x80040033n }, /CR0 0x80040033 is not 0x80050033/],
  ['long mode off (EFER)', { 'cpu.efer': 0x100n }, /EFER 0x100 is not 0x500/],
  ['GDT in guest-writable memory', { 'cpu.gdt_base': 0x200000n }, /GDT 0x200000\+0x37 is not the monitor's 0x5000\+0x37/],
  ['IDT in guest-writable memory', { 'cpu.idt_base': 0x200000n }, /IDT 0x200000\+0xfff is not the monitor's 0xf000\+0xfff/],
  ['TSS elsewhere (I/O bitmap and RSP0 under guest control)', { 'cpu.tr.base': 0x200000n }, /TR 0x28 at 0x200000\+0x2068 is not the monitor's TSS/],
  ['an LDT', { 'cpu.ldt.selector': 0x30n }, /LDTR selector 0x30: the machine has no LDT/],
  ['IOPL 1 and virtual-8086 mode', { 'cpu.rflags': 0x21002n }, /RFLAGS 0x21002 has reserved, virtual-8086 or IOPL 1-2 bits set/],
  ['RIP away from the hypercall return', { 'cpu.rip': 0x200000n }, /RIP 0x200000 is not the hypercall return 0xe001/],
];

// The device section is checked the same way, each device by its own code.
const devices: Array<[string, Record<string, bigint>, RegExp]> = [
  ['another guest ABI', { 'devices.abi.version': 2n }, /device abi: taken with guest ABI 2; this monitor speaks ABI 1/],
  ['moved mailboxes', { 'devices.mailbox.request_gpa': 0x200000n }, /device mailbox: mailboxes at 0x200000\/0x180000 of 524288 bytes/],
  ['a larger console', { 'devices.console.size': 0x100000n }, /device console: console at 0x10000 of 1048576 bytes/],
  ['a vmgenid that is neither present nor absent', { 'devices.vmgenid.present': 7n }, /device vmgenid: vmgenid 'present' is 7, not 0 or 1/],
];

describe.each(MONITORS)('crafted snapshots with valid checksums ($name monitor)', ({ binary }) => {
  const tmp = tempDir('hostile-snap');
  const good = join(tmp.dir, 'good.snap');
  let expected: string;

  beforeAll(async () => {
    const vm = await bootVm({ guest: guests.probe, accel: 'tcg', ramMiB: 16, monitorBinary: binary });
    await vm.snapshot(good);
    expected = (await vm.invoke('echo:intact')).text();
    await vm.close();
  });
  afterAll(() => tmp.cleanup());

  function craft(name: string, fields: Record<string, bigint>): SnapshotFile {
    const path = join(tmp.dir, `${name.replace(/\W+/g, '-')}.snap`);
    copyFileSync(good, path);
    const file = new SnapshotFile(path, binary);
    for (const [field, value] of Object.entries(fields)) file.write(field, value);
    file.reseal();
    return file;
  }

  describe.each(ACCELERATORS)('on %s', (accel) => {
    it('restores a resealed but unchanged snapshot (the resealing itself is sound)', async () => {
      const file = craft(`unchanged-${accel}`, {});
      expect(file.read('header.header_checksum')).toBe(new SnapshotFile(good, binary).read('header.header_checksum'));
      const vm = await restore(file.path, { accel, monitorBinary: binary });
      try {
        expect((await vm.invoke('echo:intact')).text()).toBe(expected);
      } finally {
        await vm.close();
      }
    });

    it.each(hostile)('refuses %s by checking the restored CPU state', async (name, fields, message) => {
      const file = craft(`${name}-${accel}`, fields);
      const err = await restore(file.path, { accel, monitorBinary: binary }).then(
        async (vm) => {
          await vm.close();
          return undefined;
        },
        (e: unknown) => e,
      );
      expect(err, `${name} was restored`).toBeInstanceOf(SnapshotFormatError);
      expect((err as Error).message).toContain(`snapshot ${file.path}: refused CPU state: `);
      expect((err as Error).message).toMatch(message);
    });

    it.each(devices)('refuses %s by checking the device state', async (name, fields, message) => {
      const file = craft(`${name}-${accel}`, fields);
      const err = await restore(file.path, { accel, monitorBinary: binary }).catch((e: unknown) => e);
      expect(err, `${name} was restored`).toBeInstanceOf(SnapshotFormatError);
      expect((err as Error).message).toContain(`snapshot ${file.path}: device `);
      expect((err as Error).message).toMatch(message);
    });
  });
});
