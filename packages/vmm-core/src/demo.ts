import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AcceleratorChoice } from './accelerators.js';
import { guests } from './native.js';
import { bootVm, restoreClones, type VmgenidMode } from './vm.js';

interface DemoResult {
  sandboxId: string;
  userspaceRandom: string;
  requestId: string;
  generation: number;
}

export interface DemoOptions {
  readonly clones?: number;
  readonly accel?: AcceleratorChoice;
}

/** Runs the article demo and returns the printed report (see bin/vmm-demo.js). */
export async function runDemo(options: DemoOptions = {}): Promise<string> {
  const count = options.clones ?? 4;
  const dir = mkdtempSync(join(tmpdir(), 'vmm-demo-'));
  const lines: string[] = [];
  try {
    const vm = await bootVm({ guest: guests.demo, accel: options.accel ?? 'auto', ramMiB: 32 });
    const path = join(dir, 'demo.snap');
    const snap = await vm.snapshot(path);
    await vm.close();
    lines.push(
      `booted the demo guest on ${vm.accel}${vm.accelNote ? ` (${vm.accelNote})` : ''} in ${(vm.startUs / 1000).toFixed(1)} ms; ` +
        `snapshot: ${(snap.dataBytes / 1024).toFixed(0)} KiB of RAM in a ${(snap.fileBytes / 1048576).toFixed(0)} MiB sparse file`,
      '',
    );
    for (const mode of ['fresh', 'same'] as VmgenidMode[]) {
      const clones = await restoreClones(path, count, { accel: vm.accel, vmgenid: mode });
      const results = await Promise.all(clones.map(async (c) => (await c.invoke({})).json<DemoResult>()));
      await Promise.all(clones.map((c) => c.close()));
      lines.push(`${count} clones restored with vmgenid '${mode}':`);
      lines.push('  clone  sandboxId (init, userspace PRNG)      userspaceRandom   requestId (guest RNG)');
      results.forEach((r, i) => lines.push(`  ${String(i).padEnd(5)}  ${r.sandboxId}  ${r.userspaceRandom}  ${r.requestId}`));
      const unique = (key: keyof DemoResult): number => new Set(results.map((r) => r[key])).size;
      lines.push(
        `  distinct: sandboxId ${unique('sandboxId')}/${count}, userspaceRandom ${unique('userspaceRandom')}/${count}, ` +
          `requestId ${unique('requestId')}/${count}`,
        '',
      );
    }
    lines.push(
      'Init state (the sandbox id and the userspace PRNG) is the same in every clone whatever vmgenid does;',
      'the guest RNG reseeds on a new generation ID, so only a fresh vmgenid makes request ids unique.',
      '',
    );
    return lines.join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
