// Benchmark (issue #9): the harness's microvm engine, per accelerator, side by side in one run
// with the node engine on the same functions:
//   restore-to-first-result for a JS handler (median and p99 over BENCH_MICROVM_N >= 50 clones):
//     microvm: from `restore` sent to a started monitor until the first result (restore and
//     invoke pipelined), memory cow and copy; also with the process spawn;
//     node: the clone's own clock, process start to first answer (restoreOne);
//   cold start: microvm boots the function in a fresh VM with no snapshot at all (preludes, init,
//   first invocation), and from the preludes' base image (what the harness's cold starts do);
//     node runs the same bundle in a fresh process.
// Functions: examples/log-stream/handler.ts (light) and examples/heavy-init/compute.ts (scrypt at init).
// BENCH_MICROVM_ACCEL=kvm (or tcg) runs one accelerator only.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { accelerators, bootVm, guests, hostInfo } from '@snapstart/vmm-core';
import { MonitorProcess } from '@snapstart/vmm-core/internal';
import { buildSnapshot, restoreOne } from 'snapstart-harness';
import { nodeEngine } from '../packages/harness/dist/engines/node/engine.js';
import { microvmEngine } from '../packages/harness/dist/engines/microvm/engine.js';
import { guestPreludes, initPayload } from '../packages/harness/dist/engines/microvm/pipeline.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const N = Math.max(50, Number(process.env.BENCH_MICROVM_N ?? 50));
const q = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const med = (xs) => q(xs, 0.5);
const f = (ms) => (ms < 10 ? ms.toFixed(2) : ms < 1000 ? ms.toFixed(1) : ms.toFixed(0));
const host = await hostInfo();
const functions = [
  { label: 'examples/log-stream/handler.ts', entry: join(root, 'examples/log-stream/handler.ts'), event: { message: 'hi' }, colds: { kvm: 5, tcg: 3 } },
  { label: 'examples/heavy-init/compute.ts (scrypt N=2^17 at init)', entry: join(root, 'examples/heavy-init/compute.ts'), event: { payload: 'order-42' }, colds: { kvm: 5, tcg: 2 } },
];

function envelope(event) {
  return Buffer.from(JSON.stringify({ invocation: 0, event, context: { awsRequestId: 'bench', logStreamName: 'clone-0' }, stubs: [], hookTimeoutMs: 10_000 }));
}

async function monitorRestore(file, accel, memory, verify, event, spawnIncluded, reserved = false) {
  const t0 = performance.now();
  const m = new MonitorProcess();
  await m.started;
  // A warm pool entry: VM, vCPU and the snapshot's pages prepared before the request (untimed).
  if (reserved && (await m.request('reserve', { path: file, accel })).verb !== 'reserved') throw new Error('reserve failed');
  const t1 = performance.now();
  const r = m.request('restore', { path: file, accel, memory, vmgenid: 'fresh', verify, 'tsc-khz': host.tscKhz });
  const i = m.request('invoke', { 'timeout-ms': 60_000 }, envelope(event));
  const [a, b] = await Promise.all([r, i]);
  const t2 = performance.now();
  if (a.verb !== 'restored' || b.verb !== 'result' || b.payload.includes('"error"')) throw new Error(`restore failed: ${JSON.stringify(a.fields)} ${b.payload?.toString().slice(0, 300)}`);
  await m.quit();
  return spawnIncluded ? t2 - t0 : t2 - t1;
}

/** A cold boot with no snapshot at all: preludes, the function, init, first invocation. */
async function coldBoot(snapshot, accel, event) {
  const t0 = performance.now();
  const vm = await bootVm({ guest: guests.js, accel, ramMiB: 256, init: initPayloadWithBase(await guestPreludes(), snapshot.coldPayload), bootTimeoutMs: 600_000 });
  const r = await vm.invoke(envelope(event), { timeoutMs: 600_000 });
  await vm.close();
  if (r.text().includes('"error"')) throw new Error(r.text().slice(0, 300));
  return performance.now() - t0;
}

/** Prepends the preludes to a [boot config, function] payload (same format: header, then scripts). */
function initPayloadWithBase(preludes, payload) {
  const text = payload.toString('utf8');
  const headerEnd = text.indexOf('\n\n');
  const entries = text.slice('snapstart-init 1\n'.length, headerEnd).split('\n').map((l) => ({ len: Number(l.slice(0, l.indexOf(' '))), name: l.slice(l.indexOf(' ') + 1) }));
  let pos = Buffer.byteLength(text.slice(0, headerEnd + 2));
  const scripts = entries.map((e) => {
    const code = payload.subarray(pos, pos + e.len).toString('utf8');
    pos += e.len;
    return { name: e.name, code };
  });
  // The boot config must come first: the preludes read it.
  return initPayload([scripts[0], ...preludes, ...scripts.slice(1)]);
}

