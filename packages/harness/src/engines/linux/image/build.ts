import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { linuxCacheRoot } from './cache.js';
import { addLibraries, addTree, ordered, type EntryMap } from './collect.js';
import { CpioWriter, type CpioEntry } from './cpio.js';
import { findKernel } from './kernel.js';
import { requireStaticBusybox } from './missing.js';
import { guestSourceDir, relayBinary } from './relay-binary.js';
import type { GuestImage, GuestImageSpec } from './types.js';

const nulJoined = (xs: readonly string[]): Buffer => Buffer.from(xs.map((x) => `${x}\0`).join(''));

function validate(spec: GuestImageSpec): void {
  if (!/^[A-Za-z0-9._-]+$/.test(spec.name)) throw new Error(`guest image name ${JSON.stringify(spec.name)}: use letters, digits, '.', '_' and '-'`);
  if (!spec.command[0]?.startsWith('/')) throw new Error(`guest image ${spec.name}: the command must start with an absolute guest path, got ${JSON.stringify(spec.command[0])}`);
  if (!spec.cwd.startsWith('/')) throw new Error(`guest image ${spec.name}: cwd must be an absolute guest path`);
  for (const t of spec.trees) if (!t.guest.startsWith('/')) throw new Error(`guest image ${spec.name}: ${t.host} goes to ${t.guest}, which is not an absolute guest path`);
  for (const [k, v] of Object.entries(spec.env)) {
    if (k.includes('=') || k.includes('\0') || v.includes('\0')) throw new Error(`guest image ${spec.name}: environment variable ${JSON.stringify(k)} has '=' in its name or a NUL byte`);
  }
}

/** Every entry of the image: base system (busybox, /init, relay, modules), libraries, then the spec's trees. */
function collect(spec: GuestImageSpec): { entries: CpioEntry[]; missingLibs: string[]; kernel: string } {
  const kernel = findKernel();
  const busybox = requireStaticBusybox();
  const relay = relayBinary();
  const map: EntryMap = new Map();
  for (const d of ['/bin', '/sbin', '/usr/bin', '/usr/sbin', '/dev', '/proc', '/sys', '/root', '/etc', '/snapstart/modules']) map.set(d, { kind: 'dir', path: d, mode: 0o755 });
  map.set('/tmp', { kind: 'dir', path: '/tmp', mode: 0o1777 });
  map.set('/dev/console', { kind: 'chardev', path: '/dev/console', mode: 0o600, major: 5, minor: 1 });
  map.set('/bin/busybox', { kind: 'file', path: '/bin/busybox', mode: 0o755, host: busybox, size: statSync(busybox).size });
  // Every applet by name, so that shells and runtimes find sh, cat, … on PATH.
  const applets = execFileSync(busybox, ['--list'], { encoding: 'utf8' }).split('\n').filter((a) => /^[\w.[-]+$/.test(a) && a !== 'busybox');
  for (const a of applets) map.set(`/bin/${a}`, { kind: 'symlink', path: `/bin/${a}`, target: 'busybox' });
  map.set('/init', { kind: 'data', path: '/init', mode: 0o755, data: readFileSync(join(guestSourceDir(), 'init.sh')) });
  map.set('/snapstart/relay', { kind: 'file', path: '/snapstart/relay', mode: 0o755, host: relay, size: statSync(relay).size });
  for (const m of kernel.modules) {
    const name = `/snapstart/modules/${m.slice(m.lastIndexOf('/') + 1)}`;
    map.set(name, { kind: 'file', path: name, mode: 0o644, host: m, size: statSync(m).size });
  }
  map.set('/etc/passwd', { kind: 'data', path: '/etc/passwd', mode: 0o644, data: Buffer.from('root:x:0:0:root:/root:/bin/sh\n') });
  map.set('/etc/group', { kind: 'data', path: '/etc/group', mode: 0o644, data: Buffer.from('root:x:0:\n') });
  map.set('/etc/hosts', { kind: 'data', path: '/etc/hosts', mode: 0o644, data: Buffer.from('127.0.0.1 localhost\n::1 localhost\n') });
  const missingLibs = addLibraries(map, spec.elves ?? [], spec.extraLibraries ?? [], spec.trees);
  for (const t of spec.trees) addTree(map, t);
  map.set('/snapstart/argv', { kind: 'data', path: '/snapstart/argv', mode: 0o644, data: nulJoined(spec.command) });
  map.set('/snapstart/env', { kind: 'data', path: '/snapstart/env', mode: 0o644, data: nulJoined(Object.entries(spec.env).map(([k, v]) => `${k}=${v}`)) });
  map.set('/snapstart/cwd', { kind: 'data', path: '/snapstart/cwd', mode: 0o644, data: nulJoined([spec.cwd]) });
  return { entries: ordered(map), missingLibs, kernel: kernel.vmlinuz };
}

/** Hash of everything that goes into the image, file contents included (so any change rebuilds). */
function contentHash(entries: readonly CpioEntry[], kernel: string): string {
  const h = createHash('sha256');
  const st = statSync(kernel);
  h.update(`kernel ${kernel} ${st.size} ${st.mtimeMs}\n`);
  const buf = Buffer.allocUnsafe(1 << 20);
  for (const e of entries) {
    h.update(`${e.kind} ${e.path} ${'mode' in e ? e.mode : ''}\0`);
    if (e.kind === 'symlink') h.update(e.target);
    else if (e.kind === 'data') h.update(e.data);
    else if (e.kind === 'chardev') h.update(`${e.major}:${e.minor}`);
    else if (e.kind === 'file') {
      // The archive keeps the host mtime (CPython checks a .pyc against its source's): part of the key.
      h.update(`${Math.floor(statSync(e.host).mtimeMs / 1000)}\0`);
      const fd = openSync(e.host, 'r');
      try {
        for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) h.update(buf.subarray(0, n));
      } finally {
        closeSync(fd);
      }
    }
  }
  return h.digest('hex');
}

