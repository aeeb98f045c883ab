import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AcceleratorUnavailableError } from './errors.js';
import { monitorPath, nativeStatus } from './native.js';

export type AcceleratorName = 'kvm' | 'tcg';
export type AcceleratorChoice = AcceleratorName | 'auto';

export interface AcceleratorInfo {
  readonly name: AcceleratorName;
  readonly usable: boolean;
  /** Why it is not usable here. */
  readonly reason?: string;
}

export interface HostInfo {
  readonly accelerators: readonly AcceleratorInfo[];
  /** Host TSC frequency, measured once and handed to every VM's clock page. */
  readonly tscKhz: number;
  readonly monitorVersion?: string;
}

interface ProbeJson {
  version: string;
  tscKhz: number;
  kvm: { usable: boolean; reason?: string };
  tcg: { usable: boolean; reason?: string };
}

let cached: Promise<HostInfo> | undefined;

/** What can run here, and why not: `kvm` needs a working /dev/kvm, `tcg` only the built monitor. */
export function hostInfo(): Promise<HostInfo> {
  cached ??= probe();
  return cached;
}

export async function accelerators(): Promise<readonly AcceleratorInfo[]> {
  return (await hostInfo()).accelerators;
}

async function probe(): Promise<HostInfo> {
  const status = nativeStatus();
  if (!status.built) {
    const reason = `vmm-core's native parts are not built: ${status.reason}`;
    return { tscKhz: 0, accelerators: [{ name: 'kvm', usable: false, reason }, { name: 'tcg', usable: false, reason }] };
  }
  const { stdout } = await promisify(execFile)(monitorPath(), ['--probe'], { timeout: 30_000 });
  const json = JSON.parse(stdout) as ProbeJson;
  const info = (name: AcceleratorName): AcceleratorInfo => {
    const a = json[name];
    return a.usable ? { name, usable: true } : { name, usable: false, reason: a.reason ?? 'unknown reason' };
  };
  return { tscKhz: json.tscKhz, monitorVersion: json.version, accelerators: [info('kvm'), info('tcg')] };
}

/** Resolves `auto` (kvm when usable, else tcg) and checks that the choice can run. */
export async function resolveAccelerator(choice: AcceleratorChoice): Promise<{ name: AcceleratorName; note?: string }> {
  const all = await accelerators();
  const kvm = all.find((a) => a.name === 'kvm')!;
  const tcg = all.find((a) => a.name === 'tcg')!;
  if (choice === 'kvm' || (choice === 'auto' && kvm.usable)) {
    if (!kvm.usable) throw new AcceleratorUnavailableError('kvm', kvm.reason!);
    return { name: 'kvm' };
  }
  if (!tcg.usable) throw new AcceleratorUnavailableError('tcg', tcg.reason!);
  return choice === 'auto' ? { name: 'tcg', note: `kvm unavailable: ${kvm.reason}` } : { name: 'tcg' };
}
