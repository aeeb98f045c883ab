/**
 * The linux engine's VM: one QEMU process per guest (builder, cold boot or clone) with the same
 * command line each time, snapshots by QEMU migration to a RAM file plus `${snapshot}.json`, and
 * restore/prepare/resume with a new vmgenid and the relay channel's saved state (channel.ts).
 * Used by engines/linux/engine.ts. See docs/harness.md, "Linux engine internals".
 */
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { basename, dirname, join, resolve } from 'node:path';
import { ManagedProcess } from '../../../process.js';
import { createTempDir, removeTempDir } from '../../../temp.js';
import { requireQemu } from '../image/missing.js';
import type { GuestImage } from '../image/types.js';
import { chooseAccel } from './accel.js';
import { RelayChannel, type ChannelState } from './channel.js';
import { connectUnix, Qmp } from './qmp.js';
import { Frame, type BootOptions, type GuestVm, type RestoreOptions, type SnapshotInfo, type VmHandlers } from './types.js';

/** What `${snapshot}.json` holds: everything a clone needs besides the stream and the RAM file. */
interface SnapshotMeta {
  readonly version: 1;
  readonly imageHash: string;
  readonly accel: 'kvm' | 'tcg';
  readonly memoryMb: number;
  /** The builder's generation ID; null: booted without the vmgenid device. */
  readonly vmgenid: string | null;
  /** File name (next to the snapshot) of the guest RAM; null: RAM is in the migration stream. */
  readonly ramFile: string | null;
  readonly channel: ChannelState;
}

interface Layout {
  readonly accel: 'kvm' | 'tcg';
  readonly memoryMb: number;
  readonly vmgenid: string | undefined;
  /** File-backed guest RAM: shared by the builder (its pages become the snapshot), private in clones. */
  readonly ram: { readonly path: string; readonly share: boolean } | undefined;
  readonly incoming: boolean;
}

/** The same command line for the builder, cold boots and clones: migration needs the same devices. */
function qemuArgs(image: GuestImage, dir: string, l: Layout): string[] {
  const args = l.accel === 'kvm' ? ['-accel', 'kvm', '-cpu', 'host'] : ['-accel', 'tcg'];
  if (l.ram) {
    args.push('-M', 'q35,memory-backend=ram', '-m', String(l.memoryMb));
    args.push('-object', `memory-backend-file,id=ram,size=${l.memoryMb}M,mem-path=${l.ram.path},share=${l.ram.share ? 'on' : 'off'}`);
  } else args.push('-M', 'q35', '-m', String(l.memoryMb));
  args.push('-nodefaults', '-no-user-config', '-display', 'none', '-no-reboot');
  args.push('-kernel', image.kernel, '-initrd', image.initrd, '-append', 'console=ttyS0 quiet panic=-1');
  args.push('-serial', `file:${join(dir, 'console.log')}`);
  // SeaBIOS (q35's default firmware) handles vmgenid; the driver in the generic Debian kernel
  // reseeds the kernel RNG when the ID changes.
  if (l.vmgenid) args.push('-device', `vmgenid,id=vmgenid0,guid=${l.vmgenid}`);
  args.push('-device', 'virtio-serial-pci,id=vser0');
  args.push('-chardev', `socket,id=relay,path=${join(dir, 'relay.sock')},server=on,wait=off`);
  args.push('-device', 'virtserialport,bus=vser0.0,chardev=relay,name=snapstart.relay');
  args.push('-qmp', `unix:${join(dir, 'qmp.sock')},server=on,wait=off`);
  if (l.incoming) args.push('-incoming', 'defer');
  return args;
}

/**
 * What the guest's console says went wrong: the kernel's panic line and our init's and relay's
 * messages (they can scroll out of the tail), then the last lines.
 */
function consoleSummary(dir: string): string {
  const f = join(dir, 'console.log');
  if (!existsSync(f)) return '';
  const lines = readFileSync(f, 'utf8').trim().split('\n');
  const key = lines.filter((l) => /Kernel panic|snapstart (init|relay)|Initramfs unpacking failed|Out of memory/.test(l));
  const tail = lines.slice(-10);
  const shown = [...key.filter((l) => !tail.includes(l)), ...tail].join('\n').trim();
  return shown ? `\nguest console:\n${shown}` : '';
}

