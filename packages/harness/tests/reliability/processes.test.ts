// Probe 5 of issue 25: a detached child a handler started outlived the run (one per instance,
// under PID 1); after `kill -9` of the harness, clones ran on past --timeout (busy loops spun
// 67 s+) and temp dirs stayed. Now every process an instance starts ends with it (PID namespace),
// instances die with the harness even after SIGKILL (parent-death signal), and the next harness
// removes the dead one's temporary directories.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { restoreClones } from '../../src/index.js';
import { probeSandbox } from '../../src/containment/sandbox.js';
import { OWNER_FILE, removeStaleTempDirs } from '../../src/temp.js';
import { alive, cli, descendants, fixture, ownFixture, processesRunning, repoRoot, sleep, usePrivateTmp } from './helpers.js';

const tmp = usePrivateTmp();

function needsNamespaces(ctx: { skip: () => void }, what: string): void {
  const probe = probeSandbox();
  if (probe.namespaces === 'none' || !probe.parentDeath) {
    console.log(`skipped (${what}): ${probe.reason ?? 'no parent-death signal'}`);
    ctx.skip();
  }
}

describe('process containment', () => {
  it('a detached child a handler starts (its own session) ends with the run', async (ctx) => {
    needsNamespaces(ctx, 'PID namespace');
    const seconds = String(600 + (process.pid % 300)); // unique to this test process
    const run = await restoreClones({ entry: ownFixture('detached-child.ts'), cwd: repoRoot, clones: 2, cold: 1, event: { seconds } });
    expect(run.clones.map((c) => c.result)).toEqual([{ started: true }, { started: true }]);
    await sleep(200);
    expect(processesRunning(['sleep', seconds])).toEqual([]);
  });

  it.each([
    ['with a parent-death signal', {}],
    ['without one (SNAPSTART_HARNESS_SANDBOX=off: the in-instance parent watcher)', { SNAPSTART_HARNESS_SANDBOX: 'off' }],
  ])('after kill -9 of the harness, no clone keeps running past a second, and the next start removes its temp dir: %s', async (_label, extraEnv) => {
    const harness = spawn(process.execPath, [cli, 'run', ownFixture('busy-loop.ts'), '--clones', '2', '--cold', '0', '--timeout', '60000'], {
      cwd: repoRoot,
      env: { ...process.env, TMPDIR: tmp(), ...extraEnv },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => harness.on('close', resolve));
    // Wait until both clones spin (their node processes burn CPU: state R).
    let instances: number[] = [];
    for (let i = 0; i < 200 && instances.length < 2; i++) {
      await sleep(100);
      instances = descendants(harness.pid!).filter((p) => {
        try {
          const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
          return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('--snapshot-blob') && readFileSync(`/proc/${p}/comm`, 'utf8').trim() === 'node' && stat.slice(stat.lastIndexOf(')') + 2)[0] === 'R';
        } catch {
          return false;
        }
      });
    }
    expect(instances.length).toBe(2);
    const all = descendants(harness.pid!);
    expect(readdirSync(tmp()).filter((d) => d.startsWith('snapstart-'))).toHaveLength(1);
    harness.kill('SIGKILL');
    await exited;
    await sleep(1000);
    expect(alive(all)).toEqual([]);
    // The dead harness could not clean up; the next one does, before it makes its own.
    expect(readdirSync(tmp()).filter((d) => d.startsWith('snapstart-'))).toHaveLength(1);
    const next = spawnSync(process.execPath, [cli, 'run', fixture('counter.ts'), '--export', 'nope'], { cwd: repoRoot, env: { ...process.env, TMPDIR: tmp() } });
    expect(next.status).toBe(2);
    expect(readdirSync(tmp()).filter((d) => d.startsWith('snapstart-'))).toEqual([]);
  });

  it('stale temp dirs: only those of dead owners are removed (a reused pid with another start time counts as dead)', () => {
    const root = join(tmp(), 'stale');
    mkdirSync(root);
    const dead = spawnSync('true').pid!;
    const make = (name: string, owner?: object): string => {
      const dir = join(root, name);
      mkdirSync(dir);
      if (owner) writeFileSync(join(dir, OWNER_FILE), JSON.stringify(owner));
      return dir;
    };
    const ofDead = make('snapstart-harness-dead', { pid: dead, started: '1' });
    const reused = make('snapstart-harness-reused', { pid: process.ppid, started: '1' });
    const live = make('snapstart-harness-live', { pid: process.ppid });
    const mine = make('snapstart-microvm-mine', { pid: process.pid });
    const unmarked = make('snapstart-harness-unmarked');
    const other = make('other-tool-dir', { pid: dead });
    expect(removeStaleTempDirs(root).sort()).toEqual([ofDead, reused].sort());
    for (const d of [live, mine, unmarked, other]) expect(existsSync(d)).toBe(true);
  });
});
