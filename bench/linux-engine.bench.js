// Benchmark (issue #18, item 6): the harness's whole `linux` engine — a stock Debian kernel under
// QEMU, the function's own runtime and AWS's runtime interface client (RIC) — on the examples the
// engine proves bugs with: Java (examples/java-uuid-handler, compiled with the harness's
// compileJavaSources, example.UuidHandler::handleRequest), Python (examples/python-random-seed,
// app.handler) and Node (examples/node-linux-crypto, index.handler). bench/linux.bench.js measures
// the VM layer alone with bare runtimes; this one goes through the harness's programmatic API.
// Per runtime:
//   build: buildSnapshot({ engine: 'linux' }) — image build (snapshot.bundleMs), boot + init until
//     the RIC's `restore/next` is pending (Node: its first `invocation/next`) (initMs), snapshot
//     write (snapshotMs) and sizes (device-state stream, RAM file, the snapshot folder on disk);
//   restore to first result: the engine's restore() (QEMU start, device state, RAM mapped, resume,
//     vmgenid, restore/next answered, after-restore hooks) then the first invoke's answer, timed
//     together by the bench — median/p99 over N = max(20, BENCH_LINUX_N) clones, one at a time;
//     CloneResult.wallMs is not used for this: on this engine it starts when the VM is already
//     restored (the instance's clock), so the VM part is shown as its own column;
//   clones/s: one at a time (the loop above, restore + first result + close) and two at a time
//     (restoreOne, the public API, in pairs, N clones);
//   private memory per clone: QEMU's Pss and Private_* (/proc/<pid>/smaps_rollup) after the first
//     result, before close;
//   cold: one cold start (engine coldStart: boot + init with AWS_LAMBDA_INITIALIZATION_TYPE=on-demand
//     + first invoke) — the baseline the restore is compared with, measured in the same run.
// BENCH_LINUX_RUNTIMES=python,node,java (default, in that order) picks runtimes; BENCH_LINUX_ACCEL
// (auto|kvm|tcg, default auto: the engine falls back to TCG where KVM cannot run a stock kernel).
// Goal (issue 18): restore to first result <= 0.5 s on TCG. Needs packages/harness/scripts/setup-linux.sh
// (--node for Node's RIC) and a JDK for Java.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSnapshot, compileJavaSources, restoreOne } from '../packages/harness/dist/index.js';
import { engineFor } from '../packages/harness/dist/engines/index.js';
import { childPids, processMemory } from './proc-memory.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const N = Math.max(20, Number(process.env.BENCH_LINUX_N ?? 20));
const ACCEL = process.env.BENCH_LINUX_ACCEL ?? 'auto';
const RUNTIMES = (process.env.BENCH_LINUX_RUNTIMES ?? 'python,node,java').split(',').map((r) => r.trim()).filter(Boolean);
const q = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const med = (xs) => q(xs, 0.5);
const ms = (x) => (x < 10 ? `${x.toFixed(2)} ms` : x < 1000 ? `${x.toFixed(0)} ms` : `${(x / 1000).toFixed(2)} s`);
const mib = (b) => `${(b / 1048576).toFixed(1)}M`;
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

/** The examples, as the linux engine runs them; `prepare` returns the entry (Java: its compiled classes). */
const FUNCTIONS = {
  python: { handler: 'app.handler', timeoutMs: 30_000, prepare: async () => join(ROOT, 'examples/python-random-seed') },
  node: { handler: 'index.handler', timeoutMs: 30_000, prepare: async () => join(ROOT, 'examples/node-linux-crypto') },
  java: {
    handler: 'example.UuidHandler::handleRequest',
    // The JVM's first invocation after restore (class loading, interpreter) is slow under TCG.
    timeoutMs: 60_000,
    prepare: async (scratch) => {
      const out = join(scratch, 'classes');
      await compileJavaSources(join(ROOT, 'examples/java-uuid-handler/src/main/java'), out);
      return out;
    },
  },
};

/** Bytes the snapshot's folder takes on disk (the RAM file is sparse). */
function diskBytes(dir) {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const st = statSync(join(dir, name));
    total += st.isDirectory() ? diskBytes(join(dir, name)) : st.blocks * 512;
  }
  return total;
}

/** Throws unless an invoke answered with a result (a failed clone must not count as a fast one). */
function checkOutcome(outcome, what) {
  if (outcome.kind !== 'response') throw new Error(`${what}: ${outcome.kind}${outcome.message ? `: ${outcome.message}` : ''}`);
  const r = outcome.response;
  if (r.error || r.hookError) throw new Error(`${what}: ${(r.error ?? r.hookError).message}`);
}

const request = (kind, i) => ({ invocation: 0, event: {}, context: { awsRequestId: `bench-${kind}-${i}` } });