/** QEMU's exit error if it exits within a moment (a closed socket is usually QEMU going away). */
async function exitReason(proc: ManagedProcess, failed: Promise<never>): Promise<Error | undefined> {
  const settled = await Promise.race([failed.then(() => undefined, (e: Error) => e), new Promise<undefined>((r) => setTimeout(() => r(undefined), 1000).unref())]);
  return proc.running ? undefined : settled;
}

/** Single-quoted for the shell QEMU runs `exec:` migration commands with. */
const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Where the time of a restore went (ms), for the benchmark. */
export interface RestoreTimings {
  /** QEMU started, QMP and the channel connected. */
  readonly spawn: number;
  /** Device state loaded (and, without a RAM file, all RAM). */
  readonly migrate: number;
  /** Resumed, clock set (acknowledged by the guest). */
  readonly clock: number;
  /** restore() called (or prepare() called, if resumed at once) until the clock was set. */
  readonly total: number;
}

export class LinuxVm implements GuestVm {
  private closed = false;
  restoreTimings: RestoreTimings | undefined;
  /** Set by prepare(), consumed by resume(). */
  private paused: { readonly options: RestoreOptions; readonly timeoutMs: number; readonly spawn: number; readonly migrate: number } | undefined;

  private constructor(
    private readonly image: GuestImage,
    private readonly proc: ManagedProcess,
    private readonly qmp: Qmp,
    private readonly channel: RelayChannel,
    private readonly dir: string,
    private readonly layout: Layout,
    /** Rejects when QEMU exits (with its stderr and the guest console's last lines). */
    private readonly failed: Promise<never>,
  ) {}

  get vmgenid(): string | undefined {
    return this.layout.vmgenid;
  }
  get accel(): 'kvm' | 'tcg' {
    return this.layout.accel;
  }
  /** QEMU's process id (to measure its memory). */
  get pid(): number | undefined {
    return this.proc.child.pid;
  }
  /** The command's exit code once it exited. */
  get exitCode(): number | undefined {
    return this.channel.exitCode;
  }

  /** QEMU's own view of the generation ID (what the guest reads), by QMP. */
  async qemuVmgenid(): Promise<string | undefined> {
    if (!this.layout.vmgenid) return undefined;
    return this.qmp.command<string>('qom-get', { path: '/machine/peripheral/vmgenid0', property: 'guid' });
  }

  private static async start(image: GuestImage, layout: Omit<Layout, 'ram'> & { ram?: Layout['ram'] | 'new' }, handlers: VmHandlers, timeoutMs: number, saved?: ChannelState): Promise<LinuxVm> {
    const qemu = requireQemu();
    const dir = createTempDir('snapstart-linux-');
    const full: Layout = { ...layout, ram: layout.ram === 'new' ? { path: join(dir, 'ram'), share: true } : layout.ram };
    const proc = new ManagedProcess(qemu, qemuArgs(image, dir, full));
    const failed = proc.exited.then(({ code, signal }) => {
      throw new Error(`QEMU exited (${signal ?? `code ${code}`})${proc.stderr ? `: ${proc.stderr.trim()}` : ''}${consoleSummary(dir)}`);
    });
    failed.catch(() => undefined);
    const sockets: Socket[] = [];
    const keep = (s: Socket): Socket => {
      sockets.push(s);
      return s;
    };
    try {
      const alive = (): boolean => proc.running;
      const [qmpSocket, relaySocket] = await Promise.race([Promise.all([connectUnix(join(dir, 'qmp.sock'), timeoutMs, alive).then(keep), connectUnix(join(dir, 'relay.sock'), timeoutMs, alive).then(keep)]), failed]);
      const qmp = await Promise.race([Qmp.open(qmpSocket), failed]);
      const channel = new RelayChannel(relaySocket, handlers, saved);
      return new LinuxVm(image, proc, qmp, channel, dir, full, failed);
    } catch (e) {
      for (const s of sockets) s.destroy();
      // A socket reset is a symptom: if QEMU is exiting, its own message says why.
      const exitError = await exitReason(proc, failed);
      if (exitError) e = exitError;
      proc.kill();
      await proc.exited;
      removeTempDir(dir);
      throw e;
    }
  }

