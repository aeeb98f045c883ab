// Benchmark (issue #4): for the heavy-init example, cold start (a fresh process that loads, runs
// init and the first invocation, no snapshot) vs restore (a clone from the V8 startup snapshot
// plus its first invocation), median of BENCH_HARNESS_N (>= 10) each, interleaved, same run.
// Then clones/s when restoring 16 clones at once on this machine.
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { buildSnapshot, restoreClones, restoreOne } from 'snapstart-harness';

const root = fileURLToPath(new URL('..', import.meta.url));
// esbuild is the harness's own dependency; resolve it the way the harness does.
const { build } = createRequire(join(root, 'packages/harness/package.json'))('esbuild');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.9))];
const N = Math.max(10, Number(process.env.BENCH_HARNESS_N ?? 12));

async function benchExample(label, entry, event) {
  const snapshot = await buildSnapshot({ entry, cwd: root });
  const inClone = [];

  // The cold-start program: the same bundled function without snapshot or tracer, as a plain
  // runtime would load it, answering on fd 3 like a clone does.
  const coldWrapper = join(snapshot.dir, 'cold-entry.mjs');
  writeFileSync(
    coldWrapper,
    `import { writeSync } from 'node:fs';\nimport * as m from ${JSON.stringify(entry)};\n` +
      `m.handler(${JSON.stringify(event)}, {}).then((r) => writeSync(3, JSON.stringify(r) + '\\n'));\n`,
  );
  // CommonJS, exactly like the snapshot bundle, so both sides load the same code the same way.
  const coldBundle = join(snapshot.dir, 'cold.cjs');
  await build({ entryPoints: [coldWrapper], outfile: coldBundle, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'silent' });

  function coldStart() {
    return new Promise((resolve, reject) => {
      const t0 = performance.now();
      const child = spawn(process.execPath, [coldBundle], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdio[3].on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('close', (code) => (code === 0 && out ? resolve(performance.now() - t0) : reject(new Error(`cold start failed (${code}): ${err}`))));
    });
  }

  async function restore() {
    const t0 = performance.now();
    const clone = await restoreOne(snapshot, { event, cwd: root });
    if (clone.status !== 'ok') throw new Error(`restore failed: ${clone.status} ${clone.error?.message}`);
    inClone.push(clone.invokeMs);
    return performance.now() - t0;
  }


  await coldStart();
  await restore();
  const cold = [];
  const warm = [];
  for (let i = 0; i < N; i++) {
    cold.push(await coldStart());
    warm.push(await restore());
  }

  const clones = 16;
  const t0 = performance.now();
  const run = await restoreClones({ entry, clones, event, snapshot, cwd: root, timeoutMs: 60_000 });
  const allMs = performance.now() - t0;
  const ok = run.clones.filter((c) => c.status === 'ok').length;
  rmSync(snapshot.dir, { recursive: true, force: true });

  console.log(`harness (node engine): ${label}, ${N} runs each, interleaved (wall time, spawn to first result)`);
  console.log(`  init inside the snapshot builder   ${snapshot.initMs.toFixed(0)} ms; snapshot ${(snapshot.blobBytes / 1048576).toFixed(1)} MiB written in ${snapshot.snapshotMs.toFixed(0)} ms`);
  console.log(`  cold start (load + init + invoke)  median ${median(cold).toFixed(0)} ms, p90 ${p90(cold).toFixed(0)} ms`);
  console.log(`  restore (snapshot + invoke)        median ${median(warm).toFixed(0)} ms, p90 ${p90(warm).toFixed(0)} ms`);
  console.log(`    of which inside the clone           median ${median(inClone).toFixed(0)} ms (after-restore hooks + handler); the rest is process start + heap deserialization`);
  console.log(`  speed-up                           ${(median(cold) / median(warm)).toFixed(2)}x   (AWS reports 6,334 ms -> 182 ms for a Java function)`);
  console.log(`  ${clones} clones in parallel on ${(await import('node:os')).availableParallelism()} cores    ${allMs.toFixed(0)} ms, ${(ok / (allMs / 1000)).toFixed(1)} clones/s (${ok}/${clones} ok)`);

  return { label, coldMs: median(cold), restoreMs: median(warm), clonesPerSecond: ok / (allMs / 1000) };
}

export const results = [
  await benchExample('examples/heavy-init/handler.ts (large object graph: the TypeScript compiler)', join(root, 'examples/heavy-init/handler.ts'),
    { source: 'export const greet = (name: string): string => `hi ${name}`;' }),
  await benchExample('examples/heavy-init/compute.ts (CPU-bound init, tiny heap: an scrypt-derived key)', join(root, 'examples/heavy-init/compute.ts'), { payload: 'order-42' }),
];
