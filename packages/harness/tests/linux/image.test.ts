// The linux engine's guest image: the newc writer (read back by busybox cpio, an independent
// reader), tree collection, the content-hash cache, and the errors naming what to install.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildGuestImage } from '../../src/engines/linux/image/build.js';
import { addTree, type EntryMap } from '../../src/engines/linux/image/collect.js';
import { CpioWriter } from '../../src/engines/linux/image/cpio.js';
import { findKernel } from '../../src/engines/linux/image/kernel.js';
import { MissingRequirementError, requireQemu, requireStaticBusybox, which } from '../../src/engines/linux/image/missing.js';

const tmp = mkdtempSync(join(tmpdir(), 'linux-image-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const busybox = (() => {
  try {
    return requireStaticBusybox();
  } catch {
    return undefined;
  }
})();

/** `busybox cpio -t -v`: one "mode ... name [-> target]" line per entry. */
function listing(archive: string): string[] {
  return execFileSync(busybox!, ['cpio', '-t', '-v'], { input: readFileSync(archive), encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => {
      const f = l.trim().split(/\s+/);
      return `${f[0]} ${f.slice(5).join(' ')}`;
    });
}

describe.skipIf(!busybox)('newc writer', () => {
  it('writes directories, files, symlinks and device nodes busybox cpio reads back', () => {
    const host = join(tmp, 'big.bin');
    const big = Buffer.alloc(3 * 1024 * 1024 + 3, 7); // several read chunks, unaligned size
    writeFileSync(host, big);
    const archive = join(tmp, 'a.cpio');
    const w = new CpioWriter(archive);
    w.add({ kind: 'dir', path: '/etc', mode: 0o755 });
    w.add({ kind: 'data', path: '/etc/hi', mode: 0o640, data: Buffer.from('hello') });
    w.add({ kind: 'file', path: '/etc/big', mode: 0o755, host, size: big.length });
    w.add({ kind: 'symlink', path: '/etc/ln', target: 'hi' });
    w.add({ kind: 'chardev', path: '/console', mode: 0o600, major: 5, minor: 1 });
    w.finish();
    expect(listing(archive)).toEqual(['drwxr-xr-x etc', '-rw-r----- etc/hi', '-rwxr-xr-x etc/big', 'lrwxrwxrwx etc/ln -> hi', 'crw------- console']);
    const out = join(tmp, 'x');
    mkdirSync(out);
    execFileSync(busybox!, ['cpio', '-i', '-d', 'etc/hi', 'etc/big'], { cwd: out, input: readFileSync(archive) });
    expect(readFileSync(join(out, 'etc/hi'), 'utf8')).toBe('hello');
    expect(readFileSync(join(out, 'etc/big')).equals(big)).toBe(true);
  });
});

describe('tree collection', () => {
  it('keeps links inside the tree, follows links leaving it, drops dangling links and excluded names', () => {
    const root = join(tmp, 'tree');
    const outside = join(tmp, 'outside.txt');
    mkdirSync(join(root, 'lib', 'test'), { recursive: true });
    mkdirSync(join(root, 'lib', '__pycache__'), { recursive: true });
    writeFileSync(join(root, 'lib', 'a.py'), 'a');
    writeFileSync(join(root, 'lib', 'test', 't.py'), 't');
    writeFileSync(join(root, 'lib', '__pycache__', 'a.pyc'), 'c');
    writeFileSync(outside, 'from outside');
    symlinkSync('a.py', join(root, 'lib', 'rel'));
    symlinkSync(join(root, 'lib', 'a.py'), join(root, 'lib', 'abs'));
    symlinkSync(outside, join(root, 'lib', 'out'));
    symlinkSync(join(tmp, 'nowhere'), join(root, 'lib', 'dangling'));
    const map: EntryMap = new Map();
    addTree(map, { host: root, guest: '/opt/py', exclude: ['test', '__pycache__'] });
    const byPath = Object.fromEntries([...map.values()].map((e) => [e.path, e]));
    expect(Object.keys(byPath).sort()).toEqual(['/opt/py', '/opt/py/lib', '/opt/py/lib/a.py', '/opt/py/lib/abs', '/opt/py/lib/out', '/opt/py/lib/rel']);
    expect(byPath['/opt/py/lib/rel']).toMatchObject({ kind: 'symlink', target: 'a.py' });
    expect(byPath['/opt/py/lib/abs']).toMatchObject({ kind: 'symlink', target: '/opt/py/lib/a.py' });
    expect(byPath['/opt/py/lib/out']).toMatchObject({ kind: 'file', host: outside });
  });

  it('names the missing tree', () => {
    expect(() => addTree(new Map(), { host: join(tmp, 'absent'), guest: '/x' })).toThrow(/absent does not exist \(it was to go to \/x\)/);
  });
});

describe('missing requirements', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('no kernel: names the setup script and linux-image-amd64', () => {
    process.env.SNAPSTART_CACHE_DIR = join(tmp, 'empty-cache');
    const err = (() => {
      try {
        findKernel(join(tmp, 'empty-root'));
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(MissingRequirementError);
    expect(String(err)).toMatch(/generic Debian kernel.*apt-get install -y --no-install-recommends linux-image-amd64.*setup-linux\.sh/s);
  });

  it('no QEMU: names qemu-system-x86', () => {
    process.env.PATH = join(tmp, 'no-bin');
    expect(() => requireQemu()).toThrow(/QEMU.*apt-get install -y --no-install-recommends qemu-system-x86/);
  });

  it('the cloud flavour is not a guest kernel (it has no vmgenid)', () => {
    const root = join(tmp, 'cloud-root');
    mkdirSync(join(root, 'boot'), { recursive: true });
    writeFileSync(join(root, 'boot', 'vmlinuz-6.1.0-9-cloud-amd64'), '');
    process.env.SNAPSTART_CACHE_DIR = join(tmp, 'empty-cache');
    expect(() => findKernel(root)).toThrow(MissingRequirementError);
  });
});

const kernel = (() => {
  try {
    return findKernel();
  } catch {
    return undefined;
  }
})();
const canBuild = kernel && busybox && which('musl-gcc');
if (!canBuild) console.log('linux image build tests skipped: no kernel, static busybox or musl-gcc (run packages/harness/scripts/setup-linux.sh)');

describe.skipIf(!canBuild)('guest image build', () => {
  let cache: string;
  const saved = process.env.SNAPSTART_CACHE_DIR;
  beforeEach(() => {
    // A private cache that shares the real kernel.
    cache = mkdtempSync(join(tmp, 'cache-'));
    mkdirSync(join(cache, 'kernel'));
    symlinkSync(join(kernel!.vmlinuz, '..', '..'), join(cache, 'kernel', kernel!.version));
    process.env.SNAPSTART_CACHE_DIR = cache;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.SNAPSTART_CACHE_DIR;
    else process.env.SNAPSTART_CACHE_DIR = saved;
  });

  it('holds init, relay, virtio modules, busybox applets, ldd libraries and the trees; cached by content', async () => {
    const fn = join(tmp, 'fn');
    mkdirSync(fn, { recursive: true });
    writeFileSync(join(fn, 'app.sh'), 'echo one\n');
    const spec = { name: 'test-fn', trees: [{ host: fn, guest: '/var/task' }], elves: ['/bin/ls'], command: ['/bin/sh', '/var/task/app.sh'], env: { A: '1' }, cwd: '/var/task' };
    const lines: string[] = [];
    const first = await buildGuestImage(spec, (l) => lines.push(l));
    expect(lines.join('\n')).toMatch(/building the linux guest image test-fn/);
    const names = listing(first.initrd).map((l) => l.split(' ')[1]);
    for (const n of ['init', 'snapstart/relay', 'snapstart/argv', 'snapstart/modules/virtio_console.ko', 'snapstart/modules/virtio_pci.ko', 'bin/busybox', 'bin/sh', 'var/task/app.sh', 'dev/console', 'tmp']) {
      expect(names).toContain(n);
    }
    // ldd of /bin/ls: at least libc and the loader, at the paths ldd gives.
    const ldd = execFileSync('ldd', ['/bin/ls'], { encoding: 'utf8' });
    const libc = /libc\.so\.6 => (\S+)/.exec(ldd)![1]!;
    expect(names).toContain(libc.slice(1));
    const out = join(tmp, 'unpacked');
    mkdirSync(out);
    spawnSync(busybox!, ['cpio', '-i', '-d', 'snapstart/argv', 'snapstart/env', 'snapstart/cwd'], { cwd: out, input: readFileSync(first.initrd) });
    expect(readFileSync(join(out, 'snapstart/argv'), 'utf8')).toBe('/bin/sh\0/var/task/app.sh\0');
    expect(readFileSync(join(out, 'snapstart/env'), 'utf8')).toBe('A=1\0');
    expect(readFileSync(join(out, 'snapstart/cwd'), 'utf8')).toBe('/var/task\0');

    lines.length = 0;
    const again = await buildGuestImage(spec, (l) => lines.push(l));
    expect(again.hash).toBe(first.hash);
    expect(lines).toEqual([]); // from the cache: no progress line

    writeFileSync(join(fn, 'app.sh'), 'echo two\n'); // same size, other content
    const changed = await buildGuestImage(spec, (l) => lines.push(l));
    expect(changed.hash).not.toBe(first.hash);
    expect(existsSync(changed.initrd)).toBe(true);
    const env = await buildGuestImage({ ...spec, env: { A: '2' } }, () => undefined);
    expect(env.hash).not.toBe(changed.hash);
    // Same content, other mtime: the archive records mtimes (CPython checks .pyc files against them).
    const later = new Date(Date.now() + 3600_000);
    utimesSync(join(fn, 'app.sh'), later, later);
    const touched = await buildGuestImage(spec, () => undefined);
    expect(touched.hash).not.toBe(changed.hash);
  });

  it('removes images of the same name unused for a day when it builds a new one', async () => {
    const images = join(cache, 'images');
    mkdirSync(images, { recursive: true });
    const stale = join(images, 'prune-me-0123456789abcdef');
    const recent = join(images, 'prune-me-fedcba9876543210');
    const other = join(images, 'other-0123456789abcdef');
    for (const d of [stale, recent, other]) mkdirSync(d);
    const old = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    utimesSync(stale, old, old);
    utimesSync(other, old, old);
    await buildGuestImage({ name: 'prune-me', trees: [], command: ['/bin/true'], env: {}, cwd: '/' }, () => undefined);
    expect([existsSync(stale), existsSync(recent), existsSync(other)]).toEqual([false, true, true]);
  });

  it('rejects a relative command and a bad name', async () => {
    await expect(buildGuestImage({ name: 'x', trees: [], command: ['sh'], env: {}, cwd: '/' })).rejects.toThrow(/absolute guest path, got "sh"/);
    await expect(buildGuestImage({ name: 'a/b', trees: [], command: ['/bin/sh'], env: {}, cwd: '/' })).rejects.toThrow(/guest image name/);
  });
});