  private async within<T>(what: string, p: Promise<T>, ms: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer from the guest within ${ms} ms${this.consoleTail()}`)), ms);
    });
    try {
      return await Promise.race([p, this.failed, timeout]);
    } catch (e) {
      const exitError = await exitReason(this.proc, this.failed);
      await this.close();
      throw exitError ?? e;
    } finally {
      clearTimeout(timer);
    }
  }

  private consoleTail(): string {
    return consoleSummary(this.dir);
  }

  /**
   * Boots `image` and starts its command with `options.env` added. Resolves when the relay in the
   * guest said hello and the command was started.
   */
  static async boot(image: GuestImage, options: BootOptions = {}): Promise<LinuxVm> {
    const note = options.note ?? ((l: string) => process.stderr.write(`${l}\n`));
    const accel = await chooseAccel(options.accel ?? 'auto', requireQemu(), image.kernel, note);
    const timeoutMs = options.bootTimeoutMs ?? 180_000;
    const vmgenid = options.vmgenid === 'none' ? undefined : randomUUID();
    const vm = await LinuxVm.start(image, { accel, memoryMb: options.memoryMb ?? 256, vmgenid, ram: options.fileBackedRam === false ? undefined : 'new', incoming: false }, options, timeoutMs);
    await vm.within('booting the guest', vm.channel.wait(Frame.HELLO), timeoutMs);
    vm.channel.start(options.env ?? {});
    return vm;
  }

  /**
   * Pauses the guest and writes the snapshot: `file` (device state), `${file}.ram` (guest RAM,
   * which clones map privately: a restore reads only the pages it touches) and `${file}.json`.
   * The VM is closed afterwards: its RAM file is now the snapshot's.
   */
  async snapshot(file: string): Promise<SnapshotInfo> {
    const t0 = performance.now();
    file = resolve(file);
    try {
      // A guest that stopped answering would leave this waiting forever: bounded.
      await this.within('reaching the snapshot point', this.channel.freeze(), 60_000);
      await this.qmp.command('stop');
      const fileRam = this.layout.ram !== undefined;
      if (fileRam) await this.qmp.command('migrate-set-capabilities', { capabilities: [{ capability: 'x-ignore-shared', state: true }] });
      await this.qmp.command('migrate', { uri: `exec:cat > ${shellQuote(file)}` });
      await this.qmp.migrationDone(600_000);
      // Frames the guest wrote just before the pause may still be in the socket: read them first.
      await new Promise((r) => setTimeout(r, 30));
      const channel = this.channel.state();
      let ramFile: string | null = null;
      if (this.layout.ram) {
        ramFile = `${basename(file)}.ram`;
        const dest = join(dirname(file), ramFile);
        try {
          renameSync(this.layout.ram.path, dest);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
          copyFileSync(this.layout.ram.path, dest);
        }
      }
      const meta: SnapshotMeta = { version: 1, imageHash: this.image.hash, accel: this.layout.accel, memoryMb: this.layout.memoryMb, vmgenid: this.layout.vmgenid ?? null, ramFile, channel };
      writeFileSync(`${file}.json`, `${JSON.stringify(meta)}\n`);
      return {
        file,
        bytes: statSync(file).size,
        ramBytes: ramFile ? statSync(join(dirname(file), ramFile)).size : 0,
        ramDiskBytes: ramFile ? statSync(join(dirname(file), ramFile)).blocks * 512 : 0,
        ms: performance.now() - t0,
        connections: channel.connections.map((c) => ({ id: c.id, pendingBytes: Buffer.from(c.pending, 'base64').length })),
      };
    } finally {
      await this.close();
    }
  }

  /**
   * Starts a clone of the snapshot in `snapshotFile`: QEMU with the same devices (and a new,
   * the same, or no generation ID), the device state from the stream, the RAM file mapped
   * privately; then resumes it, sets its wall clock, and hands the connections open at the
   * snapshot to `onConnection`. The same as `prepare` then `resume`.
   */
  static async restore(image: GuestImage, snapshotFile: string, options: RestoreOptions = {}): Promise<LinuxVm> {
    const vm = await LinuxVm.prepare(image, snapshotFile, options);
    return vm.resume();
  }

  /**
   * Everything of a restore that does not depend on the request: QEMU started, device state
   * loaded, RAM mapped; the clone stays paused until `resume()`. A harness (like Lambda's warm
   * pool) can prepare the next clone while the current one runs.
   */
  static async prepare(image: GuestImage, snapshotFile: string, options: RestoreOptions = {}): Promise<LinuxVm> {
    const t0 = performance.now();
    const file = resolve(snapshotFile);
    let meta: SnapshotMeta;
    try {
      meta = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as SnapshotMeta;
    } catch (e) {
      throw new Error(`${file}.json: not a linux engine snapshot (${(e as Error).message})`);
    }
    if (meta.version !== 1) throw new Error(`${file}.json: snapshot format ${String(meta.version)}, expected 1`);
    if (meta.imageHash !== image.hash) throw new Error(`${file} was taken from another guest image (${meta.imageHash.slice(0, 16)}, not ${image.hash.slice(0, 16)})`);
    const mode = options.vmgenid ?? 'fresh';
    if ((mode === 'none') !== (meta.vmgenid === null)) {
      throw new Error(
        meta.vmgenid === null
          ? `${file} was taken without the vmgenid device: its clones can only restore with vmgenid 'none' (boot with another mode to get '${mode}')`
          : `vmgenid 'none' must be chosen when the snapshot's VM boots: ${file} was taken with the vmgenid device`,
      );
    }
    if (options.accel === 'kvm' && meta.accel === 'tcg') (options.note ?? ((l: string) => process.stderr.write(`${l}\n`)))(`snapstart: ${file} was taken under TCG: its clones run under TCG`);
    const vmgenid = meta.vmgenid === null ? undefined : mode === 'same' ? meta.vmgenid : randomUUID();
    const ram = meta.ramFile ? { path: join(dirname(file), meta.ramFile), share: false } : undefined;
    const timeoutMs = options.restoreTimeoutMs ?? 120_000;
    const vm = await LinuxVm.start(image, { accel: meta.accel, memoryMb: meta.memoryMb, vmgenid, ram, incoming: true }, options, timeoutMs, meta.channel);
    const t1 = performance.now();
    await vm.within(
      'restoring the snapshot',
      (async () => {
        if (ram) await vm.qmp.command('migrate-set-capabilities', { capabilities: [{ capability: 'x-ignore-shared', state: true }] });
        await vm.qmp.command('migrate-incoming', { uri: `exec:cat ${shellQuote(file)}` });
        await vm.qmp.migrationDone(timeoutMs);
      })(),
      timeoutMs,
    );
    vm.paused = { options, timeoutMs, spawn: t1 - t0, migrate: performance.now() - t1 };
    return vm;
  }

  /** Runs a prepared clone: resume, set the wall clock, hand over the connections open at the snapshot. */
  async resume(): Promise<LinuxVm> {
    const paused = this.paused;
    if (!paused) throw new Error('resume(): this VM was not prepared from a snapshot, or was resumed already');
    this.paused = undefined;
    const t0 = performance.now();
    await this.within('resuming the clone', this.qmp.command('cont'), paused.timeoutMs);
    // The guest clock resumes at the snapshot's instant; nothing in the guest resyncs it. The relay
    // handles frames in order, so the clock is set before any answer to a restored connection
    // reaches the guest: announce them at once, then wait for the guest's acknowledgement.
    const clockSet = this.channel.setClock(paused.options.clockMs ?? Date.now());
    this.channel.announceRestored();
    await this.within("setting the clone's clock", clockSet, paused.timeoutMs);
    const clock = performance.now() - t0;
    this.restoreTimings = { spawn: paused.spawn, migrate: paused.migrate, clock, total: paused.spawn + paused.migrate + clock };
    return this;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.channel.close();
    this.qmp.close();
    this.proc.kill();
    await this.proc.exited;
    removeTempDir(this.dir);
  }
}

/** Removes a snapshot's three files. */
export function removeSnapshot(file: string): void {
  for (const f of [file, `${file}.ram`, `${file}.json`]) rmSync(f, { force: true });
}
