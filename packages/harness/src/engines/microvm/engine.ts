/**
 * The `microvm` engine: the function's init runs inside a vmm-core microVM (the JavaScript guest:
 * Duktape on the guest runtime), the whole VM is snapshotted at READY, and clones resume from that
 * one file with a fresh vmgenid (or `same`/`none`) — the way SnapStart really works. Cold starts
 * boot the same init payload in a fresh VM. Runs on vmm-core's `kvm` accelerator where /dev/kvm
 * works and on `tcg` (Unicorn) everywhere.
 */
import { relative } from 'node:path';
import {
  AcceleratorUnavailableError,
  bootVm,
  GuestExitError,
  GuestFaultError,
  GuestTimeoutError,
  guests,
  killAllMonitors,
  nativeStatus,
  resolveAccelerator,
  restore,
  type AcceleratorName,
  type MicroVm,
} from '@snapstart/vmm-core';
import { BundleSnapshot, functionEnvironment, type BuildInput, type Engine, type EngineInstance, type EngineSnapshot, type InstanceOptions, type InvokeOutcome, type SnapshotRecord } from '../engine.js';
import { HarnessError } from '../../errors.js';
import { registerCleanup } from '../../process.js';
import type { InvokeRequest, InvokeResponse, StubRule } from '../../runtime/protocol.js';
import { defaultAnswerHint } from '../../runtime/stub.js';
import type { MicrovmOptions } from './options.js';
import { SiteMapper } from '../../sites.js';
import { createTempDir, removeTempDir } from '../../temp.js';
import { bundleForGuest, guestPreludes, initPayload, type GuestScript } from './pipeline.js';
import { DEFAULT_RESERVE_POOL, ReservePool } from './pool.js';

const INIT_ERROR_MARKER = '@@snapstart-init-error@@ ';
const LOAD = Buffer.from('\0load\n');
const RUN = Buffer.from('\0run\n');
/** What fits in the guest's 512 KiB request mailbox with the load prefix. */
const LOAD_CHUNK = 512 * 1024 - 64;
/** Guest RAM: the Duktape heap of a function with the AWS SDK stays well under this; clones map it copy-on-write. */
const GUEST_RAM_MIB = 256;

class MicrovmSnapshot extends BundleSnapshot {
  readonly engine = 'microvm' as const;
  /** Reserved monitors for this snapshot's clones (made on the first restore of a snapshot built elsewhere). */
  pool: ReservePool | undefined;
  constructor(
    record: SnapshotRecord,
    readonly file: string,
    readonly accelerator: AcceleratorName,
    readonly coldPayload: Buffer,
  ) {
    super(record);
  }
  get details(): Record<string, string> {
    return { accelerator: this.accelerator, snapshot: this.file };
  }
  mapStack(stack: string, cwd: string): string {
    return mapGuestStack(stack, this.mapper(cwd));
  }
}

/** The guest's settings, read before any of the function's code runs: init's requests are answered by `stubs` too. */
function bootScript(mode: 'snapshot' | 'cold', env: Record<string, string>, exportName: string, hookTimeoutMs: number, stubs: readonly StubRule[]): GuestScript {
  return { name: '/snapstart/boot.js', code: `globalThis.__snapstartBoot = ${JSON.stringify({ mode, env, exportName, hookTimeoutMs, stubs })};\n` };
}

/** Maps Duktape stack lines (`at fn (/path/bundle.es5.js:123)`) to the user's sources. */
function mapGuestStack(stack: string, mapper: SiteMapper): string {
  return stack.replace(/\(([^()]+):(\d+)\)/g, (whole, file: string, line: string) => {
    const site = mapper.map(`${file}:${line}:0`);
    return site ? `(${site.file}:${site.line})` : whole;
  });
}

interface InitFailure {
  message?: string;
  stack?: string;
  missingExport?: boolean;
  hookError?: boolean;
  exportNames?: string[];
  /** Init's requests that the stub's default `200 {}` answered. */
  defaultAnswered?: string[];
}