async function benchRuntime(runtime, engineOptions) {
  const fn = FUNCTIONS[runtime];
  if (!fn) throw new Error(`unknown runtime '${runtime}' (BENCH_LINUX_RUNTIMES: ${Object.keys(FUNCTIONS).join(',')})`);
  const scratch = mkdtempSync(join(tmpdir(), `linux-engine-bench-${runtime}-`));
  try {
    const entry = await fn.prepare(scratch);
    const options = { ...engineOptions, runtime, handler: fn.handler };
    const snapshot = await buildSnapshot({ entry, engine: 'linux', cwd: ROOT, buildTimeoutMs: 600_000, ...options });
    const engine = await engineFor('linux', options);
    const instanceOptions = (kind, index) => ({ kind, index, hookTimeoutMs: fn.timeoutMs, cwd: ROOT });
    try {
      const row = { runtime, accel: String(snapshot.details.accelerator), memoryMb: snapshot.memoryMb, snapshot, disk: diskBytes(snapshot.dir), first: [], vm: [], mem: [] };
      // One at a time: restore, first result, memory, close.
      const t0 = performance.now();
      for (let i = 0; i < N; i++) {
        const t = performance.now();
        const instance = await engine.restore(snapshot, instanceOptions('clone', i));
        row.vm.push(performance.now() - t);
        checkOutcome(await instance.invoke(request('clone', i), fn.timeoutMs), `clone ${i}`);
        row.first.push(performance.now() - t);
        const [pid] = childPids('qemu-system');
        if (pid) row.mem.push(processMemory(pid));
        await instance.close();
      }
      row.rate1 = N / ((performance.now() - t0) / 1000);
      // Two at a time through the public API (restore, first result, close).
      const t1 = performance.now();
      row.wallMs = [];
      for (let i = 0; i < N; i += 2) {
        const pair = await Promise.all([0, 1].map((k) => restoreOne(snapshot, { ...options, index: i + k, timeoutMs: fn.timeoutMs, hookTimeoutMs: fn.timeoutMs, cwd: ROOT })));
        for (const c of pair) {
          if (c.status !== 'ok') throw new Error(`restoreOne clone ${c.index}: ${c.status}: ${c.error?.message ?? ''}`);
          row.wallMs.push(c.wallMs);
        }
      }
      row.rate2 = (Math.ceil(N / 2) * 2) / ((performance.now() - t1) / 1000);
      // The baseline: one cold start of the same image, boot + init + first result.
      const t2 = performance.now();
      const cold = await engine.coldStart(snapshot, instanceOptions('cold', 0));
      try {
        checkOutcome(await cold.invoke(request('cold', 0), fn.timeoutMs), 'cold start');
      } finally {
        await cold.close();
      }
      row.coldMs = performance.now() - t2;
      return row;
    } finally {
      engine.dispose(snapshot);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

console.log(`\nlinux engine (QEMU + Debian kernel + runtime + AWS RIC): ${N} clones per runtime, ${availableParallelism()} cores, accel ${ACCEL}, load average ${load()}`);
const rows = [];
for (const runtime of RUNTIMES) {
  const started = loadavg()[0];
  try {
    const row = await benchRuntime(runtime, { accel: ACCEL });
    row.load = `${started.toFixed(1)}→${loadavg()[0].toFixed(1)}`;
    rows.push(row);
    console.log(`  ${runtime}: done (load average ${row.load})`);
  } catch (e) {
    console.log(`  ${runtime}: skipped: ${e instanceof Error ? e.message : String(e)}`);
  }
}
if (rows.length === 0) {
  console.log('linux-engine bench: no runtime could run (setup: bash packages/harness/scripts/setup-linux.sh --node)');
} else {
  const table = rows.map((r) => {
    const s = r.snapshot;
    const restore = med(r.first);
    return {
      runtime: `${r.runtime} (${r.accel}, ${r.memoryMb} MiB)`,
      'image build': ms(s.bundleMs),
      'boot+init': ms(s.initMs),
      snapshot: ms(s.snapshotMs),
      'stream / RAM / disk': `${mib(s.blobBytes)} / ${mib(Number(s.details.ramBytes ?? 0))} / ${mib(r.disk)}`,
      'restore→result med': ms(restore),
      p99: ms(q(r.first, 0.99)),
      'VM restore med': ms(med(r.vm)),
      'wallMs med': ms(med(r.wallMs)),
      'clones/s 1 / 2': `${r.rate1.toFixed(2)} / ${r.rate2.toFixed(2)}`,
      'Pss / private': r.mem.length ? `${mib(med(r.mem.map((m) => m.pss)))} / ${mib(med(r.mem.map((m) => m.priv)))}` : 'n/a',
      cold: ms(r.coldMs),
      'cold/restore': `${(r.coldMs / restore).toFixed(1)}x`,
      load: r.load,
    };
  });
  const cols = Object.keys(table[0]);
  const width = cols.map((c) => Math.max(c.length, ...table.map((t) => t[c].length)));
  const line = (cells) => `  | ${cells.map((c, i) => c.padEnd(width[i])).join(' | ')} |`;
  console.log(line(cols));
  console.log(line(width.map((w) => '-'.repeat(w))));
  for (const t of table) console.log(line(cols.map((c) => t[c])));
  console.log('  restore→result: engine restore() + first invoke, timed by the bench; VM restore: restore() alone; wallMs: restoreOne\'s CloneResult.wallMs (2 at a time; starts after the VM restore on this engine)');
  for (const r of rows) {
    const restore = med(r.first);
    console.log(`  ${r.runtime}: goal restore to first result <= 500 ms on ${r.accel}: ${restore <= 500 ? 'met' : 'NOT met'} (${ms(restore)}); cold start ${(r.coldMs / restore).toFixed(1)}x the restore`);
  }
  console.log(`  load average now ${load()}`);
}
