import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HarnessError, restoreClones } from '../src/index.js';
import '../src/vitest.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '../../..');
const fixture = (name: string) => join(here, 'fixtures', name);
const example = (path: string) => join(repoRoot, 'examples', path);
const cli = join(here, '../bin/snapstart-harness.js');

/** PIDs of live child processes of this test process (orphans would show up here). */
function childPids(): number[] {
  const out = spawnSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' }).stdout;
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([pid, comm]) => Number(pid) > 0 && comm !== 'ps')
    .map(([pid]) => Number(pid));
}

describe('restoreClones (node engine, real V8 startup snapshots)', () => {
  it('proves the article bug: the init-time sandbox id is in every clone, with its origin', async () => {
    const run = await restoreClones({ entry: example('log-stream/handler.ts'), clones: 4, cwd: repoRoot, event: { message: 'hi' } });
    expect(run.clones.map((c) => c.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(run.duplicates).toHaveLength(1);
    const [dup] = run.duplicates;
    expect(dup).toMatchObject({
      category: 'uuid',
      origin: 'init',
      api: 'crypto.randomUUID',
      clones: [0, 1, 2, 3],
      site: { file: 'examples/log-stream/handler.ts', line: 9 },
      paths: ['result.logStream'],
    });
    expect(dup!.value).toMatch(/^[0-9a-f-]{36}$/);
    expect((run.clones[0]!.result as { logStream: string }).logStream).toBe(`${dup!.value}.log`);
    expect(dup!.explanation).toBe('created during init at examples/log-stream/handler.ts:9 (crypto.randomUUID)');
    expect(run).not.toHaveNoDuplicates();
  });

  it('proves the entropy-cache bug: UUIDs made in the handler repeat because init filled the cache', async () => {
    const run = await restoreClones({ entry: example('entropy-cache/handler.ts'), clones: 3, cwd: repoRoot });
    expect(run.duplicates).toHaveLength(2);
    for (const dup of run.duplicates) {
      expect(dup.origin).toBe('handler');
      expect(dup.clones).toEqual([0, 1, 2]);
      expect(dup.site).toMatchObject({ file: 'examples/entropy-cache/handler.ts', line: 9 });
      expect(dup.explanation).toContain("init filled Node's randomUUID entropy cache (crypto.randomUUID at examples/entropy-cache/handler.ts:6)");
    }
    expect(run.duplicates.flatMap((d) => d.paths).sort()).toEqual(['result.requestId', 'result.traceId']);
  });

  it.each([
    'log-stream/handler.fixed.ts',
    'log-stream/handler.after-restore.ts',
    'entropy-cache/handler.fixed.ts',
  ])('reports no duplicates for the fixed example %s', async (path) => {
    const run = await restoreClones({ entry: example(path), clones: 4, cwd: repoRoot });
    expect(run).toHaveNoDuplicates();
    // Each clone really produced its own value (not merely nothing traced).
    const streams = run.clones.map((c) => JSON.stringify(c.result));
    expect(new Set(streams).size).toBe(4);
  });

  it('finds init-time PRNG output in a CommonJS handler, and leaves handler-time Math.random alone', async () => {
    const run = await restoreClones({ entry: fixture('cjs-random.cjs'), clones: 3, cwd: repoRoot });
    expect(run.duplicates).toHaveLength(1);
    expect(run.duplicates[0]).toMatchObject({ origin: 'unknown', paths: ['result.salt'] });
    expect(run.duplicates[0]!.explanation).toContain('Math.random at packages/harness/tests/fixtures/cjs-random.cjs:2');
    const perCall = run.clones.map((c) => (c.result as { perCall: number }).perCall);
    expect(new Set(perCall).size).toBe(3);
  });

  it('runs before-snapshot hooks in reverse and after-restore hooks in order, once per clone', async () => {
    const run = await restoreClones({ entry: fixture('hook-order.ts'), clones: 2, cwd: repoRoot });
    for (const clone of run.clones) {
      expect(clone.result).toEqual({ calls: ['init', 'before-2', 'before-1', 'after-1', 'after-2'] });
    }
  });

  it('reports a hanging, a crashing and a throwing clone without blocking the others, and leaves no process behind', async () => {
    const before = childPids();
    const run = await restoreClones({ entry: fixture('misbehaving.ts'), clones: 5, cwd: repoRoot, timeoutMs: 3000 });
    expect(run.clones.map((c) => c.status)).toEqual(['ok', 'timeout', 'crashed', 'threw', 'ok']);
    expect(run.clones[1]!.error?.message).toBe('no result within 3000 ms; the clone was killed');
    expect(run.clones[2]!.error?.message).toMatch(/killed by SIGSEGV/);
    expect(run.clones[3]!.error?.message).toBe('handler failed on purpose');
    expect(run.clones[0]!.wallMs).toBeLessThan(run.clones[1]!.wallMs);
    expect(childPids()).toEqual(before);
  });

  it('fails a clone whose after-restore hook throws, with the hook name and message', async () => {
    const run = await restoreClones({ entry: fixture('failing-hook.ts'), clones: 2, cwd: repoRoot });
    expect(run.clones.map((c) => c.status)).toEqual(['hook-failed', 'hook-failed']);
    expect(run.clones[0]!.error?.message).toContain('#0 reconnect: cannot reconnect');
  });

  it('gives clear errors for a throwing init, a rejected top-level await, an unsnapshottable module and a missing export', async () => {
    await expect(restoreClones({ entry: fixture('throwing-init.ts'), cwd: repoRoot })).rejects.toThrow(
      /init of packages\/harness\/tests\/fixtures\/throwing-init.ts failed inside the snapshot builder/,
    );
    const err = (await restoreClones({ entry: fixture('throwing-init.ts'), cwd: repoRoot }).catch((e: unknown) => e)) as HarnessError;
    expect(err.details).toContain('packages/harness/tests/fixtures/throwing-init.ts:1');
    const rejected = (await restoreClones({ entry: fixture('rejecting-tla.mts'), cwd: repoRoot }).catch((e: unknown) => e)) as HarnessError;
    expect(rejected.message).toMatch(/init of packages\/harness\/tests\/fixtures\/rejecting-tla.mts failed inside the snapshot builder: secrets manager unreachable/);
    expect(rejected.details).toContain('packages/harness/tests/fixtures/rejecting-tla.mts:2');
    await expect(restoreClones({ entry: fixture('uses-tls.ts'), cwd: repoRoot })).rejects.toThrow(
      "module 'tls' (imported by packages/harness/tests/fixtures/uses-tls.ts) cannot be in a Node startup snapshot",
    );
    await expect(restoreClones({ entry: example('log-stream/handler.ts'), exportName: 'nope', cwd: repoRoot })).rejects.toThrow(
      "has no exported function 'nope' (exports: handler)",
    );
    await expect(restoreClones({ entry: 'does/not/exist.ts', cwd: repoRoot })).rejects.toBeInstanceOf(HarnessError);
  });

  it('snapshots an ESM module after its top-level await has settled', async () => {
    const run = await restoreClones({ entry: fixture('top-level-await.mts'), clones: 2, cold: 2, cwd: repoRoot });
    expect(run.clones.map((c) => c.result)).toEqual([
      { table: 'orders', loadedAt: 42 },
      { table: 'orders', loadedAt: 42 },
    ]);
    expect(run).toHaveNoDuplicates();
  });
});

describe('snapstart-harness CLI', () => {
  const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: repoRoot, encoding: 'utf8' });

  it('exits 1 with a table when duplicates are found, 0 when none, 2 on bad input', () => {
    const buggy = run(['run', 'examples/log-stream/handler.ts', '--clones', '2', '--event', 'examples/log-stream/event.json']);
    expect(buggy.status).toBe(1);
    expect(buggy.stdout).toContain('1 value(s) repeated across clones');
    expect(buggy.stdout).toContain('created during init at examples/log-stream/handler.ts:9 (crypto.randomUUID)');
    const fixed = run(['run', 'examples/log-stream/handler.fixed.ts', '--clones', '2']);
    expect(fixed.status).toBe(0);
    expect(fixed.stdout).toContain('no duplicated values across clones');
    const bad = run(['run', 'examples/log-stream/handler.ts', '--clones', 'many']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--clones expects a positive integer, got 'many'");
    const badEvent = run(['run', 'examples/log-stream/handler.ts', '--event', 'package.json.missing']);
    expect(badEvent.status).toBe(2);
    expect(badEvent.stderr).toContain('cannot read event file package.json.missing');
  });

  it('exits 2 when the run tested nothing (the handler threw in every clone and cold start), and says so', () => {
    const failing = run(['run', fixture('microvm/throws.ts'), '--clones', '2', '--cold', '2']);
    expect(failing.status).toBe(2);
    expect(failing.stdout).toContain('compared 2 clones (2 failed) with 2 cold starts (2 failed)');
    expect(failing.stdout).toContain('inconclusive: the function failed in every clone (2/2): orderId is required');
    expect(failing.stdout).not.toContain('no duplicated values');
    expect(failing.stderr).toContain('the run tested nothing: the function failed in every clone (2/2)');
    const allowed = run(['run', fixture('microvm/throws.ts'), '--clones', '2', '--cold', '0', '--allow-errors']);
    expect(allowed.status).toBe(0);
    const silent = run(['run', fixture('real/returns-nothing.ts'), '--clones', '2', '--cold', '0']);
    expect(silent.status).toBe(2);
    expect(silent.stderr).toContain('the clones produced nothing to compare');
  });

  it('prints the whole run as JSON with --json', () => {
    const out = execFileSync(process.execPath, [cli, 'run', 'examples/entropy-cache/handler.fixed.ts', '--clones', '2', '--json'], { cwd: repoRoot, encoding: 'utf8' });
    const parsed = JSON.parse(out) as { clones: unknown[]; duplicates: unknown[]; timings: { initMs: number } };
    expect(parsed.clones).toHaveLength(2);
    expect(parsed.duplicates).toEqual([]);
    expect(parsed.timings.initMs).toBeGreaterThan(0);
  });
});
