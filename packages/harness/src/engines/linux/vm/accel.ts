import { accessSync, constants } from 'node:fs';
import { ManagedProcess } from '../../../process.js';
import type { LinuxAccel } from './types.js';

export interface AccelChoice {
  readonly accel: 'kvm' | 'tcg';
  /** Why KVM is not used (undefined when it is, or when TCG was asked for). */
  readonly reason?: string;
}

const PROBE_DEADLINE_MS = 4000;
let probed: Promise<AccelChoice> | undefined;
let noted = false;

/**
 * Can this host run a stock kernel under KVM? /dev/kvm is not enough: a PVM host has /dev/kvm
 * but runs only PVM-enlightened guests (QEMU fails on `-cpu host`, or the guest never prints).
 * So boot the kernel itself under KVM, without an initramfs, and wait (briefly) for its banner.
 */
async function probeKvm(qemu: string, kernel: string): Promise<AccelChoice> {
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
  } catch (e) {
    return { accel: 'tcg', reason: `/dev/kvm is not usable (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  }
  const p = new ManagedProcess(qemu, [
    '-accel', 'kvm', '-cpu', 'host', '-M', 'q35', '-m', '128', '-nodefaults', '-no-user-config', '-display', 'none',
    '-kernel', kernel, '-append', 'console=ttyS0 panic=-1', '-serial', 'stdio', '-no-reboot',
  ]);
  const deadline = performance.now() + PROBE_DEADLINE_MS;
  try {
    while (performance.now() < deadline && p.running) {
      if (p.stdout.includes('Linux version')) return { accel: 'kvm' };
      await new Promise((r) => setTimeout(r, 50));
    }
    if (p.stdout.includes('Linux version')) return { accel: 'kvm' };
    const err = p.stderr.split('\n').find((l) => l.trim());
    return {
      accel: 'tcg',
      reason: err
        ? `QEMU cannot run this kernel under KVM: ${err.trim()}`
        : `the kernel printed nothing under KVM within ${PROBE_DEADLINE_MS / 1000} s (a PVM host runs only PVM guests)`,
    };
  } finally {
    p.kill();
    await p.exited;
  }
}

/**
 * The accelerator for `requested`: TCG when asked; otherwise KVM if the probe (once per process)
 * boots the kernel, else TCG with one line (once per process) saying why on `note`.
 */
export async function chooseAccel(requested: LinuxAccel, qemu: string, kernel: string, note: (line: string) => void): Promise<'kvm' | 'tcg'> {
  if (requested === 'tcg') return 'tcg';
  probed ??= probeKvm(qemu, kernel);
  const choice = await probed;
  if (choice.accel === 'tcg' && !noted) {
    noted = true;
    note(`snapstart: linux engine uses TCG (software emulation) instead of KVM: ${choice.reason ?? 'unknown reason'}`);
  }
  return choice.accel;
}
