/**
 * The `linux` engine: the function runs in its own runtime (a JRE, CPython, Node) under AWS's runtime
 * interface client, inside a real Linux guest under QEMU. The guest is snapshotted exactly where
 * Lambda snapshots it: init is over, the before-snapshot hooks ran, and the RIC's `restore/next`
 * is pending. Each clone restores from that snapshot with its own vmgenid, gets its `restore/next`
 * answered (its after-restore hooks run), then serves invocations through the Runtime API. Cold
 * starts boot the same image with AWS_LAMBDA_INITIALIZATION_TYPE=on-demand. Node's RIC has no
 * restore step: its guest is snapshotted while its first `invocation/next` is pending.
 *
 * There is no in-process tracer: `trace` stays empty and duplicates are found by comparing what
 * the clones output (results, log lines, recorded SDK calls) with the cold starts as the oracle.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { HarnessError } from '../../errors.js';
import type { InvokeRequest, InvokeResponse, LogLine, RecordedRequest, SerializedError, StubRule } from '../../runtime/protocol.js';
import { toLogLine } from '../../runtime/outputs.js';
import { SiteMapper } from '../../sites.js';
import { createTempDir, removeTempDir } from '../../temp.js';
import { functionEnvironment, type BuildInput, type Engine, type EngineInstance, type EngineSnapshot, type InstanceOptions, type InvokeOutcome, type SnapshotRecord } from '../engine.js';
import { buildGuestImage } from './image/build.js';
import type { GuestImage, GuestImageSpec } from './image/types.js';
import { javaFunction } from './functions/java.js';
import { GUEST_RIC, GUEST_TASK, type FunctionLayout } from './functions/layout.js';
import { nodeFunction } from './functions/node.js';
import { pythonFunction } from './functions/python.js';
import { requireRic } from './functions/ric.js';
import { javaRuntime, nodeRuntime, pythonRuntime, type GuestRuntime } from './functions/runtimes.js';
import { LINUX_RUNTIMES, type LinuxOptions, type LinuxRuntime } from './options.js';
import { RuntimeApi, type InvocationOutcome, type RuntimeError } from './runtime-api.js';
import { LinuxVm, type GuestLog, type GuestVm, type VmgenidMode } from './vm/index.js';

/** Where the relay listens in the guest: the RIC's Runtime API and the SDK's endpoint. */
const GUEST_API = '127.0.0.1:9001';
/**
 * Guest RAM when `--memory` is not given (measured): 256 MiB is enough for the Java and Python
 * RICs; Node's image holds a 99 MB binary, unpacked from the uncompressed initramfs into RAM.
 */
const DEFAULT_MEMORY_MB: Record<LinuxRuntime, number> = { java: 256, python: 256, node: 768 };
/**
 * Lines and HTTP answers cross the channel as separate streams: after an answer, lines written
 * just before it may still be on their way. This long of quiet ends the invocation's lines.
 */
const LOG_SETTLE_MS = 40;
/** AWS_EXECUTION_ENV of the Lambda runtime each guest stands for. */
const EXECUTION_ENV: Record<LinuxRuntime, string> = { java: 'AWS_Lambda_java17', python: 'AWS_Lambda_python3.11', node: 'AWS_Lambda_nodejs20.x' };
const MAX_LOG_LINES = 5000;
/** A cold start's boot and init (the invocation's own timeout starts after it, as Lambda's does). */
const COLD_INIT_TIMEOUT_MS = 180_000;

/** Guest output, kept per phase. */
class GuestOutput {
  private lines: LogLine[] = [];
  private all = '';
  private lastAt = 0;

  add(log: GuestLog): void {
    this.lastAt = Date.now();
    if (this.lines.length < MAX_LOG_LINES) this.lines.push(toLogLine(log.stream, log.text));
    if (this.all.length < 64 * 1024) this.all += `${log.text}\n`;
  }

