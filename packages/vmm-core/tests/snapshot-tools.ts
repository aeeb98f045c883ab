// Test helpers that look inside snapshot files the way an attacker with write access would:
// read and patch fields by the layout the monitor declares, and recompute the header checksum
// (an independent implementation of native/monitor/checksum.c, checked against real files).
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { snapshotField, snapshotLayout, type SnapshotLayout } from '../src/index.js';

const M = (1n << 64n) - 1n;
const K1 = 0x9e3779b185ebca87n;
const K2 = 0xc2b2ae3d27d4eb4fn;
const K3 = 0x165667b19e3779f9n;
const HEADER_SEED = 0x4845414445525631n;

const rotl = (x: bigint, r: bigint): bigint => ((x << r) | (x >> (64n - r))) & M;
const mix = (lane: bigint, word: bigint): bigint => (rotl((lane + word * K2) & M, 29n) * K1) & M;

export function checksum(data: Buffer, seed: bigint): bigint {
  const lane = [(seed + K1 + K2) & M, (seed + K2) & M, seed & M, (seed - K1) & M];
  let i = 0;
  for (; i + 32 <= data.length; i += 32) for (let k = 0; k < 4; k++) lane[k] = mix(lane[k]!, data.readBigUInt64LE(i + 8 * k));
  for (let t = 0; i + t < data.length; t++) lane[0] = mix(lane[0]!, BigInt(data[i + t]!) + (BigInt(t) << 8n));
  let h = (rotl(lane[0]!, 1n) + rotl(lane[1]!, 7n) + rotl(lane[2]!, 12n) + rotl(lane[3]!, 18n)) & M;
  for (let k = 0; k < 4; k++) h = (((h ^ mix(0n, lane[k]!)) * K1) + K3) & M;
  h ^= (BigInt(data.length) * K3) & M;
  h ^= h >> 33n;
  h = (h * K2) & M;
  h ^= h >> 29n;
  h = (h * K3) & M;
  h ^= h >> 32n;
  return h;
}

export class SnapshotFile {
  readonly layout: SnapshotLayout;
  constructor(
    readonly path: string,
    binary?: string,
  ) {
    this.layout = snapshotLayout(binary);
  }

  private header(): Buffer {
    const size = readFileSync(this.path).readUInt32LE(snapshotField(this.layout, 'header.header_size').offset);
    return readFileSync(this.path).subarray(0, size);
  }

  offset(name: string): number {
    return snapshotField(this.layout, name).offset;
  }

  read(name: string): bigint {
    const f = snapshotField(this.layout, name);
    const b = readFileSync(this.path).subarray(f.offset, f.offset + f.size);
    return f.size === 8 ? b.readBigUInt64LE() : f.size === 4 ? BigInt(b.readUInt32LE()) : f.size === 2 ? BigInt(b.readUInt16LE()) : BigInt(b[0]!);
  }

  write(name: string, value: bigint): void {
    const f = snapshotField(this.layout, name);
    const b = Buffer.alloc(f.size);
    if (f.size === 8) b.writeBigUInt64LE(value);
    else if (f.size === 4) b.writeUInt32LE(Number(value));
    else if (f.size === 2) b.writeUInt16LE(Number(value));
    else b[0] = Number(value);
    this.patch(f.offset, b);
  }

  patch(offset: number, bytes: Buffer): void {
    const fd = openSync(this.path, 'r+');
    try {
      writeSync(fd, bytes, 0, bytes.length, offset);
    } finally {
      closeSync(fd);
    }
  }

  /** The header checksum as the monitor computes it (over the header with that field zeroed). */
  computedHeaderChecksum(): bigint {
    const h = Buffer.from(this.header());
    h.fill(0, this.offset('header.header_checksum'), this.offset('header.header_checksum') + 8);
    return checksum(h, HEADER_SEED);
  }

  /** Makes the header checksum match the (edited) header again. */
  reseal(): void {
    this.write('header.header_checksum', this.computedHeaderChecksum());
  }

  extents(): Array<[number, number]> {
    const count = Number(this.read('header.extent_count'));
    const at = this.layout.extents.offset;
    const size = this.layout.extents.size;
    const first = this.layout.extents.fields.first_page!;
    const pages = this.layout.extents.fields.pages!;
    const h = this.header();
    return Array.from({ length: count }, (_, i) => [h.readUInt32LE(at + i * size + first.offset), h.readUInt32LE(at + i * size + pages.offset)]);
  }
}
