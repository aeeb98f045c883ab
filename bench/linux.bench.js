// Benchmark (issue #18): the harness's linux engine VM layer — a stock Debian kernel under QEMU,
// an initramfs guest (busybox) whose request to the in-guest relay is pending at the snapshot,
// as a Lambda runtime client's `restore/next` is.
//   boot + init: QEMU start until the guest's request arrives (what precedes a snapshot);
//   snapshot: time and sizes (device-state stream, RAM file);
//   restore to first result: LinuxVm.restore() called until the guest's first output after the
//     clone's host answered the pending request (nc in the guest prints the answer) (QEMU start, device state, RAM mapped,
//     resume, clock set, answer, guest runs) — median/p99 over BENCH_LINUX_N >= 20 clones, one
//     at a time; clones/s with 1 and 2 at a time;
//   private memory per clone: QEMU's Pss and Private_* from /proc/<pid>/smaps_rollup after the result;
//   prepared clone: the same from LinuxVm.prepare()'d clones (QEMU started, device state loaded:
//     what a warm pool keeps ready), timing resume() to the first result;
//   RAM size: restores with file-backed RAM (mapped privately, the default) at 256 and 1024 MiB,
//     and with QEMU's ordinary streamed migration (all RAM in the stream) as the baseline;
//   cold: boot until the same first result, without a snapshot (what the oracle's cold boots cost);
//   runtimes: the same pending request made by the host's CPython 3.11 and Node (no RIC), as the
//     engine's images carry them (L2's functions/runtimes.ts).
// Goals (issue 18): restore to first result <= 0.5 s on TCG, independent of guest RAM size.
// Needs qemu-system-x86, a kernel and busybox-static (packages/harness/scripts/setup-linux.sh).
import { availableParallelism, loadavg } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildGuestImage } from '../packages/harness/dist/engines/linux/image/index.js';
import { LinuxVm } from '../packages/harness/dist/engines/linux/vm/index.js';
import { nodeRuntime, pythonRuntime } from '../packages/harness/dist/engines/linux/functions/runtimes.js';
import { processMemory } from './proc-memory.js';

const N = Math.max(20, Number(process.env.BENCH_LINUX_N ?? 20));
const COLD = Math.max(2, Number(process.env.BENCH_LINUX_COLD ?? 3));
const q = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const med = (xs) => q(xs, 0.5);
const f = (ms) => (ms < 10 ? ms.toFixed(2) : ms < 1000 ? ms.toFixed(1) : ms.toFixed(0));
const mib = (b) => `${(b / 1048576).toFixed(1)} MiB`;

const SCRIPT = ["printf 'GET /restore/next HTTP/1.0\\r\\n\\r\\n' | nc 127.0.0.1 9001", 'sleep 600'].join('\n');
// The same request from a real runtime (the host's CPython and Node, as the engine carries them;
// no runtime client: this measures the VM layer resuming a runtime process).
const PY = "import urllib.request, time\nr = urllib.request.urlopen('http://127.0.0.1:9001/restore/next')\nprint(r.read().decode().strip(), flush=True)\ntime.sleep(600)";
const JS = "require('http').get('http://127.0.0.1:9001/restore/next', (r) => { let b = ''; r.on('data', (d) => (b += d)); r.on('end', () => { console.log(b.trim()); setTimeout(() => {}, 600000); }); });";
/** What the clone's host answers: a whole HTTP response (nc prints it, the runtimes parse it). */
const ANSWER = 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\ngo\n';

