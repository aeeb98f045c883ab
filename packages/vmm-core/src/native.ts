import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = join(packageRoot, 'build');

/**
 * The monitor binary. VMM_CORE_MONITOR selects another build of the same sources, e.g. the
 * ASan+UBSan one the test suite also runs (`build/asan/vmm-monitor`).
 */
export function monitorPath(): string {
  return process.env.VMM_CORE_MONITOR ?? join(buildDir, 'vmm-monitor');
}

/** The sanitizer build of the monitor (built with the normal one). */
export const asanMonitorPath = join(buildDir, 'asan', 'vmm-monitor');

/** Guest images built with the monitor. */
export const guests = {
  /** The SnapStart article's example in C: init-time sandbox id, per-invoke guest-RNG ids. */
  demo: join(buildDir, 'guests', 'demo.elf'),
  /** A test guest that misbehaves on command (faults, hangs, hostile hypercalls). */
  probe: join(buildDir, 'guests', 'probe.elf'),
  /** The JavaScript guest: Duktape; its init payload is the scripts to run (see the harness's microvm engine). */
  js: join(buildDir, 'guests', 'js.elf'),
} as const;

export interface NativeStatus {
  readonly built: boolean;
  /** Why not, and what to install. */
  readonly reason?: string;
}

/** Whether the native parts were built at install time, and if not, exactly why. */
export function nativeStatus(): NativeStatus {
  const monitor = monitorPath();
  if (existsSync(monitor)) return { built: true };
  const statusFile = join(buildDir, 'status.json');
  if (existsSync(statusFile)) {
    const status = JSON.parse(readFileSync(statusFile, 'utf8')) as NativeStatus;
    if (!status.built) return status;
  }
  return { built: false, reason: `the monitor binary ${monitor} does not exist; run \`npm run build:native -w @snapstart/vmm-core\`` };
}
