import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { linuxCacheRoot } from './cache.js';
import { requireMuslGcc } from './missing.js';

/** src/runtime/linux, seen from src/engines/linux/image (tests) or dist/engines/linux/image (built). */
export function guestSourceDir(): string {
  const candidates = ['../../../runtime/linux', '../../../../src/runtime/linux'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  const dir = candidates.find((d) => existsSync(join(d, 'relay.c')));
  if (!dir) throw new Error(`the linux guest's sources (relay.c, init.sh) are not in ${candidates.join(' or ')}`);
  return dir;
}

/** The relay, compiled once per source version (static with musl: the guest has no libc of its own for it). */
export function relayBinary(): string {
  const source = join(guestSourceDir(), 'relay.c');
  const text = readFileSync(source);
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const dir = join(linuxCacheRoot(), 'relay', hash);
  const out = join(dir, 'relay');
  if (existsSync(out)) return out;
  const gcc = requireMuslGcc();
  mkdirSync(dir, { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    execFileSync(gcc, ['-std=c11', '-O2', '-Wall', '-Wextra', '-Werror', '-static', '-o', tmp, source], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(`compiling ${source} failed: ${String((e as { stderr?: Buffer }).stderr ?? e)}`);
  }
  renameSync(tmp, out);
  return out;
}
