import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { HarnessError } from '../../../errors.js';

/** A host requirement of the linux engine that is not there, with the command that installs it (CLI exit 2). */
export class MissingRequirementError extends HarnessError {
  constructor(
    readonly what: string,
    readonly install: string,
  ) {
    super(`the linux engine needs ${what}: install it with \`${install}\` (or run packages/harness/scripts/setup-linux.sh, which installs everything the engine needs)`);
    this.name = 'MissingRequirementError';
  }
}

/** The full path of `command` on PATH, or undefined. */
export function which(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(delimiter)) {
    const p = join(dir, command);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

export function requireQemu(): string {
  const q = which('qemu-system-x86_64');
  if (!q) throw new MissingRequirementError('QEMU (qemu-system-x86_64)', 'apt-get install -y --no-install-recommends qemu-system-x86');
  return q;
}

export function requireMuslGcc(): string {
  const m = which('musl-gcc');
  if (!m) throw new MissingRequirementError('musl-gcc (to build the in-guest relay)', 'apt-get install -y musl-tools');
  return m;
}

/** A statically linked busybox: it goes into the guest without any library. */
export function requireStaticBusybox(): string {
  for (const p of ['/bin/busybox', '/usr/bin/busybox', which('busybox')]) {
    if (!p || !existsSync(p)) continue;
    let out = '';
    try {
      out = execFileSync('ldd', [p], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      // ldd exits 1 on a static executable ("not a dynamic executable")
      out = String((e as { stdout?: string; stderr?: string }).stdout ?? '') + String((e as { stderr?: string }).stderr ?? '');
    }
    if (/not a dynamic executable|statically linked/.test(out)) return p;
  }
  throw new MissingRequirementError('a statically linked busybox', 'apt-get install -y busybox-static');
}
