/**
 * What the kernel lets the harness use to contain an instance, probed once per harness process:
 *
 * - parent death: `setpriv --pdeathsig KILL` gives the instance's wrapper a parent-death signal,
 *   so it dies with the harness even after a `kill -9` (which no exit hook can catch);
 * - namespaces: `unshare --net --pid --fork --mount-proc --kill-child` runs the instance in its own
 *   network namespace (no interface is up, not even loopback: nothing can leave it) and its own
 *   PID namespace, whose every process the kernel kills when its first process ends — so children
 *   the function started, detached or not, end with the instance. As root directly, otherwise in
 *   a user namespace (`unshare -r`) where the kernel allows one;
 * - credential hiding: in the instance's private mount namespace, the host's credential folders
 *   and files (`~/.aws`, `~/.ssh`, `~/.npmrc`…) are covered by empty read-only mounts.
 *
 * PID 1 of the namespace is a `/bin/sh` that waits for the instance: the kernel ignores signals a
 * namespace's init sends itself, so the function must not be PID 1 (a clone that kills itself with
 * SIGSEGV would survive). The shell exits with 128+n when the instance died of signal n; the process
 * runner maps that back (see `exitSignal`).
 *
 * `SNAPSTART_HARNESS_SANDBOX=off` disables all of these (the instance then only gets its own process
 * group, the in-process refusals and the parent watcher); the run's report says what was in force.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants as fsConstants, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { constants, homedir, tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { ENV_PARENT_PID } from './parent-watch.js';

export interface SandboxProbe {
  /** `root`: namespaces created directly; `user`: inside a user namespace (`unshare -r`); `none`. */
  readonly namespaces: 'root' | 'user' | 'none';
  /** The wrapper gets SIGKILL when the harness dies. */
  readonly parentDeath: boolean;
  /** Credential folders of the host can be hidden in the instance's mount namespace. */
  readonly hidesCredentials: boolean;
  /** Why namespaces (or parent death) are not available, when they are not. */
  readonly reason?: string;
  /** Absolute paths of the tools (instances get a fixed PATH, not the host's). */
  readonly setpriv?: string;
  readonly unshare?: string;
}

const UNSHARE = ['--net', '--pid', '--fork', '--mount-proc', '--kill-child=SIGKILL'];
const PDEATH = ['--pdeathsig', 'KILL'];
/**
 * PID 1 of the namespace: hides the paths before `--` (an empty read-only tmpfs over a folder,
 * /dev/null over a file; the mount namespace is private, the host sees nothing of it), then runs
 * the instance as its child and exits with its status.
 */
const INIT_SCRIPT = [
  'while [ "$1" != -- ]; do',
  '  if [ -d "$1" ]; then mount -t tmpfs -o ro,size=4k,mode=0 snapstart-hidden "$1" || exit 125',
  '  else mount --bind /dev/null "$1" || exit 125; fi',
  '  shift',
  'done',
  'shift',
  'unset PWD OLDPWD',
  '"$@" & wait $!',
].join('\n');
const init = (hidden: readonly string[]): string[] => ['/bin/sh', '-c', INIT_SCRIPT, 'snapstart-init', ...hidden, '--'];

/** Where credentials of the host live (relative to its home), hidden from isolated instances. */
const CREDENTIAL_PATHS = ['.aws', '.ssh', '.gnupg', '.docker', '.kube', '.azure', '.config/gcloud', '.npmrc', '.netrc', '.git-credentials', '.pgpass', '.my.cnf', '.pypirc'];

/** The host's credential folders and files that exist (and do not hold `cwd`, the function's own folder). */
export function credentialPaths(cwd: string, home = homedir(), env: NodeJS.ProcessEnv = process.env): string[] {
  const candidates = CREDENTIAL_PATHS.map((p) => join(home, p));
  for (const v of ['AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE']) if (env[v]) candidates.push(resolve(env[v]));
  const inside = (dir: string): boolean => cwd === dir || cwd.startsWith(`${dir}/`);
  return [...new Set(candidates)].filter((p) => existsSync(p) && !inside(p));
}

let cached: SandboxProbe | undefined;

function which(tool: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '/usr/bin:/bin').split(delimiter)) {
    const file = join(dir || '.', tool);
    try {
      accessSync(file, fsConstants.X_OK);
      return file;
    } catch {
      // next
    }
  }
  return undefined;
}

function tryRun(command: string, args: readonly string[]): string | undefined {
  const r = spawnSync(command, [...args], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 5000, encoding: 'utf8' });
  if (r.error) return r.error.message;
  if (r.status !== 0) return (r.stderr || `exit ${r.status ?? r.signal}`).trim().split('\n')[0];
  return undefined;
}

