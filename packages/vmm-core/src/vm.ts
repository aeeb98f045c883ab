/**
 * The TypeScript API of a microVM: boot a guest, invoke it, snapshot it, restore clones (new, or
 * into a reserved warm monitor). Each VM is one monitor process (monitor.ts); its error frames
 * become typed errors in error-frame.ts. The harness's microvm engine builds on this.
 * See docs/vmm.md, "Using it from TypeScript".
 */
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { hostInfo, resolveAccelerator, type AcceleratorChoice, type AcceleratorName } from './accelerators.js';

/** What `resolveAccelerator` answers: the accelerator used, and why `auto` did not pick kvm. */
type ResolvedAccelerator = Awaited<ReturnType<typeof resolveAccelerator>>;
import { VmmError } from './errors.js';
import { errorFromFrame as toError } from './error-frame.js';
import { MonitorProcess, type Frame } from './monitor.js';

export type VmgenidMode = 'fresh' | 'same' | 'none';
export type MemoryMode = 'cow' | 'copy';

export interface VmOptions {
  /** `auto` (default): kvm when /dev/kvm works here, else tcg; `vm.accelNote` says why. */
  readonly accel?: AcceleratorChoice;
  /** Called with console text as the guest flushes it. */
  readonly onConsole?: (text: string) => void;
  /** Use this monitor binary (e.g. the ASan build) instead of the default. */
  readonly monitorBinary?: string;
}

export interface BootOptions extends VmOptions {
  /** Path of the guest ELF image (see `guests`). */
  readonly guest: string;
  /** Guest RAM in MiB: a multiple of 2 from 8 to 1024. Default 64. */
  readonly ramMiB?: number;
  /** Boot-time payload the guest reads during init (e.g. a JavaScript bundle). */
  readonly init?: Buffer | string;
  /** Time limit from boot to READY. Default 30 s. */
  readonly bootTimeoutMs?: number;
}

export interface RestoreOptions extends VmOptions {
  /** `fresh` (default): a new generation ID, as on SnapStart; `same`: the snapshot's ID;
   * `none`: no vmgenid device (a guest kernel without vmgenid support). */
  readonly vmgenid?: VmgenidMode;
  /** `cow` (default): map the snapshot copy-on-write; `copy`: read it into private memory
   * (2 MiB-aligned, transparent huge pages where the host allows: faster first invocation). */
  readonly memory?: MemoryMode;
  /**
   * RAM checksum: `full` checks it on this restore; `header` trusts an earlier check (the header,
   * its checksum, the sizes and the holes are always checked); `auto` (default) checks it the
   * first time this process restores a given file (same device, inode, size and mtime).
   */
  readonly verify?: 'auto' | 'full' | 'header';
}

const verifiedFiles = new Set<string>();

/** What `verify: 'auto'` means for this file now: `full` the first time this process restores it. */
function verifyMode(path: string, option: RestoreOptions['verify']): { identity: string | undefined; verify: 'full' | 'header' } {
  const identity = fileIdentity(path);
  const mode = option ?? 'auto';
  return { identity, verify: mode === 'auto' ? (identity && verifiedFiles.has(identity) ? 'header' : 'full') : mode };
}

function fileIdentity(path: string): string | undefined {
  try {
    const st = statSync(path);
    return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
  } catch {
    return undefined;
  }
}

export interface InvokeOptions {
  /** The guest's time budget for this request. Default 10 s. */
  readonly timeoutMs?: number;
}

export interface InvokeResult {
  readonly output: Buffer;
  /** Console text the guest wrote during this invocation. */
  readonly console: string;
  /** Time inside the monitor from request to result. */
  readonly runUs: number;
  /** Hypercall exits during the invocation (1 when the console did not overflow). */
  readonly exits: number;
  text(): string;
  json<T = unknown>(): T;
}

