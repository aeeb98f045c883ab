/**
 * The `node` engine: the bundled entry (bundle.ts) runs its init under `node --build-snapshot`, the
 * V8 startup snapshot is the snapshot, and each clone is a `node --snapshot-blob` process that
 * resumes from it; cold starts run the same bundle without a snapshot. The in-instance side is
 * runtime/node/. See docs/harness.md, "How the node engine works".
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import type { Socket } from 'node:net';
import { bundleForNode } from '../../bundle.js';
import { HarnessError } from '../../errors.js';
import { BundleSnapshot, functionEnvironment, type BuildInput, type Engine, type EngineInstance, type EngineSnapshot, type InstanceOptions, type InvokeOutcome, type SnapshotRecord } from '../engine.js';
import { ManagedProcess, runProcess } from '../../process.js';
import { CHANNEL_FD, ENV_BUILD_REPORT, ENV_INSTANCE, type BuildReport, type InstanceConfig, type InvokeRequest, type InvokeResponse } from '../../runtime/protocol.js';
import { SiteMapper } from '../../sites.js';
import { defaultAnswerHint } from '../../runtime/stub.js';
import { DEFAULT_MEMORY_MB, handlerSetting, nodeExecutionEnv } from '../../containment/environment.js';
import { isHeapOutOfMemory, nodeMemoryFlags, watchMemory, type MemoryWatch } from '../../containment/memory.js';
import { parentWatchEnv } from '../../containment/sandbox.js';
import { createTempDir, removeTempDir } from '../../temp.js';

/**
 * Built-ins that still break `node --build-snapshot` on Node 20 (measured). `http`, `https` and
 * `http2` are replaced by the harness's recording stubs and so are fine.
 */
const UNSNAPSHOTTABLE = new Map([['tls', 'builds, but restored processes produce no output on Node 20']]);

class NodeSnapshot extends BundleSnapshot {
  readonly engine = 'node' as const;
  constructor(
    record: SnapshotRecord,
    readonly blob: string,
    readonly env: Readonly<Record<string, string>>,
    override readonly memoryMb: number,
  ) {
    super(record);
  }
  get details(): Record<string, string> {
    return { blob: this.blob };
  }
  mapStack(stack: string, cwd: string): string {
    return mapStack(stack, () => this.mapper(cwd));
  }
}

/** Rewrites bundle positions in a stack to original sources where the source map knows them. */
function mapStack(stack: string, mapper: () => SiteMapper): string {
  try {
    const m = mapper();
    return stack.replace(/([^\s()]+):(\d+):(\d+)/g, (whole) => {
      const site = m.map(whole);
      return site ? `${site.file}:${site.line}:${site.column}` : whole;
    });
  } catch {
    return stack;
  }
}

class NodeInstance implements EngineInstance {
  readonly startedAt = Date.now();
  readonly startedClock = performance.now();
  private readonly channel: Socket;
  private buffered = '';
  private waiting: ((line: string | undefined) => void) | undefined;
  private readonly lines: string[] = [];
  private ended = false;
  private readonly memory: MemoryWatch | undefined;
  /** Why the instance was stopped for memory, if it was. */
  private outOfMemory: string | undefined;

  constructor(
    readonly kind: InstanceOptions['kind'],
    readonly index: number,
    private readonly proc: ManagedProcess,
    private readonly memoryMb: number,
  ) {
    this.channel = proc.channel(CHANNEL_FD) as unknown as Socket;
    this.channel.setEncoding('utf8');
    this.channel.on('data', (chunk: string) => {
      this.buffered += chunk;
      let nl: number;
      while ((nl = this.buffered.indexOf('\n')) >= 0) {
        this.deliver(this.buffered.slice(0, nl));
        this.buffered = this.buffered.slice(nl + 1);
      }
    });
    this.channel.on('error', () => {});
    // Past the memory setting (resident, with everything the instance started): stopped, like Lambda.
    const pid = proc.child.pid;
    this.memory = pid === undefined ? undefined : watchMemory(pid, memoryMb, (usedMb) => {
      this.outOfMemory = `resident memory reached ${usedMb} MB`;
      proc.kill();
    });
    void proc.exited.then(() => {
      this.memory?.stop();
      this.ended = true;
      this.deliver(undefined);
    });
  }

