import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSnapshot, HarnessError, restoreClones, restoreOne } from '../../src/index.js';
import { alive, cli, descendants, fixture, repoRoot, usePrivateTmp } from './helpers.js';

const tmp = usePrivateTmp();
const leftovers = () => readdirSync(tmp());

describe('temporary directories', () => {
  it('are removed on every exit path: init throws, unsnapshottable module, missing export, builder timeout', async () => {
    await expect(restoreClones({ entry: fixture('throwing-init.ts'), cwd: repoRoot })).rejects.toBeInstanceOf(HarnessError);
    await expect(restoreClones({ entry: fixture('uses-tls.ts'), cwd: repoRoot })).rejects.toBeInstanceOf(HarnessError);
    await expect(restoreClones({ entry: fixture('hook-order.ts'), exportName: 'nope', cwd: repoRoot })).rejects.toThrow(/no exported function 'nope'/);
    await expect(buildSnapshot({ entry: fixture('never-ready.ts'), cwd: repoRoot, buildTimeoutMs: 1500 })).rejects.toThrow(/did not finish within 1500 ms/);
    expect(leftovers()).toEqual([]);
  });

  it('are removed after successful runs, runs with dead clones, and restoreOne', async () => {
    await restoreClones({ entry: fixture('counter.ts'), cwd: repoRoot, clones: 2, cold: 1 });
    await restoreClones({ entry: fixture('misbehaving.ts'), cwd: repoRoot, clones: 4, cold: 0, timeoutMs: 1500 });
    const snapshot = await buildSnapshot({ entry: fixture('counter.ts'), cwd: repoRoot });
    const mapper = snapshot.mapper(repoRoot);
    const a = await restoreOne(snapshot, { cwd: repoRoot });
    const b = await restoreOne(snapshot, { cwd: repoRoot, index: 1 });
    expect([a.status, b.status]).toEqual(['ok', 'ok']);
    // The source map is parsed once per snapshot, not inside each clone's timing.
    expect(snapshot.mapper(repoRoot)).toBe(mapper);
    // Each clone's wall time comes from its own clock: process start to answer.
    expect(a.wallMs).toBeGreaterThan(0);
    expect(a.wallMs).toBeLessThanOrEqual(a.invocations[0]!.endedAt! - (a.startedAt - 1000));
    rmSync(snapshot.dir, { recursive: true, force: true });
    expect(leftovers()).toEqual([]);
  });

  it('are removed when the CLI fails on bad input (--export nope)', async () => {
    const child = spawn(process.execPath, [cli, 'run', fixture('counter.ts'), '--export', 'nope'], { cwd: repoRoot, env: { ...process.env, TMPDIR: tmp() } });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(2);
    expect(leftovers()).toEqual([]);
  });
});

describe.each(['SIGTERM', 'SIGINT'] as const)('%s to snapstart-harness mid-run', (signal) => {
  it('kills every clone and what it started, removes the temporary directory, and exits by the signal', async () => {
    const harness = spawn(process.execPath, [cli, 'run', fixture('hang-with-child.ts'), '--clones', '3', '--cold', '0', '--timeout', '60000'], {
      cwd: repoRoot,
      env: { ...process.env, TMPDIR: tmp() },
      stdio: 'ignore',
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => harness.on('close', (code, sig) => resolve({ code, signal: sig })));
    // Wait for the clones and their `sleep` helpers: 3 clones + 3 helpers (plus the builder, gone by then).
    let seen: number[] = [];
    for (let i = 0; i < 200; i++) {
      seen = descendants(harness.pid!);
      const sleeps = seen.filter((p) => {
        try {
          return readFileSync(`/proc/${p}/comm`, 'utf8').trim() === 'sleep';
        } catch {
          return false;
        }
      });
      if (sleeps.length === 3) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen.length).toBeGreaterThanOrEqual(6);
    expect(existsSync(tmp()) && leftovers().length).toBe(1);
    harness.kill(signal);
    expect(await exited).toEqual({ code: null, signal });
    // Reparented orphans would still be alive here.
    await new Promise((r) => setTimeout(r, 200));
    expect(alive(seen)).toEqual([]);
    expect(leftovers()).toEqual([]);
  });
});