function initFailure(consoleText: string): InitFailure | undefined {
  const line = consoleText.split('\n').find((l) => l.startsWith(INIT_ERROR_MARKER));
  if (!line) return undefined;
  try {
    return JSON.parse(line.slice(INIT_ERROR_MARKER.length)) as InitFailure;
  } catch {
    return { message: line.slice(INIT_ERROR_MARKER.length) };
  }
}

/** A boot (for the snapshot or a cold start) that fails: a clear harness error. */
function bootError(err: unknown, vmConsole: string, rel: string, exportName: string, mapper: () => SiteMapper, timeoutMs: number): HarnessError {
  const failure = err instanceof InitFailed ? err.failure : initFailure(vmConsole);
  if (failure?.missingExport) return new HarnessError(`${rel} has no exported function '${exportName}' (exports: ${failure.exportNames?.join(', ') || 'none'})`);
  if (failure?.hookError) return new HarnessError(`before-snapshot hooks failed: ${failure.message}`, failure.stack);
  if (failure) {
    const firstLine = (failure.message ?? failure.stack ?? 'unknown error').split('\n')[0];
    return new HarnessError(`init of ${rel} failed inside the microVM: ${firstLine}${defaultAnswerHint(failure.defaultAnswered ?? [])}`, failure.stack ? mapGuestStack(failure.stack, mapper()) : undefined);
  }
  if (err instanceof GuestTimeoutError) return new HarnessError(`init of ${rel} did not finish within ${timeoutMs} ms inside the microVM`, err.message);
  if (err instanceof GuestFaultError || err instanceof GuestExitError) return new HarnessError(`the microVM failed during the init of ${rel}: ${err.message.split('\n')[0]}`, vmConsole.slice(-4000));
  if (err instanceof AcceleratorUnavailableError) return new HarnessError(err.message);
  return new HarnessError(`the microVM could not boot ${rel}: ${err instanceof Error ? err.message : String(err)}`);
}

class MicrovmInstance implements EngineInstance {
  readonly startedAt: number;
  readonly startedClock: number;
  private first = true;
  constructor(
    readonly kind: InstanceOptions['kind'],
    readonly index: number,
    private readonly vm: MicroVm,
    private readonly stubs: readonly StubRule[],
    private readonly hookTimeoutMs: number,
    private readonly reseedMathRandom: boolean,
    startedAt: number,
    startedClock: number,
  ) {
    this.startedAt = startedAt;
    this.startedClock = startedClock;
  }

  async invoke(request: InvokeRequest, timeoutMs: number): Promise<InvokeOutcome> {
    const envelope = { ...request, stubs: this.stubs, hookTimeoutMs: this.hookTimeoutMs, reseedMathRandom: this.reseedMathRandom };
    try {
      const result = await this.vm.invoke(envelope, { timeoutMs });
      const response = result.json<InvokeResponse | { fatal: string }>();
      if ('fatal' in response) return { kind: 'crashed', message: response.fatal, code: null, signal: null };
      // A clone's wall is measured by its monitor: restore plus this first invocation. A cold
      // start's (which also loads and initializes the function) is the harness's own clock.
      const wallMs = this.first && this.kind === 'clone' ? (this.vm.startUs + result.runUs) / 1000 : undefined;
      this.first = false;
      return { kind: 'response', response, ...(wallMs !== undefined ? { wallMs } : {}) };
    } catch (err) {
      if (err instanceof GuestTimeoutError) return { kind: 'timeout', timeoutMs };
      const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
      return { kind: 'crashed', message: `the microVM stopped: ${message}`, code: null, signal: null };
    }
  }

  async close(): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
    const consoleText = this.vm.console;
    try {
      await this.vm.close();
      return { code: 0, signal: null, stdout: consoleText, stderr: '' };
    } catch (err) {
      return { code: null, signal: null, stdout: consoleText, stderr: err instanceof Error ? err.message : String(err) };
    }
  }
}

