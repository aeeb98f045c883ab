import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { accelerators } from '@snapstart/vmm-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSnapshot, HarnessError, restoreClones, type EngineSnapshot, type HarnessRun } from '../src/index.js';
import '../src/vitest.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '../../..');
const example = (path: string) => join(repoRoot, 'examples', path);
const fixture = (name: string) => join(here, 'fixtures', name);

// tcg (Unicorn) runs everywhere; kvm where /dev/kvm works here.
const all = await accelerators();
const kvm = all.find((a) => a.name === 'kvm')!;
if (!kvm.usable) console.log(`harness microvm engine: kvm suites skipped: ${kvm.reason}`);
const ACCELS = all.filter((a) => a.usable).map((a) => a.name);

describe.each(ACCELS)('microvm engine on %s (real vmm-core microVMs)', (accel) => {
  const snapshots: EngineSnapshot[] = [];
  async function snapshotOf(entry: string): Promise<EngineSnapshot> {
    const s = await buildSnapshot({ entry, cwd: repoRoot, engine: 'microvm', accel });
    snapshots.push(s);
    return s;
  }
  const run = (snapshot: EngineSnapshot, extra: Parameters<typeof restoreClones>[0] extends infer O ? Partial<O> : never = {}): Promise<HarnessRun> =>
    restoreClones({ entry: snapshot.entry, snapshot, cwd: repoRoot, engine: 'microvm', accel, clones: 3, cold: 0, ...extra });
  afterAll(() => {
    for (const s of snapshots) rmSync(s.dir, { recursive: true, force: true });
  });

  it("proves the article's bug in a microVM: the init-time sandbox id repeats in every clone", async () => {
    const r = await run(await snapshotOf(example('log-stream/handler.ts')), { event: { message: 'hi' } });
    expect(r.engine).toBe('microvm');
    expect(r.accelerator).toBe(accel);
    expect(r.clones.map((c) => c.status)).toEqual(['ok', 'ok', 'ok']);
    expect(r.duplicates).toHaveLength(1);
    expect(r.duplicates[0]).toMatchObject({ origin: 'init', api: 'crypto.randomUUID', paths: ['result.logStream'], site: { file: 'examples/log-stream/handler.ts', line: 9 } });
  });

  it.each(['log-stream/handler.fixed.ts', 'log-stream/handler.after-restore.ts'])('reports nothing for the fixed version %s', async (path) => {
    const r = await run(await snapshotOf(example(path)));
    expect(r).toHaveNoDuplicates();
    expect(new Set(r.clones.map((c) => JSON.stringify(c.result))).size).toBe(3);
  });

  describe('the guest RNG and vmgenid', () => {
    let snapshot: EngineSnapshot;
    beforeAll(async () => {
      snapshot = await snapshotOf(fixture('microvm/get-random-values.ts'));
    });
    it('makes crypto.getRandomValues unique per clone with a fresh vmgenid', async () => {
      const r = await run(snapshot, { vmgenid: 'fresh' });
      expect(r.vmgenid).toBe('fresh');
      expect(r).toHaveNoDuplicates();
    });
    it.each(['same', 'none'] as const)('repeats it in every clone with vmgenid %s, and says why', async (vmgenid) => {
      const r = await run(snapshot, { vmgenid });
      expect(r.duplicates).toHaveLength(1);
      expect(r.duplicates[0]).toMatchObject({ origin: 'handler', api: 'crypto.getRandomValues (Web Crypto)', clones: [0, 1, 2], paths: ['result.nonce'] });
      expect(r.duplicates[0]!.explanation).toContain('the guest RNG reseeds only when the generation ID changes');
    });
  });

  describe('Math.random', () => {
    let snapshot: EngineSnapshot;
    beforeAll(async () => {
      snapshot = await snapshotOf(fixture('microvm/math-random.ts'));
    });
    it('repeats in every clone: Duktape seeds it once, at heap creation', async () => {
      const r = await run(snapshot);
      expect(r.duplicates).toMatchObject([{ origin: 'handler', api: 'Math.random', clones: [0, 1, 2] }]);
      expect(r.duplicates[0]!.explanation).toContain('Duktape seeds Math.random once');
    });
    it('is unique per clone when the engine reseeds it on a generation change', async () => {
      expect(await run(snapshot, { reseedMathRandom: true })).toHaveNoDuplicates();
    });
  });

  it("reproduces Node's entropy-cache bug in the guest", async () => {
    const r = await run(await snapshotOf(example('entropy-cache/handler.ts')));
    expect(r.duplicates).toHaveLength(2);
    for (const d of r.duplicates) expect(d.explanation).toContain("init filled Node's randomUUID entropy cache (crypto.randomUUID at examples/entropy-cache/handler.ts:6)");
  });

  it('runs top-level await with timers, before-snapshot and after-restore hooks in order', async () => {
    const tla = await run(await snapshotOf(fixture('top-level-await.mts')), { clones: 2 });
    expect(tla.clones.map((c) => c.result)).toEqual([
      { table: 'orders', loadedAt: 42 },
      { table: 'orders', loadedAt: 42 },
    ]);
    const hooks = await run(await snapshotOf(fixture('hook-order.ts')), { clones: 2 });
    for (const c of hooks.clones) expect(c.result).toEqual({ calls: ['init', 'before-2', 'before-1', 'after-1', 'after-2'] });
  });

  it("returns a thrown error with its stack mapped to the user's source", async () => {
    const r = await run(await snapshotOf(fixture('microvm/throws.ts')), { clones: 2, event: {} });
    expect(r.clones.map((c) => c.status)).toEqual(['threw', 'threw']);
    expect(r.clones[0]!.error?.message).toBe('orderId is required');
    expect(r.clones[0]!.error?.stack).toContain('packages/harness/tests/fixtures/microvm/throws.ts:3');
  });

  it('runs the oracle with cold starts booted in their own microVMs', async () => {
    const r = await run(await snapshotOf(example('self-seeded-prng/handler.ts')), { clones: 2, cold: 2 });
    expect(r.coldStarts.map((c) => c.status)).toEqual(['ok', 'ok']);
    expect(r.duplicates).toMatchObject([{ origin: 'unknown', detectedBy: 'oracle', paths: ['result.token'] }]);
  });

  it('refuses, at build time, a built-in the guest cannot provide and syntax ES5 cannot express', async () => {
    await expect(buildSnapshot({ entry: fixture('microvm/spawns.ts'), cwd: repoRoot, engine: 'microvm', accel })).rejects.toThrow(
      /module 'node:child_process' \(imported by packages\/harness\/tests\/fixtures\/microvm\/spawns.ts\) is not available in the microvm guest: a microVM guest has no processes to start/,
    );
    const err = (await buildSnapshot({ entry: fixture('microvm/bigint.ts'), cwd: repoRoot, engine: 'microvm', accel }).catch((e: unknown) => e)) as HarnessError;
    expect(err).toBeInstanceOf(HarnessError);
    expect(err.message).toMatch(/packages\/harness\/tests\/fixtures\/microvm\/bigint.ts:1:\d+: Big integer literals are not available in the configured target environment/);
  });

  it('runs an AWS SDK v3 client in the guest: its request is recorded, the init id and the SDK header repeat', async () => {
    const r = await run(await snapshotOf(example('dynamodb-writer/handler.ts')), { clones: 2, event: { action: 'login' }, timeoutMs: 60_000 });
    expect(r.clones.map((c) => c.result)).toEqual([{ written: true }, { written: true }]);
    const paths = r.duplicates.flatMap((d) => d.paths).sort();
    expect(paths).toEqual([
      'request[0:POST dynamodb.us-east-1.amazonaws.com/].body.Item.pk.S',
      'request[0:POST dynamodb.us-east-1.amazonaws.com/].headers.amz-sdk-invocation-id',
    ]);
    const req = r.clones[0]!.invocations[0]!.requests[0]!;
    expect(req.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDSNAPSTARTHARNESS\/\d{8}\/us-east-1\/dynamodb\/aws4_request/);
  }, 300_000);
});
