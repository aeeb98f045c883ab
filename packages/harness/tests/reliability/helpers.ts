// Shared by the reliability tests: paths, a private TMPDIR per test file, and /proc readers.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(here, '../../../..');
/** The harness's shared fixtures (tests/fixtures) and this suite's own (tests/reliability/fixtures). */
export const fixture = (name: string): string => join(here, '../fixtures', name);
export const ownFixture = (name: string): string => join(here, 'fixtures', name);
export const cli = join(here, '../../bin/snapstart-harness.js');

/**
 * A private TMPDIR for the calling test file (vitest runs each file in its own process), so that
 * every directory the harness leaves behind is counted. Returns a getter (set in beforeAll).
 */
export function usePrivateTmp(): () => string {
  const originalTmp = process.env.TMPDIR;
  let privateTmp = '';
  beforeAll(() => {
    privateTmp = mkdtempSync(join(tmpdir(), 'harness-reliability-'));
    process.env.TMPDIR = privateTmp;
  });
  afterAll(() => {
    if (originalTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = originalTmp;
    rmSync(privateTmp, { recursive: true, force: true });
  });
  return () => privateTmp;
}

/** Live (non-zombie) processes among `pids`. */
export function alive(pids: number[]): number[] {
  return pids.filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
    } catch {
      return false;
    }
  });
}

/** Every descendant of `root`. */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(p)]);
    } catch {
      // gone
    }
  }
  const out: number[] = [];
  const walk = (pid: number): void => {
    for (const c of children.get(pid) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(root);
  return out;
}

/** Live processes whose command line is exactly `argv` (e.g. a `sleep 987` a handler started). */
export function processesRunning(argv: readonly string[]): number[] {
  const wanted = `${argv.join('\0')}\0`;
  const pids = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8') === wanted;
      } catch {
        return false;
      }
    })
    .map(Number);
  return alive(pids);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