/**
 * The base image: a snapshot of the JavaScript guest after its preludes (event loop, core-js)
 * ran, per accelerator, once per harness process. Every function VM — the one snapshotted for
 * clones, and each cold start — resumes from it (fresh vmgenid) and loads the function's scripts:
 * the preludes' setup costs ~0.1 s under kvm but ~9 s under tcg, and none of it depends on the
 * function. Loading reseeds Math.random, so cold starts stay independent of each other.
 */
const baseImages = new Map<AcceleratorName, Promise<string>>();

function baseImage(accel: AcceleratorName): Promise<string> {
  let image = baseImages.get(accel);
  if (!image) {
    image = (async () => {
      const dir = createTempDir('snapstart-microvm-base-');
      const base: GuestScript = { name: '/snapstart/base.js', code: "globalThis.__snapstartFinishInit = function () { return ''; };\n" };
      const vm = await bootVm({ guest: guests.js, accel, ramMiB: GUEST_RAM_MIB, init: initPayload([...(await guestPreludes()), base]), bootTimeoutMs: 120_000 });
      const file = `${dir}/base.snap`;
      await vm.snapshot(file);
      await vm.close();
      return file;
    })();
    image.catch(() => baseImages.delete(accel));
    baseImages.set(accel, image);
  }
  return image;
}

class InitFailed extends Error {
  constructor(readonly failure: InitFailure) {
    super(failure.message ?? 'init failed');
  }
}

/** A function VM: the base image restored, the function's scripts loaded and its init run. */
async function startFunction(accel: AcceleratorName, payload: Buffer, timeoutMs: number, onConsole: (text: string) => void): Promise<{ vm: MicroVm; initMs: number }> {
  const vm = await restore(await baseImage(accel), { accel, vmgenid: 'fresh', memory: 'cow', onConsole });
  try {
    for (let off = 0; off < payload.length; off += LOAD_CHUNK) await vm.invoke(Buffer.concat([LOAD, payload.subarray(off, off + LOAD_CHUNK)]), { timeoutMs });
    const done = await vm.invoke(RUN, { timeoutMs });
    const status = done.text();
    if (status) {
      const failure = JSON.parse(status) as InitFailure & { console?: boolean };
      throw new InitFailed(failure.console ? (initFailure(vm.console) ?? failure) : failure);
    }
    return { vm, initMs: done.runUs / 1000 };
  } catch (err) {
    await vm.close().catch(() => {});
    throw err;
  }
}