const mb = (n: number): string => `${(n / 1e6).toFixed(0)} MB`;

/** Images of the same name unused for this long are removed when a new one is built. */
export const STALE_IMAGE_MS = 24 * 3600 * 1000;

/**
 * Every change of a function makes a new image (tens of MB with a runtime): older images of the
 * same name go once they have not been used for a day. (Not sooner: another harness run may still
 * restore clones from one, and QEMU reads the initrd when each clone starts.)
 */
function pruneStale(imagesDir: string, name: string, keep: string): void {
  const now = Date.now();
  for (const d of readdirSync(imagesDir)) {
    if (d === keep || !d.startsWith(`${name}-`) || !/^[0-9a-f]{16}$/.test(d.slice(name.length + 1))) continue;
    const path = join(imagesDir, d);
    try {
      if (now - statSync(path).mtimeMs > STALE_IMAGE_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // another process removed it first
    }
  }
}

/**
 * Builds (or finds in the cache) the initramfs for `spec`: busybox, /init, the relay, the virtio
 * modules of the guest kernel, the libraries of `spec.elves`, and `spec.trees`. Uncompressed: the
 * kernel then unpacks it without decompressing under TCG (see docs: "linux engine internals").
 */
export async function buildGuestImage(spec: GuestImageSpec, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<GuestImage> {
  validate(spec);
  const { entries, missingLibs, kernel } = collect(spec);
  const hash = contentHash(entries, kernel);
  const cacheDir = join(linuxCacheRoot(), 'images', `${spec.name}-${hash.slice(0, 16)}`);
  const initrd = join(cacheDir, 'initrd.cpio');
  if (existsSync(initrd)) {
    const now = new Date();
    utimesSync(cacheDir, now, now); // in use: not stale
    return { kernel, initrd, hash, cacheDir, bytes: statSync(initrd).size };
  }
  const files = entries.filter((e) => e.kind === 'file');
  const total = files.reduce((s, e) => s + (e.kind === 'file' ? e.size : 0), 0);
  const t0 = performance.now();
  log(`snapstart: building the linux guest image ${spec.name} (${entries.length} entries, ${mb(total)}) in ${cacheDir}…`);
  if (missingLibs.length > 0) log(`snapstart: ldd found no host copy of ${missingLibs.join(', ')} (left out of ${spec.name})`);
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${initrd}.${process.pid}.tmp`;
  try {
    const w = new CpioWriter(tmp);
    for (const e of entries) w.add(e);
    w.finish();
    renameSync(tmp, initrd);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  writeFileSync(join(cacheDir, 'spec.json'), `${JSON.stringify({ ...spec, kernel, hash }, null, 2)}\n`);
  pruneStale(dirname(cacheDir), spec.name, `${spec.name}-${hash.slice(0, 16)}`);
  const bytes = statSync(initrd).size;
  log(`snapstart: built ${spec.name} (${mb(bytes)}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { kernel, initrd, hash, cacheDir, bytes };
}
