/**
 * The snapshot file's layout as the monitor declares it: every field's offset and size, printed
 * by `vmm-monitor --snapshot-layout` from the same field lists its writer and reader use (see
 * native/monitor/snapshot_fields.h and docs/vmm.md, "Snapshot file"). Tools and tests that look
 * inside a snapshot read offsets from here, never from constants of their own.
 */
import { execFileSync } from 'node:child_process';
import { VmmError } from './errors.js';
import { monitorPath } from './native.js';

export interface SnapshotField {
  readonly offset: number;
  readonly size: number;
}

export interface SnapshotLayout {
  /** The format version this monitor writes and reads. */
  readonly version: number;
  readonly magic: string;
  /** Guest RAM starts at the header's end rounded up to this. */
  readonly headerAlign: number;
  /** `header.*`, `cpu.*` and `devices.<device>.*` fields, by name, with absolute offsets. */
  readonly fields: Readonly<Record<string, SnapshotField>>;
  /** The extent list after the device section: `offset` of the first entry, `size` of each. */
  readonly extents: { readonly offset: number; readonly size: number; readonly fields: Readonly<Record<string, SnapshotField>> };
}

const cache = new Map<string, SnapshotLayout>();

/** The layout of `binary` (default: the monitor in use). */
export function snapshotLayout(binary = monitorPath()): SnapshotLayout {
  const known = cache.get(binary);
  if (known) return known;
  let layout: SnapshotLayout;
  try {
    layout = JSON.parse(execFileSync(binary, ['--snapshot-layout'], { encoding: 'utf8', timeout: 30_000 })) as SnapshotLayout;
  } catch (err) {
    throw new VmmError(`cannot read the snapshot layout from ${binary}: ${err instanceof Error ? err.message : String(err)}`);
  }
  cache.set(binary, layout);
  return layout;
}

/** The field `name` of `layout`, or a clear error naming it. */
export function snapshotField(layout: SnapshotLayout, name: string): SnapshotField {
  const f = layout.fields[name];
  if (!f) throw new VmmError(`the snapshot layout has no field '${name}'`);
  return f;
}
