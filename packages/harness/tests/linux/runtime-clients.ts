/**
 * Shared by the linux engine's tests: which real runtime clients and runtimes are on this
 * machine (suites skip with one line when one is missing), compiling Java fixtures with javac
 * against the RIC's jars, and running a RIC on the host against a RuntimeApi.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { javaSources } from '../../src/engines/linux/functions/java-compile.js';
import { hasRic, ricDir } from '../../src/engines/linux/functions/ric.js';
import type { FunctionLayout } from '../../src/engines/linux/functions/layout.js';
import { findKernel } from '../../src/engines/linux/image/kernel.js';
import { requireMuslGcc, requireQemu, requireStaticBusybox } from '../../src/engines/linux/image/missing.js';
import { ManagedProcess } from '../../src/process.js';

/** Debian's CPython 3.11: the one the guest image carries (the RIC's wheels are cp311). */
export const HOST_PYTHON = '/usr/bin/python3.11';

function onPath(program: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Why a runtime's RIC cannot run on this host, or undefined when it can. */
export function missing(runtime: 'java' | 'python' | 'node'): string | undefined {
  if (!hasRic(runtime)) return `the ${runtime} RIC is not installed in ${ricDir(runtime)} (bash packages/harness/scripts/setup-linux.sh${runtime === 'node' ? ' --node' : ''})`;
  if (runtime === 'java' && !(onPath('java') && onPath('javac'))) return 'no JDK (java, javac) on PATH';
  if (runtime === 'python' && !existsSync(HOST_PYTHON)) return `no ${HOST_PYTHON}`;
  return undefined;
}

/** Why the linux engine cannot run a function of this runtime here (no QEMU, kernel, busybox, musl-gcc, RIC), or undefined. */
export function engineMissing(runtime: 'java' | 'python' | 'node'): string | undefined {
  try {
    requireQemu();
    findKernel();
    requireStaticBusybox();
    requireMuslGcc();
  } catch (err) {
    return (err as Error).message;
  }
  return missing(runtime);
}

/** Compiles every .java under `sourceDir` against the RIC, lambda-core and org-crac jars into a new temp dir. */
export function compileJava(sourceDir: string): string {
  const out = mkdtempSync(join(tmpdir(), 'snapstart-linux-classes-'));
  const sources = javaSources(sourceDir).map((f) => relative(sourceDir, f));
  execFileSync('javac', ['--release', '17', '-nowarn', '-cp', `${ricDir('java')}/*`, '-d', out, ...sources], { cwd: sourceDir, stdio: 'pipe' });
  return out;
}

/** Starts a function's RIC on the host, speaking to the Runtime API at `address`. */
export function startOnHost(layout: FunctionLayout, address: string, initType: 'snap-start' | 'on-demand', extraEnv: Record<string, string> = {}): ManagedProcess {
  const program = layout.runtime === 'java' ? 'java' : HOST_PYTHON;
  const task = statSync(layout.artifact).isFile() ? join(layout.artifact, '..') : layout.artifact;
  const cmd = layout.command({ task, ric: ricDir(layout.runtime), program });
  return new ManagedProcess(cmd.command, cmd.args, {
    cwd: cmd.cwd,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      ...cmd.env,
      HOME: tmpdir(),
      AWS_LAMBDA_RUNTIME_API: address,
      AWS_ENDPOINT_URL: `http://${address}`,
      AWS_LAMBDA_INITIALIZATION_TYPE: initType,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDSNAPSTARTHARNESS',
      AWS_SECRET_ACCESS_KEY: 'snapstart-harness-dummy-secret',
      ...extraEnv,
    },
  });
}
