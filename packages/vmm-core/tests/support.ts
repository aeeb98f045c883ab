import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accelerators, monitorPath, nativeStatus, type AcceleratorName } from '../src/index.js';
import { asanMonitorPath } from '../src/internal.js';

const status = nativeStatus();
if (!status.built) throw new Error(`vmm-core's native parts are not built: ${status.reason}`);

const all = await accelerators();
const kvmInfo = all.find((a) => a.name === 'kvm')!;

/** tcg runs everywhere; kvm where /dev/kvm works here. */
export const kvmUsable = kvmInfo.usable;
export const kvmSkipReason = kvmInfo.reason ?? '';
export const ACCELERATORS: readonly AcceleratorName[] = kvmUsable ? ['tcg', 'kvm'] : ['tcg'];

/** Every suite runs against the release monitor and its ASan+UBSan build. */
export const MONITORS = [
  { name: 'release', binary: monitorPath() },
  { name: 'asan+ubsan', binary: asanMonitorPath },
] as const;

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `vmm-core-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

interface DemoResult {
  sandboxId: string;
  logStream: string;
  userspaceRandom: string;
  requestId: string;
  generation: number;
  sequence: number;
}
export type { DemoResult };

export function distinct<T>(values: readonly T[]): number {
  return new Set(values).size;
}
