/**
 * Reserved monitors for one snapshot: a small pool of vmm-core `ReservedVm`s (VM, vCPU and the
 * snapshot's pages prepared ahead), so that a clone's restore only copies RAM and sets the vCPU
 * state (measured in bench/microvm.bench.js). Filled when the snapshot is taken, and refilled in
 * the background each time a clone takes one, while that clone runs. A clone that finds the pool
 * empty (more clones at once than the pool holds) restores into a fresh monitor, as before.
 */
import { reserve, restore, type AcceleratorName, type MicroVm, type ReservedVm, type VmgenidMode } from '@snapstart/vmm-core';

/** Reserved monitors kept ready per snapshot under kvm (the harness's default run restores 4 clones at once). */
export const DEFAULT_RESERVE_POOL = 4;

export class ReservePool {
  private readonly ready: Array<Promise<ReservedVm | undefined>> = [];
  private closed = false;

  constructor(
    private readonly file: string,
    private readonly accel: AcceleratorName,
    private readonly vmgenid: VmgenidMode,
    private readonly size: number,
  ) {
    this.fill();
  }

  /** Whether its monitors restore with this vmgenid mode, and it keeps this many ready. */
  serves(vmgenid: VmgenidMode, size: number): boolean {
    return this.vmgenid === vmgenid && this.size === size;
  }

  private fill(): void {
    while (!this.closed && this.ready.length < this.size) {
      // A reservation that fails (no memory, a monitor that died) only means a slower restore.
      this.ready.push(reserve(this.file, { accel: this.accel, vmgenid: this.vmgenid }).catch(() => undefined));
    }
  }

  /** A clone: restored into a reserved monitor when one is ready or being prepared, else into a new one. */
  async restore(): Promise<MicroVm> {
    const next = this.ready.shift();
    this.fill();
    const reserved = next ? await next : undefined;
    if (reserved) {
      try {
        return await reserved.restore();
      } catch {
        await reserved.close().catch(() => {});
      }
    }
    // `copy`: a clone's RAM in private huge pages, as reserved monitors have it (3x faster first
    // invocation under kvm than copy-on-write, bench/microvm).
    return restore(this.file, { accel: this.accel, vmgenid: this.vmgenid, memory: 'copy' });
  }

  /** Ends the reserved monitors no clone took. */
  async close(): Promise<void> {
    this.closed = true;
    const pending = this.ready.splice(0);
    await Promise.all(pending.map(async (p) => (await p)?.close().catch(() => {})));
  }
}