  private deliver(line: string | undefined): void {
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w(line);
    } else if (line !== undefined) this.lines.push(line);
  }

  private nextLine(): Promise<string | undefined> {
    const queued = this.lines.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.ended) return Promise.resolve(undefined);
    return new Promise((resolve) => (this.waiting = resolve));
  }

  async invoke(request: InvokeRequest, timeoutMs: number): Promise<InvokeOutcome> {
    if (this.ended) return this.crashed();
    this.channel.write(`${JSON.stringify(request)}\n`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const line = await Promise.race([this.nextLine(), timeout]);
    clearTimeout(timer);
    if (line === 'timeout') {
      this.proc.kill();
      return { kind: 'timeout', timeoutMs };
    }
    if (line === undefined) return this.crashed();
    const parsed = JSON.parse(line) as InvokeResponse | { initError: { message: string } };
    if ('initError' in parsed) return { kind: 'crashed', message: `init failed: ${parsed.initError.message}`, code: 1, signal: null };
    // Timed by the instance's own clock, from its process start: spawning the other clones in the
    // same tick (and the harness's event loop) must not count against this one.
    const wallMs = parsed.processStartedAt !== undefined && parsed.sentAt !== undefined ? parsed.sentAt - parsed.processStartedAt : undefined;
    return { kind: 'response', response: parsed, ...(wallMs !== undefined ? { wallMs } : {}) };
  }

  private async crashed(): Promise<InvokeOutcome> {
    const { code, signal } = await this.proc.exited;
    const oom = this.outOfMemory ?? (isHeapOutOfMemory(this.proc.stderr) ? 'the V8 heap reached its limit' : undefined);
    if (oom) {
      const who = this.kind === 'clone' ? 'clone' : 'cold start';
      return { kind: 'out-of-memory', limitMb: this.memoryMb, message: `Runtime.OutOfMemory: the ${who} used more than its memory setting of ${this.memoryMb} MB (${oom}) and was stopped` };
    }
    const why = signal ? `killed by ${signal}` : `exited with code ${code}`;
    return { kind: 'crashed', message: `the ${this.kind === 'clone' ? 'clone' : 'cold start'} ${why} before returning a result`, code, signal };
  }

  async close(): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
    this.channel.end();
    const timer = setTimeout(() => this.proc.kill(), 2000);
    const { code, signal } = await this.proc.exited;
    clearTimeout(timer);
    return { code, signal, stdout: this.proc.stdout, stderr: this.proc.stderr };
  }
}