/** Probes once (about 40 ms) and remembers the answer for the life of the process. */
export function probeSandbox(): SandboxProbe {
  if (cached) return cached;
  if (process.env['SNAPSTART_HARNESS_SANDBOX'] === 'off') return (cached = { namespaces: 'none', parentDeath: false, hidesCredentials: false, reason: 'disabled by SNAPSTART_HARNESS_SANDBOX=off' });
  if (process.platform !== 'linux') return (cached = { namespaces: 'none', parentDeath: false, hidesCredentials: false, reason: `namespaces and parent-death signals need Linux (this is ${process.platform})` });
  const setpriv = which('setpriv');
  const unshare = which('unshare');
  const parentDeathError = setpriv ? tryRun(setpriv, [...PDEATH, 'true']) : 'setpriv (util-linux) not found';
  const parentDeath = parentDeathError === undefined;
  const tools = { ...(parentDeath ? { setpriv: setpriv! } : {}), ...(unshare ? { unshare } : {}) };
  const without = parentDeath ? '' : `; no parent-death signal: ${parentDeathError}`;
  if (!unshare) return (cached = { namespaces: 'none', parentDeath, hidesCredentials: false, reason: `unshare (util-linux) not found${without}`, ...tools });
  const asRoot = tryRun(unshare, [...UNSHARE, ...init([]), 'true']);
  const asUser = asRoot === undefined ? undefined : tryRun(unshare, ['-r', ...UNSHARE, ...init([]), 'true']);
  if (asRoot !== undefined && asUser !== undefined) {
    return (cached = { namespaces: 'none', parentDeath, hidesCredentials: false, reason: `unshare --net --pid failed (${asRoot}; in a user namespace: ${asUser})${without}`, ...tools });
  }
  const namespaces = asRoot === undefined ? 'root' : 'user';
  // Hiding a folder needs mount(8) and a tmpfs mount in the namespace: tried on a scratch folder.
  const scratch = mkdtempSync(join(tmpdir(), 'snapstart-probe-'));
  const hideError = tryRun(unshare, [...(namespaces === 'user' ? ['-r'] : []), ...UNSHARE, ...init([scratch]), 'true']);
  rmSync(scratch, { recursive: true, force: true });
  const hidesCredentials = hideError === undefined;
  const notHidden = hidesCredentials ? '' : `credential folders not hidden: mount failed (${hideError})`;
  const reason = [notHidden, without.replace(/^; /, '')].filter(Boolean).join('; ');
  return (cached = { namespaces, parentDeath, hidesCredentials, ...(reason ? { reason } : {}), ...tools });
}

/** Forgets the probe (tests that flip SNAPSTART_HARNESS_SANDBOX). */
export function resetSandboxProbe(): void {
  cached = undefined;
}

export interface Wrapped {
  readonly command: string;
  readonly args: string[];
  /** True when the instance runs inside the namespaces (its exit status comes through the init shell). */
  readonly isolated: boolean;
}

/**
 * The command line that runs `command args` contained: with a parent-death signal where
 * available, and, with `isolate`, in fresh network and PID namespaces where available.
 */
export function wrapCommand(command: string, args: readonly string[], isolate: boolean, cwd = process.cwd()): Wrapped {
  const probe = probeSandbox();
  const pdeath = probe.setpriv ? [probe.setpriv, ...PDEATH] : [];
  if (isolate && probe.namespaces !== 'none' && probe.unshare) {
    const unshare = [probe.unshare, ...(probe.namespaces === 'user' ? ['-r'] : []), ...UNSHARE, ...init(probe.hidesCredentials ? credentialPaths(cwd) : []), command, ...args];
    const all = [...pdeath, ...unshare];
    return { command: all[0]!, args: all.slice(1), isolated: true };
  }
  if (pdeath.length > 0) return { command: pdeath[0]!, args: [...pdeath.slice(1), command, ...args], isolated: false };
  return { command, args: [...args], isolated: false };
}

/**
 * The environment an instance needs to die with the harness where no parent-death signal exists:
 * it is then the harness's direct child and watches that its parent stays the harness.
 */
export function parentWatchEnv(isolate: boolean): Record<string, string> {
  const probe = probeSandbox();
  if (probe.parentDeath || (isolate && probe.namespaces !== 'none')) return {};
  return { [ENV_PARENT_PID]: String(process.pid) };
}

const SIGNAL_NAMES = new Map<number, NodeJS.Signals>(Object.entries(constants.signals).map(([name, n]) => [n, name as NodeJS.Signals]));

/**
 * The signal an isolated instance died of: the namespace's init shell exits with 128+n for it.
 * (An instance that itself exits with a code above 128 is read as a signal too; no runtime does.)
 */
export function exitSignal(code: number | null): NodeJS.Signals | undefined {
  if (code === null || code <= 128) return undefined;
  return SIGNAL_NAMES.get(code - 128);
}
