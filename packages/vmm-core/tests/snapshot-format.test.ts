// The snapshot file as a format: privacy, sparseness, the released layout per version, and
// refusal of every kind of bad file (missing, truncated, corrupted, other version, random flips)
// with a SnapshotFormatError naming it. Offsets come from the monitor's declared layout
// (snapshot-tools.ts), never from constants here. See docs/vmm.md, "Snapshot file".
import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootVm, guests, restore, snapshotLayout, SnapshotFormatError, VmmError } from '../src/index.js';
import { SnapshotFile } from './snapshot-tools.js';
import { MONITORS, tempDir } from './support.js';

function patch(path: string, offset: number, bytes: Buffer): void {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, bytes, 0, bytes.length, offset);
  } finally {
    closeSync(fd);
  }
}

/**
 * The layout each format version was released with (sha256 of the monitor's --snapshot-layout
 * fields). A change to any field list changes the hash: then SNAPSHOT_VERSION must be bumped and
 * the new layout pinned here (docs/vmm.md, "Compatibility"). Version 1's hash was checked against
 * files written by the monitor before the field lists existed: each reads the other's files.
 */
const RELEASED_LAYOUTS: Record<number, string> = {
  1: '9f8c6ea83152b129cba7e2382db4b95eee7cb1fc5ef52c8fc29dc66adc4b276a',
};

function escapeRe(text: string): string {
  return text.replace(/[.*+?^$|()[\]{}\\]/g, '\\$&');
}