for (const fn of functions) {
  console.log(`\n${fn.label}`);
  // node engine, same function
  const nodeSnap = await buildSnapshot({ entry: fn.entry, cwd: root });
  const nodeRestore = [];
  for (let i = 0; i < N; i++) nodeRestore.push((await restoreOne(nodeSnap, { event: fn.event, cwd: root })).wallMs);
  const nodeCold = [];
  for (let i = 0; i < 10; i++) {
    const inst = await nodeEngine.coldStart(nodeSnap, { kind: 'cold', index: 0, hookTimeoutMs: 10_000, cwd: root });
    const out = await inst.invoke({ invocation: 0, event: fn.event, context: {} }, 60_000);
    await inst.close();
    nodeCold.push(out.wallMs);
  }
  nodeEngine.dispose(nodeSnap);
  console.log(`  node engine     restore ${f(med(nodeRestore))} ms (p99 ${f(q(nodeRestore, 0.99))}) | cold start ${f(med(nodeCold))} ms | ${(med(nodeCold) / med(nodeRestore)).toFixed(1)}x`);

  for (const { name: accel, usable, reason } of await accelerators()) {
    if (process.env.BENCH_MICROVM_ACCEL && process.env.BENCH_MICROVM_ACCEL !== accel) continue;
    if (!usable) {
      console.log(`  microvm ${accel}: skipped (${reason})`);
      continue;
    }
    const engine = microvmEngine({ accel, reservePool: 0 });
    const snap = await engine.build({ entry: fn.entry, exportName: 'handler', cwd: root, stubs: [] });
    const file = snap.details.snapshot;
    const rows = {};
    for (const memory of ['cow', 'copy']) {
      await monitorRestore(file, accel, memory, 'full', fn.event, false);
      const warm = [];
      for (let i = 0; i < N; i++) warm.push(await monitorRestore(file, accel, memory, 'header', fn.event, false));
      const spawned = [];
      for (let i = 0; i < 10; i++) spawned.push(await monitorRestore(file, accel, memory, 'header', fn.event, true));
      rows[memory] = { warm, spawned };
    }
    const reservedRuns = [];
    for (let i = 0; i < N; i++) reservedRuns.push(await monitorRestore(file, accel, 'copy', 'header', fn.event, false, true));
    // The harness's own clones (engine.restore + first invocation, monitor-measured), one after
    // another: each into a new monitor (reservePool 0, the baseline) and from the engine's pool of
    // reserved monitors, refilled while the previous clone runs.
    const engineRuns = {};
    for (const reservePool of [0, 4]) {
      snap.pool = undefined;
      const runs = [];
      for (let i = 0; i < N; i++) runs.push((await restoreOne(snap, { event: fn.event, cwd: root, accel, reservePool })).wallMs);
      await snap.pool?.close();
      snap.pool = undefined;
      engineRuns[reservePool] = runs;
    }
    const fromBase = [];
    const fromNothing = [];
    const colds = fn.colds[accel];
    for (let i = 0; i < colds; i++) {
      const t0 = performance.now();
      const inst = await engine.coldStart(snap, { kind: 'cold', index: 0, hookTimeoutMs: 10_000, cwd: root });
      const out = await inst.invoke({ invocation: 0, event: fn.event, context: {} }, 600_000);
      await inst.close();
      if (out.kind !== 'response') throw new Error(`cold start failed: ${JSON.stringify(out)}`);
      fromBase.push(performance.now() - t0);
      fromNothing.push(await coldBoot(snap, accel, fn.event));
    }
    engine.dispose(snap);
    const best = Math.min(med(rows.cow.warm), med(rows.copy.warm));
    console.log(`  microvm ${accel.padEnd(4)}    init ${f(snap.initMs)} ms in the guest; snapshot ${(snap.blobBytes / 1048576).toFixed(1)} MiB of RAM`);
    for (const memory of ['cow', 'copy']) {
      const r = rows[memory];
      console.log(`    restore to first result (${memory.padEnd(4)})  median ${f(med(r.warm))} ms, p99 ${f(q(r.warm, 0.99))} ms (started monitor, ${N} clones); with process spawn ${f(med(r.spawned))} ms`);
    }
    console.log(`    restore to first result (copy, reserved monitor)  median ${f(med(reservedRuns))} ms, p99 ${f(q(reservedRuns, 0.99))} ms (VM, vCPU and the snapshot's pages prepared before the request, as a warm pool keeps them)`);
    console.log(
      `    harness clone, restore to first result: new monitor median ${f(med(engineRuns[0]))} ms (p99 ${f(q(engineRuns[0], 0.99))}); reserved-monitor pool median ${f(med(engineRuns[4]))} ms (p99 ${f(q(engineRuns[4], 0.99))}): ratio ${(med(engineRuns[4]) / med(engineRuns[0])).toFixed(2)}`,
    );
    console.log(`    cold boot, no snapshot at all   median ${f(med(fromNothing))} ms (${colds} runs): ${(med(fromNothing) / best).toFixed(1)}x the best restore`);
    console.log(`    cold start from the base image  median ${f(med(fromBase))} ms (the harness's cold starts)`);
    if (accel === 'kvm') {
      console.log(`    target: median <= 3 ms on kvm: ${best <= 3 ? 'met' : `NOT met (${f(best)} ms)`} from a started monitor; ${med(reservedRuns) <= 3 ? 'met' : `NOT met (${f(med(reservedRuns))} ms)`} from a reserved one`);
    }
    console.log(`    restore faster than a cold boot: ${best < med(fromNothing) ? 'yes' : 'NO'}`);
  }
}
console.log(`\n(${availableParallelism()} cores; microvm restores verify the RAM checksum on the first restore of a file, then the header only)`);