export interface SnapshotInfo {
  readonly path: string;
  /** Apparent file size (header + all of guest RAM). */
  readonly fileBytes: number;
  /** Non-zero RAM actually stored (the file is sparse). */
  readonly dataBytes: number;
  readonly extents: number;
  readonly writeUs: number;
}

export interface VmMemory {
  /** Resident private memory of the whole monitor process (smaps_rollup Anonymous), KiB. */
  readonly privateKiB: number;
  /** Private (copied or written) pages of guest RAM, KiB. */
  readonly guestPrivateKiB: number;
  readonly rssKiB: number;
}

const CONSOLE_KEEP = 256 * 1024;

/** A running microVM: one monitor process, one vCPU. */
export class MicroVm {
  /** All console output so far (the last 256 KiB). */
  console = '';
  private invokeConsole = '';
  private dead = false;
  private closed = false;

  private constructor(
    private readonly monitor: MonitorProcess,
    readonly accel: AcceleratorName,
    /** Why `auto` did not choose kvm, when it did not. */
    readonly accelNote: string | undefined,
    /** Monitor-side time to boot (to READY) or to restore (before the first instruction). */
    readonly startUs: number,
    /** Host address of guest RAM inside the monitor, to find it in /proc/PID/smaps. */
    private readonly ramAddress: string,
    onConsole: ((text: string) => void) | undefined,
  ) {
    monitor.onConsole = (text) => {
      this.console = (this.console + text).slice(-CONSOLE_KEEP);
      this.invokeConsole += text;
      onConsole?.(text);
    };
  }

  get pid(): number | undefined {
    return this.monitor.pid;
  }

  /**
   * @internal Sends `boot`/`restore` to a new monitor, or to `reserved` (a monitor already holding
   * a reservation, and its accelerator), and wraps the VM it answers with.
   */
  static async start(
    kind: 'boot' | 'restore',
    fields: Record<string, string | number>,
    payload: Buffer | undefined,
    options: VmOptions,
    context: { path?: string; safetyMs: number },
    reserved?: { readonly monitor: MonitorProcess; readonly accel: ResolvedAccelerator },
  ): Promise<MicroVm> {
    const accel = reserved?.accel ?? (await resolveAccelerator(options.accel ?? 'auto'));
    const monitor = reserved?.monitor ?? new MonitorProcess(options.monitorBinary);
    const host = await hostInfo();
    let early = '';
    monitor.onConsole = (text) => {
      early += text;
      options.onConsole?.(text);
    };
    let frame: Frame;
    try {
      frame = await monitor.request(kind, { ...fields, accel: accel.name, 'tsc-khz': host.tscKhz }, payload, context.safetyMs);
    } catch (err) {
      monitor.kill();
      throw err;
    }
    if (frame.verb === 'error') {
      await monitor.quit();
      throw toError(frame, early, context.path);
    }
    const startUs = Number(frame.fields['boot-us'] ?? frame.fields['restore-us'] ?? 0);
    const vm = new MicroVm(monitor, accel.name, accel.note, startUs, (frame.fields['ram-addr'] ?? '').replace(/^0+(?=.)/, ''), options.onConsole);
    vm.console = early;
    return vm;
  }

  /** Runs one request in the guest. A guest fault or timeout kills this VM and throws. */
  async invoke(event: Buffer | string | object, options: InvokeOptions = {}): Promise<InvokeResult> {
    this.assertUsable();
    const timeoutMs = options.timeoutMs ?? 10_000;
    const payload = Buffer.isBuffer(event) ? event : Buffer.from(typeof event === 'string' ? event : JSON.stringify(event));
    this.invokeConsole = '';
    const frame = await this.monitor.request('invoke', { 'timeout-ms': timeoutMs }, payload, timeoutMs + 30_000);
    if (frame.verb === 'error') {
      this.dead = true;
      throw toError(frame, this.console);
    }
    const output = frame.payload ?? Buffer.alloc(0);
    return {
      output,
      console: this.invokeConsole,
      runUs: Number(frame.fields['run-us']),
      exits: Number(frame.fields.exits),
      text: () => output.toString('utf8'),
      json: <T>() => JSON.parse(output.toString('utf8')) as T,
    };
  }