/** Small deterministic PRNG so a failing fuzz case can be reproduced from its seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.each(MONITORS)('snapshot file ($name monitor)', ({ binary }) => {
  const tmp = tempDir('format');
  const good = join(tmp.dir, 'good.snap');
  const layout = snapshotLayout(binary);
  let expected: string;
  let header: Buffer;
  let extents: Array<[number, number]>;
  let memOffset: number;
  let headerSize: number;
  /** A byte inside the CPU section (covered by the header checksum). */
  const cpuByte = layout.fields['cpu.rflags']!.offset;

  beforeAll(async () => {
    const vm = await bootVm({ guest: guests.probe, accel: 'tcg', ramMiB: 16, monitorBinary: binary });
    await vm.snapshot(good);
    expected = (await vm.invoke('echo:ok')).text();
    await vm.close();
    const file = new SnapshotFile(good, binary);
    memOffset = Number(file.read('header.mem_offset'));
    headerSize = Number(file.read('header.header_size'));
    header = readFileSync(good).subarray(0, headerSize);
    extents = file.extents();
  });
  afterAll(() => tmp.cleanup());

  function copy(name: string): string {
    const p = join(tmp.dir, name);
    copyFileSync(good, p);
    return p;
  }

  async function expectFormatError(path: string, message: RegExp): Promise<void> {
    const err = await restore(path, { accel: 'tcg', monitorBinary: binary }).then(
      async (vm) => {
        await vm.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SnapshotFormatError);
    expect((err as Error).message).toMatch(message);
  }

  it('is private (0600), sparse, and starts with the versioned header', () => {
    const st = statSync(good);
    expect(st.mode & 0o777).toBe(0o600);
    expect(st.blocks * 512).toBeLessThan(st.size / 8);
    const file = new SnapshotFile(good, binary);
    const magic = layout.fields['header.magic']!;
    expect(header.subarray(magic.offset, magic.offset + magic.size).toString('latin1')).toBe(layout.magic);
    expect(file.read('header.version')).toBe(BigInt(layout.version));
    expect(file.read('header.ram_size')).toBe(16n << 20n);
    expect(memOffset % 4096).toBe(0);
    const accel = layout.fields['header.accelerator']!;
    expect(header.subarray(accel.offset, accel.offset + accel.size).toString('latin1').replace(/\0+$/, '')).toBe('tcg');
    // The header checksum is what an independent implementation of the algorithm computes.
    expect(file.computedHeaderChecksum()).toBe(file.read('header.header_checksum'));
  });

  it("keeps its version's released layout (a changed field list needs a new version)", () => {
    const { magic, headerAlign, fields, extents: list } = layout;
    const hash = createHash('sha256').update(JSON.stringify({ magic, headerAlign, fields, extents: list })).digest('hex');
    expect(hash, `the snapshot layout changed under format version ${layout.version}: bump SNAPSHOT_VERSION`).toBe(RELEASED_LAYOUTS[layout.version]);
  });

  it('restores under both memory modes to the same state', async () => {
    for (const memory of ['cow', 'copy'] as const) {
      const vm = await restore(good, { accel: 'tcg', memory, monitorBinary: binary });
      expect((await vm.invoke('echo:ok')).text()).toBe(expected);
      await vm.close();
    }
  });

  it('refuses a missing file, a directory, an empty file and a non-snapshot with a clear error', async () => {
    await expectFormatError(join(tmp.dir, 'nope.snap'), /cannot open snapshot .*No such file/);
    mkdirSync(join(tmp.dir, 'dir.snap'));
    await expectFormatError(join(tmp.dir, 'dir.snap'), /not a regular file/);
    writeFileSync(join(tmp.dir, 'empty.snap'), '');
    await expectFormatError(join(tmp.dir, 'empty.snap'), /truncated/);
    writeFileSync(join(tmp.dir, 'text.snap'), 'hello world, this is not a snapshot at all'.repeat(10));
    await expectFormatError(join(tmp.dir, 'text.snap'), /not a vmm-core snapshot \(bad magic\)/);
  });

  it('refuses another format version, older or newer, even with a valid checksum', async () => {
    for (const version of [layout.version + 1, layout.version - 1]) {
      const file = new SnapshotFile(copy(`version-${version}.snap`), binary);
      file.write('header.version', BigInt(version));
      file.reseal();
      await expectFormatError(file.path, new RegExp(`format version ${version}; this monitor reads version ${layout.version} only`));
    }
  });

  it('refuses truncated files and trailing bytes', async () => {
    const p = copy('short.snap');
    const size = statSync(p).size;
    const fd = openSync(p, 'r+');
    (await import('node:fs')).ftruncateSync(fd, size - 4096);
    closeSync(fd);
    await expectFormatError(p, /truncated: \d+ bytes, expected \d+/);
    const q = copy('long.snap');
    patch(q, size, Buffer.from('extra'));
    await expectFormatError(q, /unexpected trailing bytes/);
  });

  it('detects a corrupted header, corrupted RAM, and data written into a hole', async () => {
    const h = copy('header.snap');
    patch(h, cpuByte, Buffer.from([header[cpuByte]! ^ 0x40]));
    await expectFormatError(h, new RegExp(`snapshot ${escapeRe(h)} is corrupted: header checksum mismatch`));
    const d = copy('data.snap');
    const [firstPage] = extents[extents.length - 1]!;
    patch(d, memOffset + firstPage * 4096 + 123, Buffer.from([0x5a ^ readFileSync(good).readUInt8(memOffset + firstPage * 4096 + 123)]));
    await expectFormatError(d, new RegExp(`snapshot ${escapeRe(d)} is corrupted: RAM checksum mismatch`));
    const z = copy('hole.snap');
    // Guest page 0 is never mapped (the NULL trap), so it is always a hole in the file.
    expect(extents[0]![0]).toBeGreaterThan(0);
    patch(z, memOffset + 100, Buffer.from([1]));
    await expectFormatError(z, /non-zero data at offset \d+, outside the header and the recorded RAM extents/);
  });

  it('refuses every one of 150 random corruptions with a format error, never a crash or a hang', async () => {
    const random = rng(20261129);
    const size = statSync(good).size;
    const dataRanges = extents.map(([p, n]) => [memOffset + p * 4096, n * 4096] as const);
    const original = readFileSync(good);
    for (let i = 0; i < 150; i++) {
      const p = join(tmp.dir, `fuzz-${i}.snap`);
      copyFileSync(good, p);
      // A third in the header, a third in stored RAM, a third anywhere (mostly holes).
      let offset: number;
      if (i % 3 === 0) offset = Math.floor(random() * headerSize);
      else if (i % 3 === 1) {
        const [start, len] = dataRanges[Math.floor(random() * dataRanges.length)]!;
        offset = start + Math.floor(random() * len);
      } else offset = Math.floor(random() * (size - 4));
      const flips = 1 + Math.floor(random() * 4);
      const corrupted = Buffer.from(original.subarray(offset, offset + flips).map((b) => b ^ (1 + Math.floor(random() * 255))));
      patch(p, offset, corrupted);
      const err = await restore(p, { accel: 'tcg', monitorBinary: binary }).then(
        async (vm) => {
          await vm.close();
          return undefined;
        },
        (e: unknown) => e,
      );
      expect(err, `corruption of ${flips} byte(s) at offset ${offset} (case ${i}) was accepted`).toBeInstanceOf(SnapshotFormatError);
    }
  }, 300_000); // 150 monitor processes (300 with ASan): minutes on a loaded 2-core machine

  it('checks the RAM checksum with verify full, and trusts an earlier check with verify header', async () => {
    const d = copy('verify.snap');
    const [firstPage] = extents[extents.length - 1]!;
    const at = memOffset + firstPage * 4096 + 7;
    patch(d, at, Buffer.from([readFileSync(good).readUInt8(at) ^ 0x01]));
    await expect(restore(d, { accel: 'tcg', verify: 'full', monitorBinary: binary })).rejects.toThrow(/RAM checksum mismatch/);
    // The header (with its own checksum), sizes and holes are still checked with `header`.
    const vm = await restore(d, { accel: 'tcg', verify: 'header', monitorBinary: binary });
    await vm.close();
    const h = copy('verify-header.snap');
    patch(h, cpuByte, Buffer.from([header[cpuByte]! ^ 0x40]));
    await expect(restore(h, { accel: 'tcg', verify: 'header', monitorBinary: binary })).rejects.toThrow(/header checksum mismatch/);
  });

  it('never lets a bad snapshot crash the monitor: the error comes back over the protocol', async () => {
    const p = copy('crash.snap');
    patch(p, layout.fields['header.header_size']!.offset, Buffer.from([0xff, 0xff, 0xff, 0xff]));
    const err = await restore(p, { accel: 'tcg', monitorBinary: binary }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VmmError);
    expect(err).toBeInstanceOf(SnapshotFormatError);
  });
});
