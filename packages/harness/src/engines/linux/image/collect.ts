import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, posix, relative, resolve } from 'node:path';
import type { CpioEntry } from './cpio.js';
import type { GuestTree } from './types.js';

/** Guest path → what goes there. Later additions replace earlier ones (a tree can replace a default). */
export type EntryMap = Map<string, CpioEntry>;

function inside(root: string, p: string): boolean {
  const r = relative(root, p);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}

function addFile(map: EntryMap, guest: string, host: string): void {
  const st = statSync(host);
  map.set(guest, { kind: 'file', path: guest, mode: st.mode & 0o7777, host, size: st.size });
}

/**
 * Copies a host file or directory tree to `tree.guest`. Symbolic links that stay inside the tree
 * are kept; links leaving it are replaced by what they point to (the guest has only the tree);
 * dangling links are left out.
 */
export function addTree(map: EntryMap, tree: GuestTree): void {
  if (!existsSync(tree.host)) throw new Error(`guest image: ${tree.host} does not exist (it was to go to ${tree.guest})`);
  const exclude = new Set(tree.exclude ?? []);
  const rootReal = realpathSync(tree.host);
  const walk = (host: string, guest: string, depth: number): void => {
    if (depth > 64) throw new Error(`${host}: directories nested more than 64 deep (a symlink loop?)`);
    const st = lstatSync(host);
    if (st.isSymbolicLink()) {
      let real: string;
      try {
        real = realpathSync(host);
      } catch {
        return; // dangling
      }
      if (inside(rootReal, real)) {
        const target = readlinkSync(host);
        // An absolute link into the tree is rewritten to the same place in the guest.
        map.set(guest, { kind: 'symlink', path: guest, target: isAbsolute(target) ? posix.join(tree.guest, relative(rootReal, real)) : target });
        return;
      }
      walk(real, guest, depth + 1);
      return;
    }
    if (st.isDirectory()) {
      map.set(guest, { kind: 'dir', path: guest, mode: st.mode & 0o7777 });
      for (const name of readdirSync(host).sort()) {
        if (exclude.has(name)) continue;
        walk(join(host, name), posix.join(guest, name), depth + 1);
      }
      return;
    }
    if (st.isFile()) addFile(map, guest, host);
    // sockets, fifos and devices of the host are not part of a runtime
  };
  walk(resolve(tree.host), tree.guest, 0);
}

const LIB_DIRS = ['/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu', '/lib64', '/usr/lib64', '/lib', '/usr/lib'];

/**
 * The shared libraries of `elves` as `ldd` resolves them on the host, at the same paths in the
 * guest (the guest's loader looks in the same default directories). Libraries that are part of a
 * tree (a JRE's own libjvm.so) are already there. Returns sonames ldd could not find.
 */
export function addLibraries(map: EntryMap, elves: readonly string[], extra: readonly string[], trees: readonly GuestTree[]): string[] {
  const treeRoots = trees.map((t) => realpathSync(t.host));
  const notFound: string[] = [];
  const add = (path: string): void => {
    const real = realpathSync(path);
    if (treeRoots.some((r) => inside(r, real))) return;
    for (let d = dirname(path); d !== '/'; d = dirname(d)) if (!map.has(d)) map.set(d, { kind: 'dir', path: d, mode: 0o755 });
    addFile(map, path, real);
  };
  for (const elf of elves) {
    let out: string;
    try {
      out = execFileSync('ldd', [elf], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch {
      continue; // static, or not an ELF file: nothing to add
    }
    for (const line of out.split('\n')) {
      const arrow = /^\s*(\S+) => (\S+)/.exec(line);
      if (arrow) {
        if (arrow[2] === 'not') notFound.push(arrow[1]!);
        else if (arrow[2]!.startsWith('/')) add(arrow[2]!);
        continue;
      }
      const loader = /^\s*(\/\S+) \(0x/.exec(line);
      if (loader) add(loader[1]!);
    }
  }
  for (const soname of extra) {
    const dir = LIB_DIRS.find((d) => existsSync(join(d, soname)));
    if (!dir) throw new Error(`guest image: the library ${soname} is not on this host (looked in ${LIB_DIRS.join(', ')})`);
    add(join(dir, soname));
  }
  return [...new Set(notFound)].filter((n) => !LIB_DIRS.some((d) => existsSync(join(d, n))));
}

/** Adds every missing ancestor directory, then orders entries so a directory precedes what is in it. */
export function ordered(map: EntryMap): CpioEntry[] {
  for (const path of [...map.keys()]) {
    for (let d = posix.dirname(path); d !== '/' && d !== '.'; d = posix.dirname(d)) {
      if (!map.has(d)) map.set(d, { kind: 'dir', path: d, mode: 0o755 });
    }
  }
  return [...map.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