let image;
const runtimeImages = [];
try {
  image = await buildGuestImage({ name: 'bench-busybox', trees: [], command: ['/bin/sh', '-c', SCRIPT], env: {}, cwd: '/' });
} catch (e) {
  console.log(`linux engine bench skipped: ${e.message}`);
  process.exit(0);
}
for (const [label, make, args, memoryMb] of [
  ['CPython 3.11', () => pythonRuntime('/nonexistent'), ['-c', PY], 256],
  [`Node ${process.version}`, () => nodeRuntime('/nonexistent'), ['-e', JS], 768],
]) {
  try {
    const rt = make();
    const img = await buildGuestImage({ name: `bench-${rt.label}`, trees: rt.trees, elves: rt.elves, extraLibraries: rt.extraLibraries, command: [rt.program, ...args], env: {}, cwd: '/' });
    runtimeImages.push({ label, image: img, memoryMb });
  } catch (e) {
    console.log(`linux engine bench: ${label} skipped: ${e.message}`);
  }
}
const dir = mkdtempSync(join(tmpdir(), 'linux-bench-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

/** Resolves with the time (from `t0`) of the guest's first output after the answer: `go`, printed by nc in the guest. */
function resultWaiter(t0) {
  let resolve;
  const p = new Promise((r) => (resolve = r));
  return { p, onLog: (l) => l.text === 'go' && resolve(performance.now() - t0) };
}

/** Boots; resolves when the guest's request is pending (the snapshot point). */
async function bootToRequest(image, memoryMb, fileBackedRam) {
  const t0 = performance.now();
  let got;
  const request = new Promise((r) => (got = r));
  const vm = await LinuxVm.boot(image, { accel: process.env.BENCH_LINUX_ACCEL ?? 'auto', memoryMb, fileBackedRam, onConnection: (s) => s.once('data', () => got()) });
  await request;
  return { vm, ms: performance.now() - t0 };
}

/** `prepared`: QEMU started and device state loaded before the clock starts (a warm pool). */
async function restoreOnce(image, file, prepared = false) {
  let t0 = performance.now();
  let w = resultWaiter(t0);
  const options = { vmgenid: 'fresh', onLog: (l) => w.onLog(l), onConnection: (s) => s.once('data', () => s.end(ANSWER)) };
  let vm;
  if (prepared) {
    const paused = await LinuxVm.prepare(image, file, options);
    t0 = performance.now();
    w = resultWaiter(t0);
    vm = await paused.resume();
  } else vm = await LinuxVm.restore(image, file, options);
  const ms = await w.p;
  const mem = processMemory(vm.pid);
  const timings = vm.restoreTimings;
  await vm.close();
  return { ms, mem, timings };
}

async function cold(memoryMb) {
  const t0 = performance.now();
  const w = resultWaiter(t0);
  const vm = await LinuxVm.boot(image, { accel: process.env.BENCH_LINUX_ACCEL ?? 'auto', memoryMb, fileBackedRam: false, onLog: w.onLog, onConnection: (s) => s.once('data', () => s.end(ANSWER)) });
  const ms = await w.p;
  await vm.close();
  return ms;
}

console.log(`\nlinux engine VM layer: busybox guest, ${N} clones per configuration, ${availableParallelism()} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
// Configurations are measured round-robin (clone i of each, then clone i+1 …) so that they share
// the machine's load alike: their ratios hold even on a busy machine.
const configs = [
  { image, guest: 'busybox', memoryMb: 256, fileBackedRam: true },
  { image, guest: 'busybox', memoryMb: 1024, fileBackedRam: true },
  { image, guest: 'busybox', memoryMb: 256, fileBackedRam: false },
  ...runtimeImages.map((r) => ({ image: r.image, guest: r.label, memoryMb: r.memoryMb, fileBackedRam: true })),
];
for (const [i, c] of configs.entries()) {
  c.label = `${c.guest}, ${c.memoryMb} MiB, ${c.fileBackedRam ? 'file-backed RAM' : 'streamed RAM'}`;
  c.file = join(dir, `snap-${i}`);
  const { vm, ms } = await bootToRequest(c.image, c.memoryMb, c.fileBackedRam);
  c.accel = vm.accel;
  c.bootMs = ms;
  c.snap = await vm.snapshot(c.file);
  c.runs = [];
}
const warm = [];
const colds = [];
for (let i = 0; i < N; i++) {
  for (const c of configs) c.runs.push(await restoreOnce(c.image, c.file));
  warm.push((await restoreOnce(image, configs[0].file, true)).ms);
  if (i < COLD) colds.push(await cold(256));
}
for (const c of configs) {
  // Throughput: 2 clones at a time (the machine's cores), restore to result and close.
  const t0 = performance.now();
  for (let i = 0; i < N; i += 2) await Promise.all([restoreOnce(c.image, c.file), restoreOnce(c.image, c.file)]);
  c.pairRate = (Math.ceil(N / 2) * 2) / ((performance.now() - t0) / 1000);
}
for (const c of configs) {
  const ms = c.runs.map((r) => r.ms);
  c.med = med(ms);
  const seqRate = N / (ms.reduce((a, b) => a + b, 0) / 1000);
  console.log(`  ${c.label} (${c.accel})`);
  console.log(`    boot + init to the pending request ${f(c.bootMs)} ms; snapshot ${f(c.snap.ms)} ms: stream ${mib(c.snap.bytes)}${c.snap.ramBytes ? ` + RAM file ${mib(c.snap.ramBytes)} (${mib(c.snap.ramDiskBytes)} on disk)` : ''}`);
  console.log(`    restore to first result median ${f(c.med)} ms, p99 ${f(q(ms, 0.99))} ms (QEMU start ${f(med(c.runs.map((r) => r.timings.spawn)))} ms, device state ${f(med(c.runs.map((r) => r.timings.migrate)))} ms, resume + clock ${f(med(c.runs.map((r) => r.timings.clock)))} ms)`);
  if (c === configs[0]) console.log(`    from a prepared clone (QEMU started, device state loaded, paused): resume to first result median ${f(med(warm))} ms, p99 ${f(q(warm, 0.99))} ms`);
  console.log(`    clones/s ${seqRate.toFixed(2)} one at a time (restore to result), ${c.pairRate.toFixed(2)} two at a time (incl. close)`);
  console.log(`    QEMU memory per clone: Pss ${mib(med(c.runs.map((r) => r.mem.pss)))}, private ${mib(med(c.runs.map((r) => r.mem.priv)))}, Rss ${mib(med(c.runs.map((r) => r.mem.rss)))}`);
}
const [base, big, streamed] = configs;
console.log(`  cold boot to the same first result (256 MiB, no snapshot) median ${f(med(colds))} ms (${colds.length} runs): ${(med(colds) / base.med).toFixed(1)}x the restore`);
console.log(`  streamed RAM / file-backed (256 MiB): restore ${(streamed.med / base.med).toFixed(2)}x, snapshot ${(streamed.snap.ms / base.snap.ms).toFixed(1)}x, private memory ${(med(streamed.runs.map((r) => r.mem.priv)) / med(base.runs.map((r) => r.mem.priv))).toFixed(1)}x; 1024 / 256 MiB file-backed: restore ${(big.med / base.med).toFixed(2)}x`);
console.log(`  goal restore to first result <= 500 ms on TCG: ${base.med <= 500 ? 'met' : 'NOT met'} (${f(base.med)} ms; ${f(med(warm))} ms from a prepared clone); independent of RAM size: ${big.med <= base.med * 1.2 ? 'yes' : 'NO'} (${f(big.med)} ms at 1024 MiB); load average now ${loadavg()[0].toFixed(1)}`);
