/**
 * The linux engine end to end (QEMU under TCG, a real Debian kernel, AWS's Python runtime
 * interface client): where Lambda's phases happen, and that a clone's kernel RNG depends on its
 * vmgenid. These are the engine's own guarantees; the examples test proves bugs and fixes.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { engineFor } from '../../src/engines/index.js';
import { buildSnapshot, HarnessError, restoreClones, type EngineSnapshot, type HarnessRun } from '../../src/index.js';
import { engineMissing } from './runtime-clients.js';

const here = dirname(fileURLToPath(import.meta.url));
const why = engineMissing('python');
if (why) console.log(`linux engine (python in a TCG guest): skipped: ${why}`);

const texts = (logs: readonly { text: string }[]): string[] => logs.map((l) => l.text);
const result = (run: HarnessRun, kind: 'clones' | 'coldStarts', i: number) => run[kind][i]!.result as { init: string; urandom: string; requestId: string };

describe.skipIf(why !== undefined)('linux engine: phases and vmgenid (python, TCG)', () => {
  const base = { entry: join(here, 'fixtures', 'hooks-python'), engine: 'linux' as const, runtime: 'python' as const, handler: 'app.handler', accel: 'tcg' as const, clones: 2, cwd: here };
  // One snapshot (vmgenid fresh) serves every run that needs no other image or boot mode: a TCG boot is the expensive part.
  let shared: Promise<EngineSnapshot> | undefined;
  const snapshot = (): Promise<EngineSnapshot> => (shared ??= buildSnapshot({ ...base, vmgenid: 'fresh' }));
  afterAll(async () => {
    if (shared) (await engineFor('linux')).dispose(await shared);
  });

  it('before-snapshot hooks run in init only, after-restore hooks in every clone and never in a cold start; init values repeat, urandom does not (vmgenid fresh)', async () => {
    const run = await restoreClones({ ...base, snapshot: await snapshot(), cold: 2, vmgenid: 'fresh' });
    for (const inst of [...run.clones, ...run.coldStarts]) expect(inst.status, `${inst.kind} ${inst.index}: ${inst.error?.message}`).toBe('ok');
    // Init, in the snapshot: module code, then the before-snapshot hook, and no after-restore hook.
    expect(texts(run.init.logs)).toEqual(['init: module loaded', 'hook: before-snapshot']);
    for (const clone of run.clones) {
      // A clone's first invocation: its after-restore hook, then the handler; nothing from before the snapshot runs again.
      expect(texts(clone.invocations[0]!.logs)).toEqual(['hook: after-restore', 'handler: invoked']);
      expect(clone.stdout).not.toContain('init: module loaded');
      expect(clone.stdout).not.toContain('hook: before-snapshot');
    }
    for (const cold of run.coldStarts) {
      // On-demand init: no SnapStart hook at all.
      expect(cold.stdout).toContain('init: module loaded');
      expect(cold.stdout).not.toContain('hook:');
    }
    // The uuid4 made at import is in the snapshot: the same in both clones, different in each cold start.
    expect(result(run, 'clones', 0).init).toBe(result(run, 'clones', 1).init);
    expect(result(run, 'coldStarts', 0).init).not.toBe(result(run, 'coldStarts', 1).init);
    const initDuplicate = run.duplicates.find((d) => d.value === result(run, 'clones', 0).init);
    expect(initDuplicate).toMatchObject({ clones: [0, 1], detectedBy: 'oracle' });
    expect(initDuplicate?.paths).toContain('result.init');
    // os.urandom after restore: each clone's kernel RNG was reseeded by its new generation ID.
    expect(result(run, 'clones', 0).urandom).not.toBe(result(run, 'clones', 1).urandom);
    expect(run.duplicates.flatMap((d) => d.paths)).not.toContain('result.urandom');
  }, 600_000);

  it('without the vmgenid device, os.urandom after restore repeats in every clone', async () => {
    // Linux also reseeds on a timer (uptime/2 after the last reseed, early in boot): on a slow,
    // loaded host a clone can reach its read after that and draw from its own entropy. So one more
    // snapshot is tried before the test fails; a kernel that reseeded every clone would fail both.
    let run = await restoreClones({ ...base, cold: 0, vmgenid: 'none' });
    if (result(run, 'clones', 0).urandom !== result(run, 'clones', 1).urandom) run = await restoreClones({ ...base, cold: 0, vmgenid: 'none' });
    for (const clone of run.clones) expect(clone.status, clone.error?.message).toBe('ok');
    expect(result(run, 'clones', 0).urandom).toBe(result(run, 'clones', 1).urandom);
    expect(run.duplicates.find((d) => d.value === result(run, 'clones', 0).urandom)?.paths).toContain('result.urandom');
  }, 600_000);

  it('an init failure is a build error carrying the runtime\'s message', async () => {
    const err = await buildSnapshot({ ...base, env: { FAIL_AT: 'init' } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HarnessError);
    expect((err as Error).message).toMatch(/init of .*hooks-python.* failed in the linux guest: .*init exploded/);
  }, 600_000);

  it('a failing after-restore hook makes every clone hook-failed with the hook\'s exception', async () => {
    const run = await restoreClones({ ...base, cold: 0, vmgenid: 'fresh', env: { FAIL_AT: 'after' } });
    for (const clone of run.clones) {
      expect(clone.status).toBe('hook-failed');
      expect(clone.error?.message).toContain('after hook exploded');
    }
  }, 600_000);

  it('a clone that takes more memory than the guest has is out-of-memory (the guest kernel\'s OOM killer)', async () => {
    const run = await restoreClones({ ...base, snapshot: await snapshot(), cold: 0, vmgenid: 'fresh', event: { hog: true }, timeoutMs: 120_000 });
    for (const clone of run.clones) {
      expect(clone.status, clone.error?.message).toBe('out-of-memory');
      expect(clone.error?.message).toContain('OOM killer (256 MB of guest RAM)');
    }
  }, 600_000);
});
