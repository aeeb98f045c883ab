// Timing helpers the scanner benchmarks share: CPU and wall time of one call, and interleaved
// rounds of a baseline and the code under test (so machine noise hits both alike), as medians.

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** CPU (user + system) and wall milliseconds of `fn()`, sync or async, with its value. */
export function timed(fn) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const out = fn();
  const finish = (value) => {
    const cpu = process.cpuUsage(cpu0);
    return { wall: performance.now() - t0, cpu: (cpu.user + cpu.system) / 1000, value };
  };
  return out instanceof Promise ? out.then(finish) : finish(out);
}

/** `rounds` of baseline then subject, a GC before each; medians of both and the subject's last value. */
export async function interleaved(rounds, baseline, subject) {
  const base = [];
  const full = [];
  let last;
  for (let r = 0; r < rounds; r++) {
    globalThis.gc?.();
    base.push(await timed(baseline));
    globalThis.gc?.();
    const s = await timed(subject);
    full.push(s);
    last = s.value;
  }
  const medians = (xs) => ({ cpu: median(xs.map((x) => x.cpu)), wall: median(xs.map((x) => x.wall)) });
  return { b: medians(base), s: medians(full), last };
}