  /** Writes a snapshot of this VM (which must be waiting for a request) to `path`, mode 0600. */
  async snapshot(path: string): Promise<SnapshotInfo> {
    this.assertUsable();
    const absolute = resolvePath(path);
    const frame = await this.monitor.request('snapshot', { path: absolute });
    if (frame.verb === 'error') throw toError(frame, this.console);
    return {
      path: absolute,
      fileBytes: Number(frame.fields['file-bytes']),
      dataBytes: Number(frame.fields['data-bytes']),
      extents: Number(frame.fields.extents),
      writeUs: Number(frame.fields['write-us']),
    };
  }

  /** Memory this VM costs: the monitor's private pages and the guest RAM pages it copied. */
  async memory(): Promise<VmMemory> {
    const pid = this.monitor.pid;
    if (!pid || !this.monitor.alive) throw new VmmError('the VM is closed');
    const smaps = await readFile(`/proc/${pid}/smaps`, 'utf8');
    let privateKiB = 0;
    let rssKiB = 0;
    let guestPrivateKiB = 0;
    let inGuestRam = false;
    for (const line of smaps.split('\n')) {
      const range = /^([0-9a-f]+)-[0-9a-f]+ /.exec(line);
      if (range) {
        inGuestRam = range[1] === this.ramAddress;
        continue;
      }
      const m = /^(\w+):\s+(\d+) kB/.exec(line);
      if (!m) continue;
      const kib = Number(m[2]);
      if (m[1] === 'Anonymous') {
        privateKiB += kib;
        if (inGuestRam) guestPrivateKiB = kib;
      } else if (m[1] === 'Rss') rssKiB += kib;
    }
    return { privateKiB, guestPrivateKiB, rssKiB };
  }

  /** Ends the VM and its monitor process; releases every resource it held. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.monitor.quit();
    const exit = await this.monitor.exited;
    if (exit.code !== 0) {
      const why = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
      throw new VmmError(`vmm-monitor ${why} while closing`, this.monitor.stderrText().trim() || undefined);
    }
  }

  private assertUsable(): void {
    if (this.closed) throw new VmmError('the VM is closed');
    if (this.dead) throw new VmmError('the VM has stopped after an earlier guest fault or timeout; restore or boot a new one');
  }
}

/** Boots a guest image and runs its init up to READY. */
export async function bootVm(options: BootOptions): Promise<MicroVm> {
  const init = options.init === undefined ? undefined : Buffer.isBuffer(options.init) ? options.init : Buffer.from(options.init);
  const bootTimeoutMs = options.bootTimeoutMs ?? 30_000;
  return MicroVm.start(
    'boot',
    { elf: resolvePath(options.guest), 'ram-mib': options.ramMiB ?? 64, 'timeout-ms': bootTimeoutMs },
    init,
    options,
    { safetyMs: bootTimeoutMs + 30_000 },
  );
}

/** Restores one microVM from a snapshot file. The guest resumes at its next request. */
export async function restore(path: string, options: RestoreOptions = {}): Promise<MicroVm> {
  const absolute = resolvePath(path);
  const { identity, verify } = verifyMode(absolute, options.verify);
  const vm = await MicroVm.start(
    'restore',
    { path: absolute, vmgenid: options.vmgenid ?? 'fresh', memory: options.memory ?? 'cow', verify },
    undefined,
    options,
    { path: absolute, safetyMs: 60_000 },
  );
  if (verify === 'full' && identity) verifiedFiles.add(identity);
  return vm;
}

/**
 * A monitor made ready for one snapshot, as a warm pool keeps it: the VM and its vCPU exist and
 * the guest RAM pages the snapshot fills are allocated and faulted in (zeroed by the kernel). Its
 * `restore()` then only copies the snapshot's RAM into them and sets the vCPU state — the part of
 * a restore that depends on the request. Memory is always `copy` (private, huge pages).
 */
export class ReservedVm {
  private state: 'ready' | 'used' | 'closed' = 'ready';