export function microvmEngine(options: MicrovmOptions): Engine {
  registerCleanup(killAllMonitors);
  // Under tcg a reservation does not pay (each clone's cost is translating Duktape's code again,
  // bench/microvm) and would take CPU from the clones: no pool there unless asked for.
  const poolSize = (accel: AcceleratorName): number => options.reservePool ?? (accel === 'kvm' ? DEFAULT_RESERVE_POOL : 0);
  /** The snapshot's pool for this engine's vmgenid mode (reserved monitors are made for one). */
  const poolOf = (s: MicrovmSnapshot): ReservePool => {
    const vmgenid = options.vmgenid ?? 'fresh';
    if (s.pool && !s.pool.serves(vmgenid, poolSize(s.accelerator))) {
      void s.pool.close();
      s.pool = undefined;
    }
    return (s.pool ??= new ReservePool(s.file, s.accelerator, vmgenid, poolSize(s.accelerator)));
  };
  const hookTimeoutDefault = 10_000;
  async function accelerator(): Promise<AcceleratorName> {
    const status = nativeStatus();
    if (!status.built) throw new HarnessError(`the microvm engine needs vmm-core's native parts: ${status.reason}`);
    try {
      return (await resolveAccelerator(options.accel ?? 'auto')).name;
    } catch (err) {
      throw new HarnessError(err instanceof Error ? err.message : String(err));
    }
  }

  return {
    name: 'microvm',

    async build(input: BuildInput): Promise<EngineSnapshot> {
      const accel = await accelerator();
      const rel = relative(input.cwd, input.entry);
      const dir = createTempDir('snapstart-microvm-');
      try {
        const bundled = await bundleForGuest(input.entry, input.exportName, dir, input.cwd, input.layers ?? []);
        const env = functionEnvironment(input.env);
        const payload = initPayload([bootScript('snapshot', env, input.exportName, hookTimeoutDefault, input.stubs), bundled.main]);
        const coldPayload = initPayload([bootScript('cold', env, input.exportName, hookTimeoutDefault, input.stubs), bundled.main]);
        let mapper: SiteMapper | undefined;
        const lazyMapper = (): SiteMapper => (mapper ??= new SiteMapper(bundled.sourceMap, bundled.bundle, input.cwd));
        const timeoutMs = input.buildTimeoutMs ?? 120_000;
        const t0 = performance.now();
        let consoleText = '';
        let vm: MicroVm;
        let initMs: number;
        try {
          ({ vm, initMs } = await startFunction(accel, payload, timeoutMs, (t) => (consoleText += t)));
        } catch (err) {
          throw bootError(err, consoleText, rel, input.exportName, lazyMapper, timeoutMs);
        }
        const file = `${dir}/vm.snap`;
        const snap = await vm.snapshot(file);
        await vm.close();
        const snapshotMs = performance.now() - t0;
        const record: SnapshotRecord = {
          dir,
          entry: input.entry,
          exportName: input.exportName,
          bundle: bundled.bundle,
          sourceMap: bundled.sourceMap,
          initMs,
          bundleMs: bundled.bundleMs,
          snapshotMs,
          blobBytes: snap.dataBytes,
          takenAt: Date.now(),
          stubs: input.stubs,
        };
        const snapshot = new MicrovmSnapshot(record, file, accel, coldPayload);
        // Monitors reserved while the harness gets ready to restore.
        if (poolSize(accel) > 0) poolOf(snapshot);
        return snapshot;
      } catch (err) {
        removeTempDir(dir);
        throw err;
      }
    },

    async restore(snapshot: EngineSnapshot, o: InstanceOptions): Promise<EngineInstance> {
      const s = snapshot as MicrovmSnapshot;
      const startedAt = Date.now();
      const startedClock = performance.now();
      // Into a reserved monitor (VM, vCPU and pages prepared while earlier clones ran), with RAM in
      // private huge pages (`copy`: 3x faster first invocation than copy-on-write under kvm).
      const vm = await poolOf(s).restore();
      return new MicrovmInstance(o.kind, o.index, vm, s.stubs, o.hookTimeoutMs, options.reseedMathRandom ?? false, startedAt, startedClock);
    },

    async coldStart(snapshot: EngineSnapshot, o: InstanceOptions): Promise<EngineInstance> {
      const s = snapshot as MicrovmSnapshot;
      const startedAt = Date.now();
      const startedClock = performance.now();
      let consoleText = '';
      try {
        const { vm } = await startFunction(s.accelerator, s.coldPayload, 120_000, (t) => (consoleText += t));
        return new MicrovmInstance(o.kind, o.index, vm, s.stubs, o.hookTimeoutMs, false, startedAt, startedClock);
      } catch (err) {
        throw bootError(err, consoleText, relative(o.cwd, s.entry), s.exportName, () => s.mapper(o.cwd), 120_000);
      }
    },

    dispose(snapshot: EngineSnapshot): void {
      const s = snapshot as MicrovmSnapshot;
      const pool = s.pool;
      s.pool = undefined;
      // The reserved monitors map the snapshot file: end them before the file goes.
      if (pool) void pool.close().finally(() => removeTempDir(snapshot.dir));
      else removeTempDir(snapshot.dir);
    },
  };
}
