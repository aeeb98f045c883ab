#!/usr/bin/env node
// The SnapStart article's example, for real: boot the demo guest (it makes a sandbox id at init
// from a userspace PRNG), snapshot it at READY, restore clones, and show side by side which
// values the clones share (init state) and which vmgenid makes unique (the guest RNG).
import { runDemo } from '../dist/internal.js';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(`usage: vmm-demo [--clones N] [--accel kvm|tcg|auto]

Boots vmm-core's demo guest, snapshots it after init, restores N clones (default 4) with
vmgenid 'fresh' and again with 'same', and prints what each clone returned.`);
  process.exit(0);
}
function option(name, fallback) {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
}
try {
  const out = await runDemo({ clones: Number(option('--clones', '4')), accel: option('--accel', 'auto') });
  process.stdout.write(out);
} catch (err) {
  console.error(`vmm-demo: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
}