  private constructor(
    private readonly monitor: MonitorProcess,
    private readonly accelChoice: ResolvedAccelerator,
    readonly path: string,
    /** Monitor-side time the reservation took (allocation, page faults, VM and vCPU creation). */
    readonly reserveUs: number,
    /** Guest RAM faulted in ahead of the restore: the snapshot's non-zero pages. */
    readonly prefaultedBytes: number,
    private readonly options: Omit<RestoreOptions, 'memory'>,
  ) {}

  get accel(): AcceleratorName {
    return this.accelChoice.name;
  }

  /** @internal */
  static async create(path: string, options: Omit<RestoreOptions, 'memory'>): Promise<ReservedVm> {
    const absolute = resolvePath(path);
    const accel = await resolveAccelerator(options.accel ?? 'auto');
    const monitor = new MonitorProcess(options.monitorBinary);
    let frame: Frame;
    try {
      frame = await monitor.request('reserve', { path: absolute, accel: accel.name }, undefined, 60_000);
    } catch (err) {
      monitor.kill();
      throw err;
    }
    if (frame.verb === 'error') {
      await monitor.quit();
      throw toError(frame, '', absolute);
    }
    return new ReservedVm(monitor, accel, absolute, Number(frame.fields['reserve-us']), Number(frame.fields['prefaulted-bytes']), options);
  }

  /**
   * Restores the snapshot into the reserved VM (once). The vmgenid mode is applied now, not at
   * reserve time, so a pool of reservations can serve restores of any mode: `vmgenid` here wins
   * over the one given to `reserve`.
   */
  async restore(options: { readonly vmgenid?: VmgenidMode } = {}): Promise<MicroVm> {
    if (this.state !== 'ready') throw new VmmError(`this reservation is ${this.state === 'used' ? 'already restored' : 'closed'}`);
    this.state = 'used';
    const { identity, verify } = verifyMode(this.path, this.options.verify);
    const vm = await MicroVm.start(
      'restore',
      { path: this.path, vmgenid: options.vmgenid ?? this.options.vmgenid ?? 'fresh', memory: 'copy', verify },
      undefined,
      this.options,
      { path: this.path, safetyMs: 60_000 },
      { monitor: this.monitor, accel: this.accelChoice },
    );
    if (verify === 'full' && identity) verifiedFiles.add(identity);
    return vm;
  }

  /** Ends the monitor if the reservation was never restored (a restored VM is closed through its MicroVm). */
  async close(): Promise<void> {
    if (this.state !== 'ready') return;
    this.state = 'closed';
    await this.monitor.quit();
  }
}

/** Prepares a monitor for restoring `path` later (see `ReservedVm`). */
export function reserve(path: string, options: Omit<RestoreOptions, 'memory'> = {}): Promise<ReservedVm> {
  return ReservedVm.create(path, options);
}

/** Restores `count` clones of one snapshot in parallel (one monitor process each). */
export async function restoreClones(path: string, count: number, options: RestoreOptions = {}): Promise<MicroVm[]> {
  if (!Number.isInteger(count) || count < 1 || count > 1024) throw new VmmError(`clone count must be an integer from 1 to 1024, got ${count}`);
  const settled = await Promise.allSettled(Array.from({ length: count }, () => restore(path, options)));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value.close().catch(() => {})] : [])));
    throw failed.reason;
  }
  return settled.map((s) => (s as PromiseFulfilledResult<MicroVm>).value);
}

/** Writes a snapshot of `vm` to `path` (the VM keeps running). */
export function snapshot(vm: MicroVm, path: string): Promise<SnapshotInfo> {
  return vm.snapshot(path);
}
