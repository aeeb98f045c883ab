import type { Duplex } from 'node:stream';

import type { AcceleratorChoice, VmgenidMode } from '@snapstart/vmm-core';

/** The same choice as the microvm engine's: `kvm`, `tcg` or `auto`. */
export type LinuxAccel = AcceleratorChoice;
/**
 * The same modes as the microvm engine's. `fresh`: every clone gets a new VM generation ID (Linux
 * reseeds its RNG on the change); `same`: clones keep the builder's ID (the kernel sees no change);
 * `none`: no vmgenid device at all. `none` must be chosen at boot: a snapshot taken with the
 * device can only be restored with it, and the other way round.
 */
export type { VmgenidMode };

/** A line the guest's runtime wrote to stdout or stderr. */
export interface GuestLog {
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
  /** Host time (ms since the epoch) when the line reached the host. */
  readonly at: number;
}

export interface VmHandlers {
  /**
   * A TCP connection the guest made to 127.0.0.1:9001 (or, after a restore, one that was open
   * when the snapshot was taken: its unanswered bytes are replayed first). Give it to an
   * `http.Server` with `server.emit('connection', stream)`.
   */
  readonly onConnection?: (stream: Duplex) => void;
  readonly onLog?: (log: GuestLog) => void;
  /** The guest's command exited (code, or 128 + signal). */
  readonly onExit?: (code: number) => void;
}

export interface BootOptions extends VmHandlers {
  readonly accel?: LinuxAccel;
  /** `none` boots without the vmgenid device (clones of its snapshot then have none either). */
  readonly vmgenid?: VmgenidMode;
  /** Guest RAM in MiB (default 256). */
  readonly memoryMb?: number;
  /** Added to (and overriding) the image's environment for this boot only. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Guest RAM in a file (default true): the snapshot then writes only device state, and clones map
   * the RAM file privately (copy-on-write), so a restore reads only the pages it touches. `false`:
   * anonymous RAM, streamed whole into the snapshot and read whole by every clone (QEMU's usual
   * migration; the benchmark's baseline).
   */
  readonly fileBackedRam?: boolean;
  /** Give up if the guest's relay has not said hello by then (default 180 000 ms). */
  readonly bootTimeoutMs?: number;
  /** The one-line notes (accelerator fallback) go here; default: stderr. */
  readonly note?: (line: string) => void;
}

export interface RestoreOptions extends VmHandlers {
  readonly accel?: LinuxAccel;
  readonly vmgenid?: VmgenidMode;
  /** Wall clock to give the guest (ms since the epoch); default: the host's now at resume. */
  readonly clockMs?: number;
  readonly restoreTimeoutMs?: number;
  readonly note?: (line: string) => void;
}

/** What `vm.snapshot()` wrote; `LinuxVm.restore` needs only `file`. */
export interface SnapshotInfo {
  /** The device-state stream (QEMU migration format); `${file}.ram` holds the guest RAM and `${file}.json` the rest. */
  readonly file: string;
  /** Size of the migration stream (without RAM when RAM is file-backed). */
  readonly bytes: number;
  /** Size of the guest RAM file (0 when RAM went into the stream). */
  readonly ramBytes: number;
  /** Disk space the RAM file takes (it is sparse: pages the guest never touched take none). */
  readonly ramDiskBytes: number;
  readonly ms: number;
  /** Guest connections open at the snapshot, with the bytes the host had not answered yet. */
  readonly connections: readonly { readonly id: number; readonly pendingBytes: number }[];
}

/** Frame types of the relay protocol (see src/runtime/linux/relay.c, which has the same table). */
export const Frame = {
  HELLO: 1,
  OPEN: 2,
  DATA: 3,
  CLOSE: 4,
  LOG: 5,
  EXIT: 6,
  START: 16,
  CLOCK: 17,
  CLOCK_ACK: 18,
  SYNC: 19,
  SYNC_ACK: 20,
} as const;

/**
 * A running guest (implemented by `LinuxVm` in qemu.ts):
 * `LinuxVm.boot(image, options)` resolves once the relay in the guest said hello and the image's
 * command was started (with `options.env` added); `LinuxVm.restore(image, snapshotFile, options)`
 * resolves once the clone runs, its wall clock was set, and the connections open at the snapshot
 * were handed to `onConnection` (with their unanswered bytes replayed).
 */
export interface GuestVm {
  /** The generation ID the VM got (undefined with `vmgenid: 'none'`). */
  readonly vmgenid: string | undefined;
  readonly accel: 'kvm' | 'tcg';
  /**
   * Pauses the guest and writes its state; the VM is then closed (its RAM file became the
   * snapshot's, so it must never run again — exactly like Lambda's builder).
   */
  snapshot(file: string): Promise<SnapshotInfo>;
  /** Kills QEMU and removes its temporary files (also done when the harness exits). */
  close(): Promise<void>;
}
