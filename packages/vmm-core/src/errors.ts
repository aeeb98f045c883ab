/**
 * Everything vmm-core throws. A guest that crashes, hangs or exits ends only its own VM; the
 * error says why, where (RIP, vector, faulting address) and what the guest printed last.
 */
export class VmmError extends Error {
  constructor(
    message: string,
    /** The monitor's stderr tail or other detail, when there is any. */
    readonly details?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The requested accelerator cannot run here (no /dev/kvm, native parts not built, …). */
export class AcceleratorUnavailableError extends VmmError {
  constructor(
    readonly accelerator: string,
    readonly reason: string,
  ) {
    super(`${accelerator} accelerator unavailable: ${reason}`);
  }
}

export interface GuestStop {
  /** Where the guest stopped (the faulting instruction, or where the watchdog found it). */
  readonly rip: number;
  /** x86 exception vector, or -1 when the stop was not an exception. */
  readonly vector: number;
  /** Faulting address for page faults (vector 14). */
  readonly address?: number;
  /** The last lines the guest wrote to its console. */
  readonly consoleTail: readonly string[];
}

function describe(message: string, stop: GuestStop): string {
  const tail = stop.consoleTail.length ? `\nlast console lines:\n  ${stop.consoleTail.join('\n  ')}` : '';
  return `${message}${tail}`;
}

/** The guest crashed (CPU exception), broke the hypercall ABI, or aborted. The VM is dead. */
export class GuestFaultError extends VmmError implements GuestStop {
  readonly rip: number;
  readonly vector: number;
  readonly address?: number;
  readonly consoleTail: readonly string[];
  constructor(
    readonly reason: string,
    stop: GuestStop,
  ) {
    super(describe(`guest fault: ${reason}`, stop));
    this.rip = stop.rip;
    this.vector = stop.vector;
    if (stop.address !== undefined) this.address = stop.address;
    this.consoleTail = stop.consoleTail;
  }
}

/** The guest did not reach READY or return a result within its time budget. The VM is dead. */
export class GuestTimeoutError extends VmmError implements GuestStop {
  readonly rip: number;
  readonly vector = -1;
  readonly consoleTail: readonly string[];
  constructor(
    readonly timeoutMs: number,
    stop: GuestStop,
    reason: string,
  ) {
    super(describe(`guest timeout: ${reason}`, stop));
    this.rip = stop.rip;
    this.consoleTail = stop.consoleTail;
  }
}

/** The guest exited on purpose (exit hypercall). The VM is dead. */
export class GuestExitError extends VmmError {
  constructor(
    readonly status: number,
    readonly consoleTail: readonly string[],
  ) {
    super(describe(`guest exited with status ${status}`, { rip: 0, vector: -1, consoleTail }));
  }
}

/** A snapshot file that is truncated, corrupted, of another version or another layout. */
export class SnapshotFormatError extends VmmError {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(reason);
  }
}
