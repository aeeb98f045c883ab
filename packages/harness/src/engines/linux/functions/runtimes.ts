/**
 * The runtimes the guest runs, taken from the host (nothing is downloaded): a JRE cut from the
 * host's JDK with jlink (cached by the JDK's identity), and Debian's CPython 3.11 with its standard
 * library. Each comes as image trees, the ELF files whose libraries the image must carry, and the
 * program's guest path.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { HarnessError } from '../../../errors.js';
import { linuxCacheRoot } from '../image/cache.js';
import type { GuestTree } from '../image/types.js';

export interface GuestRuntime {
  readonly trees: readonly GuestTree[];
  readonly elves: readonly string[];
  readonly extraLibraries: readonly string[];
  /** The program in the guest. */
  readonly program: string;
  /** What identifies it (part of the image's name). */
  readonly label: string;
}

function which(program: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Modules of the guest JRE: what AWS's Java RIC needs (java.base; jdk.unsupported for its
 * sun.misc use), measured to be enough for it (34 MB). A function needing more sets
 * SNAPSTART_JAVA_MODULES (comma-separated, added to these).
 */
const JAVA_MODULES = ['java.base', 'jdk.unsupported'];
const GUEST_JRE = '/opt/snapstart/jre';

export function javaRuntime(log: (line: string) => void): GuestRuntime {
  const jlink = which('jlink');
  if (!jlink) throw new HarnessError('the linux engine runs Java functions on a JRE made from the host JDK with jlink, and there is no jlink on PATH: install a JDK 17+ (apt-get install openjdk-17-jdk-headless)');
  const jdk = dirname(dirname(realpathSync(jlink)));
  const modules = [...JAVA_MODULES, ...(process.env.SNAPSTART_JAVA_MODULES ?? '').split(',').map((m) => m.trim()).filter(Boolean)];
  const jmods = join(jdk, 'lib', 'modules');
  const id = existsSync(jmods) ? `${statSync(jmods).size}:${statSync(jmods).mtimeMs}` : 'unknown';
  const key = createHash('sha256').update(`${jdk}\n${id}\n${modules.join(',')}`).digest('hex').slice(0, 16);
  const jre = join(linuxCacheRoot(), 'jre', key);
  if (!existsSync(join(jre, 'bin', 'java'))) {
    const t0 = performance.now();
    log(`snapstart: making the guest JRE from ${jdk} with jlink (${modules.join(', ')}) in ${jre}…`);
    mkdirSync(dirname(jre), { recursive: true });
    const tmp = `${jre}.${process.pid}.tmp`;
    rmSync(tmp, { recursive: true, force: true });
    try {
      execFileSync(jlink, ['--add-modules', modules.join(','), '--strip-debug', '--no-man-pages', '--no-header-files', '--compress=2', '--output', tmp], { stdio: 'pipe' });
    } catch (err) {
      rmSync(tmp, { recursive: true, force: true });
      throw new HarnessError(`jlink could not make the guest JRE from ${jdk}`, (err as { stderr?: Buffer }).stderr?.toString());
    }
    // Another harness process may have made it meanwhile: keep the first one.
    if (existsSync(jre)) rmSync(tmp, { recursive: true, force: true });
    else renameSync(tmp, jre);
    log(`snapstart: guest JRE ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  return {
    trees: [{ host: jre, guest: GUEST_JRE }],
    // The JRE's other libraries find libjvm.so only through the launcher's run path, so ldd on them
    // reports it missing; what they need from the system besides libc is libz (libzip.so).
    elves: [join(jre, 'bin', 'java'), join(jre, 'lib', 'server', 'libjvm.so')],
    // libz for the JRE (above); the rest for the RIC's JNI library (unpacked to /tmp at start, so ldd never sees it).
    extraLibraries: ['libz.so.1', 'librt.so.1', 'libgcc_s.so.1', 'libstdc++.so.6'],
    program: `${GUEST_JRE}/bin/java`,
    label: `jre-${key.slice(0, 8)}`,
  };
}

/** Debian's CPython: the awslambdaric wheels installed by the setup script are built for it (cp311). */
export const PYTHON = '/usr/bin/python3.11';
const PYTHON_LIB = '/usr/lib/python3.11';
/** Parts of the standard library no function imports at run time (tests, GUIs, build files). */
const PYTHON_EXCLUDE = ['test', 'tests', 'idlelib', 'tkinter', 'turtledemo', 'ensurepip', 'lib2to3', 'pydoc_data', 'config-3.11-x86_64-linux-gnu', 'site-packages', 'dist-packages'];

export function pythonRuntime(ricDir: string): GuestRuntime {
  if (!existsSync(PYTHON) || !existsSync(PYTHON_LIB)) throw new HarnessError(`the linux engine runs Python functions on Debian's CPython 3.11 (${PYTHON}), which is not installed: apt-get install python3.11`);
  const dynload = join(PYTHON_LIB, 'lib-dynload');
  const extensions = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.so')).map((f) => join(dir, f)) : []);
  return {
    trees: [{ host: PYTHON_LIB, guest: PYTHON_LIB, exclude: PYTHON_EXCLUDE }, { host: PYTHON, guest: PYTHON }],
    elves: [PYTHON, ...extensions(dynload), ...extensions(ricDir)],
    extraLibraries: [],
    program: PYTHON,
    label: 'cpython3.11',
  };
}

/** The host's own Node binary (the RIC's native addon was built for it by the setup script). */
export function nodeRuntime(ricDir: string): GuestRuntime {
  const node = realpathSync(process.execPath);
  const addons: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, name.name);
      if (name.isDirectory()) walk(p);
      else if (name.name.endsWith('.node')) addons.push(p);
    }
  };
  if (existsSync(ricDir)) walk(ricDir);
  return { trees: [{ host: node, guest: '/usr/bin/node' }], elves: [node, ...addons], extraLibraries: [], program: '/usr/bin/node', label: `node-${process.version}` };
}
