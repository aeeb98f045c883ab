/**
 * Where the Lambda runtime interface clients (AWS's own: Java, Python, Node) are on the host.
 * They are installed once by `packages/harness/scripts/setup-linux.sh` into
 * `$SNAPSTART_CACHE_DIR/ric` (default `~/.cache/snapstart/linux/ric`); nothing downloads them at
 * run time. A missing one is a clear error naming the command that installs it.
 */
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { HarnessError } from '../../../errors.js';
import type { LinuxRuntime } from '../options.js';

export const SETUP_COMMAND = 'bash packages/harness/scripts/setup-linux.sh';

/** The cache the linux engine shares with its image builder. */
export function linuxCacheDir(): string {
  return process.env.SNAPSTART_CACHE_DIR ?? join(homedir(), '.cache', 'snapstart', 'linux');
}

/** The RIC tree of one runtime (a host directory copied into the guest as it is). */
export function ricDir(runtime: LinuxRuntime): string {
  return join(process.env.SNAPSTART_RIC_DIR ?? join(linuxCacheDir(), 'ric'), runtime);
}

/** What must be in each RIC tree (checked before anything boots). */
const REQUIRED: Record<LinuxRuntime, { what: string; present: (dir: string) => boolean }> = {
  java: {
    what: 'aws-lambda-java-runtime-interface-client 2.10.1, aws-lambda-java-core 1.4.0 and org-crac 0.1.3 (jars)',
    present: (dir) => {
      const jars = existsSync(dir) ? readdirSync(dir) : [];
      return ['aws-lambda-java-runtime-interface-client-', 'aws-lambda-java-core-', 'org-crac-'].every((p) => jars.some((j) => j.startsWith(p) && j.endsWith('.jar')));
    },
  },
  python: {
    what: 'awslambdaric 4.2.2 and snapshot-restore-py 1.0.0 (pip --target, for the guest\'s CPython 3.11)',
    present: (dir) => existsSync(join(dir, 'awslambdaric', 'bootstrap.py')) && existsSync(join(dir, 'snapshot_restore_py.py')),
  },
  node: {
    what: 'aws-lambda-ric (npm, built for the host\'s Node)',
    present: (dir) => existsSync(join(dir, 'node_modules', 'aws-lambda-ric', 'package.json')),
  },
};

/** The RIC directory, or a HarnessError naming what is missing and how to install it. */
export function requireRic(runtime: LinuxRuntime): string {
  const dir = ricDir(runtime);
  const need = REQUIRED[runtime];
  if (!need.present(dir)) {
    throw new HarnessError(`the linux engine's ${runtime} runtime interface client is not installed in ${dir}: it needs ${need.what}. Install it with: ${SETUP_COMMAND}${runtime === 'node' ? ' --node' : ''}`);
  }
  return dir;
}

/** Whether a RIC is installed (tests skip with one line when not). */
export function hasRic(runtime: LinuxRuntime): boolean {
  return REQUIRED[runtime].present(ricDir(runtime));
}