  /** Waits until no line arrived for LOG_SETTLE_MS, then returns (and forgets) the lines so far. */
  async take(): Promise<LogLine[]> {
    for (let i = 0; i < 25 && Date.now() - this.lastAt < LOG_SETTLE_MS; i++) await new Promise((r) => setTimeout(r, LOG_SETTLE_MS));
    const out = this.lines;
    this.lines = [];
    return out;
  }

  /** Everything the guest printed (clipped), for errors and `close()`. */
  get text(): string {
    return this.all;
  }
}

class LinuxSnapshot implements EngineSnapshot {
  readonly engine = 'linux' as const;
  readonly dir!: string;
  readonly entry!: string;
  readonly exportName!: string;
  readonly bundle!: string;
  readonly sourceMap!: string;
  readonly initMs!: number;
  readonly bundleMs!: number;
  readonly snapshotMs!: number;
  readonly blobBytes!: number;
  readonly takenAt!: number;
  readonly stubs!: readonly StubRule[];
  readonly memoryMb!: number;
  private parsed: SiteMapper | undefined;

  constructor(
    record: SnapshotRecord,
    readonly image: GuestImage,
    readonly file: string,
    readonly runtime: LinuxRuntime,
    readonly handler: string,
    readonly accel: 'kvm' | 'tcg',
    readonly vmgenid: VmgenidMode,
    readonly ramBytes: number,
    readonly init: { readonly logs: readonly LogLine[]; readonly requests: readonly RecordedRequest[] },
  ) {
    Object.assign(this, record);
  }

  get details(): Record<string, string | number> {
    return {
      accelerator: this.accel,
      vmgenid: this.vmgenid,
      runtime: this.runtime,
      handler: this.handler,
      snapshot: this.file,
      snapshotBytes: this.blobBytes,
      ramBytes: this.ramBytes,
      memoryMb: this.memoryMb,
      image: this.image.initrd,
      imageBytes: this.image.bytes,
    };
  }

  /** No JavaScript bundle: the map is empty (a linux run has no traced frames to map). */
  mapper(cwd: string): SiteMapper {
    return (this.parsed ??= new SiteMapper(this.sourceMap, this.bundle, cwd));
  }

  mapStack(stack: string): string {
    return stack;
  }
}

function layoutFor(runtime: LinuxRuntime, entry: string, handler: string | undefined): FunctionLayout {
  if (runtime === 'java') return javaFunction(entry, handler);
  if (runtime === 'python') return pythonFunction(entry, handler);
  return nodeFunction(entry, handler);
}

function guestRuntime(runtime: LinuxRuntime, ric: string, log: (line: string) => void): GuestRuntime {
  if (runtime === 'java') return javaRuntime(log);
  if (runtime === 'python') return pythonRuntime(ric);
  return nodeRuntime(ric);
}

/** The RIC's error as the harness shows it; the Java RIC posts only CRaC's wrapper, so the guest's lines carry the cause. */
function withOutput(error: RuntimeError, output: string): SerializedError {
  const tail = output.trim().split('\n').slice(-40).join('\n');
  return { message: error.message, stack: [error.stack, tail ? `guest output:\n${tail}` : ''].filter(Boolean).join('\n') };
}