export const nodeEngine: Engine = {
  name: 'node',

  async build(input: BuildInput): Promise<EngineSnapshot> {
    const { entry, exportName, cwd } = input;
    if (!existsSync(entry)) throw new HarnessError(`entry not found: ${entry}`);
    const dir = createTempDir('snapstart-harness-');
    try {
      const bundled = await bundleForNode(entry, exportName, dir, cwd, input.layers ?? []);
      for (const [module, importer] of bundled.builtins) {
        const why = UNSNAPSHOTTABLE.get(module);
        if (why) {
          throw new HarnessError(`module '${module}' (imported by ${importer}) cannot be in a Node startup snapshot: it ${why}. Load it lazily inside the handler instead.`);
        }
      }
      const blob = `${dir}/snapshot.blob`;
      const reportPath = `${dir}/build-report.json`;
      const memoryMb = input.memoryMb ?? DEFAULT_MEMORY_MB;
      const env = functionEnvironment(input.env, { memoryMb, handler: handlerSetting(entry, exportName, cwd), taskRoot: cwd, executionEnv: nodeExecutionEnv() });
      const config: InstanceConfig = { kind: 'cold', index: -1, hookTimeoutMs: 10_000, stubs: input.stubs };
      const t1 = performance.now();
      // Nothing of the host's environment: only the function's (containment/environment.ts).
      const built = await runProcess(process.execPath, [...nodeMemoryFlags(memoryMb), '--snapshot-blob', blob, '--build-snapshot', bundled.bundle], {
        env: { ...env, [ENV_BUILD_REPORT]: reportPath, [ENV_INSTANCE]: JSON.stringify(config) },
        isolate: true,
        timeoutMs: input.buildTimeoutMs ?? 60_000,
        cwd,
      });
      const snapshotMs = performance.now() - t1;
      const report = existsSync(reportPath) ? (JSON.parse(readFileSync(reportPath, 'utf8')) as BuildReport) : undefined;
      const rel = relative(cwd, entry);
      let mapper: SiteMapper | undefined;
      const lazyMapper = (): SiteMapper => (mapper ??= new SiteMapper(bundled.sourceMap, bundled.bundle, cwd));
      if (isHeapOutOfMemory(built.stderr)) throw new HarnessError(`init of ${rel} used more than the memory setting of ${memoryMb} MB (Runtime.OutOfMemory: the V8 heap reached its limit); raise --memory`);
      if (built.timedOut) throw new HarnessError(`init of ${rel} did not finish within ${input.buildTimeoutMs ?? 60_000} ms`, built.stderr);
      if (report?.initError) {
        throw new HarnessError(
          `init of ${rel} failed inside the snapshot builder: ${report.initError.message}${defaultAnswerHint(report.defaultAnswered ?? [])}`,
          mapStack(report.initError.stack ?? report.initError.message, lazyMapper),
        );
      }
      if (report?.hookError) throw new HarnessError(`before-snapshot hooks failed: ${report.hookError.message}`, report.hookError.stack);
      if (built.code !== 0 || !existsSync(blob)) {
        const used = [...bundled.builtins.keys()].sort().join(', ');
        throw new HarnessError(
          `init of ${rel} failed inside the snapshot builder (exit ${built.code ?? built.signal}); built-in modules in the bundle: ${used || 'none'}`,
          mapStack(built.stderr.trim(), lazyMapper),
        );
      }
      if (!report?.handlerFound) {
        throw new HarnessError(`${rel} has no exported function '${exportName}' (exports: ${report?.exportNames.join(', ') || 'none'})`);
      }
      const record: SnapshotRecord = {
        dir,
        entry,
        exportName,
        bundle: bundled.bundle,
        sourceMap: bundled.sourceMap,
        initMs: report.initMs,
        bundleMs: bundled.bundleMs,
        snapshotMs,
        blobBytes: statSync(blob).size,
        takenAt: Date.now(),
        stubs: input.stubs,
        memoryMb,
      };
      return new NodeSnapshot(record, blob, env, memoryMb);
    } catch (err) {
      removeTempDir(dir);
      throw err;
    }
  },

  async restore(snapshot: EngineSnapshot, options: InstanceOptions): Promise<EngineInstance> {
    const s = snapshot as NodeSnapshot;
    return spawnInstance(['--snapshot-blob', s.blob], s, options);
  },

  async coldStart(snapshot: EngineSnapshot, options: InstanceOptions): Promise<EngineInstance> {
    const s = snapshot as NodeSnapshot;
    return spawnInstance([s.bundle], s, options);
  },

  dispose(snapshot: EngineSnapshot): void {
    removeTempDir(snapshot.dir);
  },
};

function spawnInstance(args: string[], snapshot: NodeSnapshot, options: InstanceOptions): EngineInstance {
  const config: InstanceConfig = { kind: options.kind, index: options.index, hookTimeoutMs: options.hookTimeoutMs, stubs: snapshot.stubs };
  // Same heap flags as the builder (V8 refuses a snapshot made under others); contained (network and PID namespaces).
  const proc = new ManagedProcess(process.execPath, [...nodeMemoryFlags(snapshot.memoryMb), ...args], {
    isolate: true,
    cwd: options.cwd,
    env: { ...snapshot.env, ...(options.env ?? {}), ...parentWatchEnv(true), [ENV_INSTANCE]: JSON.stringify(config) },
    channelFd: CHANNEL_FD,
  });
  return new NodeInstance(options.kind, options.index, proc, snapshot.memoryMb);
}
