// Benchmark (issues #4, #10, #13): for the heavy-init examples, a cold start (the engine's own
// cold start: `node bundle.cjs`, the same bundle the snapshot was built from, init + first
// invocation) vs a restore (a clone from the V8 startup snapshot + its first invocation),
// BENCH_HARNESS_N (>= 10) each, interleaved, same run. Both are timed by the instance's own clock,
// from its process start to its first answer. Then clones/s with 16 clones at once, and the cost
// of the differential oracle: a whole run with 0 cold starts vs with 3.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSnapshot, restoreClones, restoreOne } from 'snapstart-harness';
import { nodeEngine } from '../packages/harness/dist/engines/node/engine.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.9))];
const N = Math.max(10, Number(process.env.BENCH_HARNESS_N ?? 12));

async function coldStart(snapshot, event) {
  const instance = await nodeEngine.coldStart(snapshot, { kind: 'cold', index: 0, hookTimeoutMs: 10_000, cwd: root });
  const outcome = await instance.invoke({ invocation: 0, event, context: {} }, 60_000);
  await instance.close();
  if (outcome.kind !== 'response' || outcome.response.error) throw new Error(`cold start failed: ${JSON.stringify(outcome)}`);
  return outcome.wallMs;
}

async function benchExample(label, entry, event) {
  const snapshot = await buildSnapshot({ entry, cwd: root });
  const inClone = [];
  async function restore() {
    const clone = await restoreOne(snapshot, { event, cwd: root });
    if (clone.status !== 'ok') throw new Error(`restore failed: ${clone.status} ${clone.error?.message}`);
    inClone.push(clone.invokeMs);
    return clone.wallMs;
  }
  await coldStart(snapshot, event);
  await restore();
  const cold = [];
  const warm = [];
  for (let i = 0; i < N; i++) {
    cold.push(await coldStart(snapshot, event));
    warm.push(await restore());
  }

  const clones = 16;
  const t0 = performance.now();
  const run = await restoreClones({ entry, clones, cold: 0, event, snapshot, cwd: root, timeoutMs: 60_000 });
  const allMs = performance.now() - t0;
  const ok = run.clones.filter((c) => c.status === 'ok').length;
  const walls = run.clones.map((c) => c.wallMs);
  nodeEngine.dispose(snapshot);

  console.log(`harness (node engine): ${label}, ${N} runs each, interleaved (the instance's own clock: process start to first answer)`);
  console.log(`  init inside the snapshot builder   ${snapshot.initMs.toFixed(0)} ms; snapshot ${(snapshot.blobBytes / 1048576).toFixed(1)} MiB written in ${snapshot.snapshotMs.toFixed(0)} ms`);
  console.log(`  cold start (same bundle: load + init + invoke)  median ${median(cold).toFixed(0)} ms, p90 ${p90(cold).toFixed(0)} ms`);
  console.log(`  restore (snapshot + invoke)                     median ${median(warm).toFixed(0)} ms, p90 ${p90(warm).toFixed(0)} ms`);
  console.log(`    of which hooks + handler                        median ${median(inClone).toFixed(1)} ms; the rest is process start + heap deserialization`);
  console.log(`  speed-up                                        ${(median(cold) / median(warm)).toFixed(2)}x`);
  console.log(`  ${clones} clones at once on ${availableParallelism()} cores  ${allMs.toFixed(0)} ms, ${(ok / (allMs / 1000)).toFixed(1)} clones/s (${ok}/${clones} ok); per-clone wall ${Math.min(...walls).toFixed(0)}-${Math.max(...walls).toFixed(0)} ms`);
  return { label, coldMs: median(cold), restoreMs: median(warm), clonesPerSecond: ok / (allMs / 1000) };
}

/** What the differential oracle costs: the same run (build + 4 clones) without and with 3 cold starts. */
async function oracleCost(label, entry, event) {
  const rounds = 5;
  const without = [];
  const withCold = [];
  for (let i = 0; i < rounds; i++) {
    let t = performance.now();
    await restoreClones({ entry, clones: 4, cold: 0, event, cwd: root, timeoutMs: 60_000 });
    without.push(performance.now() - t);
    t = performance.now();
    const run = await restoreClones({ entry, clones: 4, cold: 3, event, cwd: root, timeoutMs: 60_000 });
    withCold.push(performance.now() - t);
    if (run.coldStarts.some((c) => c.status !== 'ok')) throw new Error('a cold start failed');
  }
  console.log(`harness oracle cost: ${label}, whole run (build + 4 clones), median of ${rounds}`);
  console.log(`  restore only (--cold 0)   ${median(without).toFixed(0)} ms`);
  console.log(`  + 3 cold starts (default) ${median(withCold).toFixed(0)} ms  (${(median(withCold) / median(without)).toFixed(2)}x)`);
}

export const results = [
  await benchExample('examples/heavy-init/handler.ts (large object graph: the TypeScript compiler)', join(root, 'examples/heavy-init/handler.ts'),
    { source: 'export const greet = (name: string): string => `hi ${name}`;' }),
  await benchExample('examples/heavy-init/compute.ts (CPU-bound init, tiny heap: an scrypt-derived key)', join(root, 'examples/heavy-init/compute.ts'), { payload: 'order-42' }),
];
await oracleCost('examples/log-stream/handler.ts', join(root, 'examples/log-stream/handler.ts'), { message: 'hi' });
await oracleCost('examples/heavy-init/compute.ts', join(root, 'examples/heavy-init/compute.ts'), { payload: 'order-42' });