function parseResult(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

/** When the harness asked for an instance: its wall time counts the VM's restore (or boot) too. */
interface Started {
  readonly at: number;
  readonly clock: number;
}

function startedNow(): Started {
  return { at: Date.now(), clock: performance.now() };
}

class LinuxInstance implements EngineInstance {
  readonly startedAt: number;
  readonly startedClock: number;
  private served = 0;
  private closed = false;

  constructor(
    readonly kind: InstanceOptions['kind'],
    readonly index: number,
    private readonly vm: GuestVm,
    private readonly api: RuntimeApi,
    private readonly output: GuestOutput,
    private readonly memoryMb: number,
    /** A clone's first response carries what init did in the snapshot; a cold start's, its own init. */
    private readonly init: { logs: readonly LogLine[]; requests: readonly RecordedRequest[]; initMs: number } | undefined,
    started: Started,
  ) {
    this.startedAt = started.at;
    this.startedClock = started.clock;
  }

  async invoke(request: InvokeRequest, timeoutMs: number): Promise<InvokeOutcome> {
    const first = this.served === 0;
    this.served++;
    const requestId = typeof request.context.awsRequestId === 'string' ? request.context.awsRequestId : `${this.kind}-${this.index}-${request.invocation}`;
    const t0 = Date.now();
    // A cold start's lines before its first event are its init; a clone's are its after-restore hooks (part of the first invocation).
    let coldInit: { logs: LogLine[]; requests: RecordedRequest[]; initMs: number } | undefined;
    if (first && this.kind === 'cold') {
      // Init is over when the runtime asks for its first event (or failed); what it printed until then is its init.
      let initTimer: NodeJS.Timeout | undefined;
      const ready = await Promise.race([this.api.ready(), new Promise<'timeout'>((resolve) => (initTimer = setTimeout(() => resolve('timeout'), COLD_INIT_TIMEOUT_MS)))]);
      clearTimeout(initTimer);
      if (ready === 'timeout') {
        await this.vm.close();
        return { kind: 'crashed', message: `the cold start's init did not finish within ${COLD_INIT_TIMEOUT_MS} ms; its VM was stopped`, code: null, signal: null };
      }
      coldInit = { logs: await this.output.take(), requests: this.api.takeRequests(), initMs: performance.now() - this.startedClock };
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const outcome: InvocationOutcome | 'timeout' = await Promise.race([this.api.invoke({ requestId, event: request.event, deadlineMs: t0 + timeoutMs }), timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      await this.vm.close();
      return { kind: 'timeout', timeoutMs };
    }
    // Killed by SIGKILL inside the guest: only the guest kernel's OOM killer sends it (the guest's RAM is the memory setting).
    if (outcome.kind === 'gone' && outcome.exitCode === 128 + 9) {
      return { kind: 'out-of-memory', message: `the runtime was killed by the guest kernel's OOM killer (${this.memoryMb} MB of guest RAM)`, limitMb: this.memoryMb };
    }
    if (outcome.kind === 'gone') return { kind: 'crashed', message: `the ${this.kind === 'clone' ? 'clone' : 'cold start'} stopped: ${outcome.message}`, code: null, signal: null };
    if (outcome.kind === 'init-error') return { kind: 'crashed', message: `init failed: ${outcome.error.message}`, code: 1, signal: null };
    const logs = await this.output.take();
    const requests = this.api.takeRequests();
    const init = first ? (coldInit ? { trace: [], ...coldInit } : this.init ? { trace: [], ...this.init } : undefined) : undefined;
    const startedAt = outcome.kind === 'restore-error' ? t0 : outcome.handedOutAt;
    const endedAt = outcome.kind === 'restore-error' ? Date.now() : outcome.answeredAt;
    const response: InvokeResponse = {
      invocation: request.invocation,
      trace: [],
      logs,
      requests,
      startedAt,
      endedAt,
      invokeMs: endedAt - startedAt,
      hooksMs: 0,
      ...(init ? { init } : {}),
      ...(outcome.kind === 'response'
        ? { result: parseResult(outcome.body) }
        : outcome.kind === 'error'
          ? { error: { message: outcome.error.message, ...(outcome.error.stack ? { stack: outcome.error.stack } : {}) } }
          : { hookError: withOutput(outcome.error, logs.map((l) => l.text).join('\n')) }),
    };
    return { kind: 'response', response };
  }

  async close(): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
    if (!this.closed) {
      this.closed = true;
      await this.vm.close();
      await this.api.close();
    }
    return { code: 0, signal: null, stdout: this.output.text, stderr: '' };
  }
}

export function linuxEngine(options: LinuxOptions): Engine {
  const vmgenid: VmgenidMode = options.vmgenid ?? 'fresh';
  const accel = options.accel ?? 'auto';
  const note = (line: string): void => void process.stderr.write(`${line}\n`);

  /** Boots the image with the given init type; the Runtime API serves the guest's connections. */
  async function boot(image: GuestImage, memoryMb: number, initType: 'snap-start' | 'on-demand', stubs: readonly StubRule[], bootTimeoutMs: number): Promise<{ vm: GuestVm; api: RuntimeApi; output: GuestOutput }> {
    const api = new RuntimeApi({ stubs });
    const output = new GuestOutput();
    try {
      const vm = await LinuxVm.boot(image, {
        accel,
        vmgenid,
        memoryMb,
        env: { AWS_LAMBDA_INITIALIZATION_TYPE: initType },
        bootTimeoutMs,
        note,
        onConnection: (stream) => api.accept(stream),
        onLog: (log) => output.add(log),
        onExit: (code) => api.fail(`the runtime exited with code ${code}`, code),
      });
      return { vm, api, output };
    } catch (err) {
      await api.close();
      throw err;
    }
  }

  return {
    name: 'linux',

    async build(input: BuildInput): Promise<EngineSnapshot> {
      const runtime = options.runtime;
      if (!runtime) throw new HarnessError(`the linux engine needs the function's runtime: --runtime ${LINUX_RUNTIMES.join('|')}`);
      if (!existsSync(input.entry)) throw new HarnessError(`function not found: ${input.entry}`);
      const layout = layoutFor(runtime, input.entry, options.handler);
      const rel = relative(input.cwd, input.entry) || input.entry;
      const ric = requireRic(runtime);
      // The function's memory setting is the guest's RAM, as on Lambda (and what the guest kernel's OOM killer enforces).
      const memoryMb = input.memoryMb ?? DEFAULT_MEMORY_MB[runtime];
      const dir = createTempDir('snapstart-linux-');
      let vm: GuestVm | undefined;
      let api: RuntimeApi | undefined;
      try {
        const t0 = performance.now();
        const rt = guestRuntime(runtime, ric, note);
        const cmd = layout.command({ task: GUEST_TASK, ric: GUEST_RIC, program: rt.program });
        const spec: GuestImageSpec = {
          // A label only (the content hash names the cache folder): the handler, stable across temp build dirs.
          name: `${runtime}-${layout.handler.replace(/[^A-Za-z0-9._-]/g, '_')}`.slice(0, 80),
          trees: [
            ...rt.trees,
            { host: input.entry, guest: layout.artifactName ? `${GUEST_TASK}/${layout.artifactName}` : GUEST_TASK, exclude: ['__pycache__', '.git', 'node_modules'] },
            { host: ric, guest: GUEST_RIC },
          ],
          elves: rt.elves,
          extraLibraries: rt.extraLibraries,
          command: [cmd.command, ...cmd.args],
          env: {
            ...functionEnvironment(input.env, { memoryMb, handler: layout.handler, taskRoot: GUEST_TASK, executionEnv: EXECUTION_ENV[runtime] }),
            ...cmd.env,
            PATH: '/usr/local/bin:/usr/bin:/bin',
            AWS_LAMBDA_RUNTIME_API: GUEST_API,
            AWS_ENDPOINT_URL: `http://${GUEST_API}`,
          },
          cwd: cmd.cwd,
        };
        let image: GuestImage;
        try {
          image = await buildGuestImage(spec, note);
        } catch (err) {
          throw err instanceof HarnessError ? err : new HarnessError(`cannot build the linux guest image for ${rel}: ${err instanceof Error ? err.message : String(err)}`);
        }
        const imageMs = performance.now() - t0;
        const timeoutMs = input.buildTimeoutMs ?? 180_000;
        const t1 = performance.now();
        const booted = await boot(image, memoryMb, 'snap-start', input.stubs, timeoutMs);
        ({ vm, api } = booted);
        const output = booted.output;
        const vmAccel = vm.accel;
        let timer: NodeJS.Timeout | undefined;
        const state = await Promise.race([api.ready(), new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)))]);
        clearTimeout(timer);
        const initMs = performance.now() - t1;
        const guestOutput = output.text;
        if (state === 'timeout') throw new HarnessError(`init of ${rel} (${layout.handler}) did not finish within ${timeoutMs} ms in the linux guest`, guestOutput.slice(-4000));
        if (state.kind === 'init-error') {
          const err = withOutput(state.error, guestOutput);
          const hook = state.error.errorType.includes('Checkpoint') || /before[- ]?snapshot/i.test(state.error.message);
          throw new HarnessError(hook ? `before-snapshot hooks of ${rel} failed: ${state.error.message}` : `init of ${rel} (${layout.handler}) failed in the linux guest: ${state.error.message}`, err.stack);
        }
        if (state.kind === 'gone') throw new HarnessError(`the ${runtime} runtime stopped during the init of ${rel} (${layout.handler}): ${state.message}`, guestOutput.slice(-4000));
        // Node's RIC has no restore step: it is ready for the snapshot once it asks for its first event.
        if (state.kind === 'next-pending' && runtime !== 'node') {
          throw new HarnessError(`the ${runtime} runtime interface client asked for an event without SnapStart's restore step: it does not support AWS_LAMBDA_INITIALIZATION_TYPE=snap-start`);
        }
        const initLogs = await output.take();
        const initRequests = api.takeRequests();
        const file = `${dir}/vm.snap`;
        const t2 = performance.now();
        const snap = await vm.snapshot(file);
        vm = undefined;
        const snapshotMs = performance.now() - t2;
        // The engine has no JavaScript bundle: an empty source map keeps the engine-neutral report code unchanged.
        const sourceMap = `${dir}/none.js.map`;
        writeFileSync(sourceMap, JSON.stringify({ version: 3, sources: [], names: [], mappings: '' }));
        const record: SnapshotRecord = {
          dir,
          entry: input.entry,
          exportName: layout.handler,
          bundle: `${dir}/none.js`,
          sourceMap,
          initMs,
          bundleMs: imageMs,
          snapshotMs,
          blobBytes: snap.bytes,
          takenAt: Date.now(),
          stubs: input.stubs,
          memoryMb,
        };
        return new LinuxSnapshot(record, image, snap.file, runtime, layout.handler, vmAccel, vmgenid, snap.ramBytes, { logs: initLogs, requests: initRequests });
      } catch (err) {
        removeTempDir(dir);
        throw err;
      } finally {
        await vm?.close();
        await api?.close();
      }
    },

    async restore(snapshot: EngineSnapshot, o: InstanceOptions): Promise<EngineInstance> {
      const s = snapshot as LinuxSnapshot;
      const started = startedNow();
      const api = new RuntimeApi({ stubs: s.stubs, restored: true });
      const output = new GuestOutput();
      let vm: GuestVm;
      try {
        vm = await LinuxVm.restore(s.image, s.file, {
          accel: s.accel,
          vmgenid: s.vmgenid,
          note,
          onConnection: (stream) => api.accept(stream),
          onLog: (log) => output.add(log),
          onExit: (code) => api.fail(`the runtime exited with code ${code}`, code),
        });
      } catch (err) {
        await api.close();
        throw new HarnessError(`cannot restore a clone of ${basename(s.entry)}: ${err instanceof Error ? err.message : String(err)}`);
      }
      return new LinuxInstance(o.kind, o.index, vm, api, output, s.memoryMb, { ...s.init, initMs: s.initMs }, started);
    },

    async coldStart(snapshot: EngineSnapshot, o: InstanceOptions): Promise<EngineInstance> {
      const s = snapshot as LinuxSnapshot;
      const started = startedNow();
      const { vm, api, output } = await boot(s.image, s.memoryMb, 'on-demand', s.stubs, COLD_INIT_TIMEOUT_MS);
      return new LinuxInstance(o.kind, o.index, vm, api, output, s.memoryMb, undefined, started);
    },

    dispose(snapshot: EngineSnapshot): void {
      removeTempDir(snapshot.dir);
    },
  };
}
