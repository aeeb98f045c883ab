/**
 * One interface for the two ways the harness snapshots a function: the `node` engine (a V8
 * startup snapshot) and the `microvm` engine (a whole-VM snapshot in vmm-core). Reports, the
 * differential oracle and the matchers only see this.
 */
import type { InvokeRequest, InvokeResponse, StubRule } from '../runtime/protocol.js';
import { lambdaEnvironment, type FunctionSettings } from '../containment/environment.js';
import { SiteMapper } from '../sites.js';
import type { EngineName, InstanceKind } from '../types.js';

export interface BuildInput {
  readonly entry: string;
  readonly exportName: string;
  readonly cwd: string;
  readonly stubs: readonly StubRule[];
  /** Kill init after this long. */
  readonly buildTimeoutMs?: number;
  /** Environment for init and instances, on top of the harness's defaults. */
  readonly env?: Readonly<Record<string, string>>;
  /** Lambda layer directories (each what is extracted at /opt), in the order Lambda applies them. */
  readonly layers?: readonly string[];
  /** The function's memory setting, MB (default 1024); enforced per instance. */
  readonly memoryMb?: number;
}

/** What every engine's build records about its snapshot. */
export interface SnapshotRecord {
  readonly dir: string;
  readonly entry: string;
  readonly exportName: string;
  readonly bundle: string;
  readonly sourceMap: string;
  readonly initMs: number;
  /** Bundling (and, for microvm, lowering to ES5). */
  readonly bundleMs: number;
  /** Running init and writing the snapshot. */
  readonly snapshotMs: number;
  readonly blobBytes: number;
  /** Epoch ms when the snapshot was taken: values from before it cannot come from a clone. */
  readonly takenAt: number;
  readonly stubs: readonly StubRule[];
  /** The memory setting its instances run under, MB (engines that enforce one). */
  readonly memoryMb?: number;
}

/** A snapshot ready to restore (and the same code, ready to cold start). */
export interface EngineSnapshot extends SnapshotRecord {
  readonly engine: EngineName;
  /** Engine-specific details (accelerator, snapshot file…). */
  readonly details: Readonly<Record<string, string | number>>;
  /** Source map of the bundle, parsed once per snapshot. */
  mapper(cwd: string): SiteMapper;
  /** Rewrites the engine's stack frames (bundle positions) to the user's sources. */
  mapStack(stack: string, cwd: string): string;
}

// The record's fields: typed by this interface (merged with the class), set from the record in the
// constructor. Merging is deliberate: the record's fields are declared once, in SnapshotRecord.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface BundleSnapshot extends SnapshotRecord {}

/** The engine-neutral part of a snapshot: its record, and the bundle's source map parsed once per working directory. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the interface above
export abstract class BundleSnapshot implements EngineSnapshot {
  abstract readonly engine: EngineName;
  abstract readonly details: Readonly<Record<string, string | number>>;
  private parsed: { cwd: string; mapper: SiteMapper } | undefined;

  constructor(record: SnapshotRecord) {
    Object.assign(this, record);
  }

  mapper(cwd: string): SiteMapper {
    if (this.parsed?.cwd !== cwd) this.parsed = { cwd, mapper: new SiteMapper(this.sourceMap, this.bundle, cwd) };
    return this.parsed.mapper;
  }

  abstract mapStack(stack: string, cwd: string): string;
}

export type InvokeOutcome =
  /** `wallMs`: the instance's own start to this answer, measured without the harness's event loop. */
  | { readonly kind: 'response'; readonly response: InvokeResponse; readonly wallMs?: number }
  | { readonly kind: 'timeout'; readonly timeoutMs: number }
  | { readonly kind: 'crashed'; readonly message: string; readonly code: number | null; readonly signal: string | null }
  /** Stopped for using more than the memory setting (Lambda: Runtime.OutOfMemory). */
  | { readonly kind: 'out-of-memory'; readonly message: string; readonly limitMb: number };

/** A running instance: a clone restored from the snapshot, or a cold start of the same code. */
export interface EngineInstance {
  readonly kind: InstanceKind;
  readonly index: number;
  /** Epoch ms when the harness started (restored) it. */
  readonly startedAt: number;
  /** performance.now() at that moment, for per-instance wall times. */
  readonly startedClock: number;
  invoke(request: InvokeRequest, timeoutMs: number): Promise<InvokeOutcome>;
  /** Ends it and everything it started. */
  close(): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>;
}

export interface InstanceOptions {
  readonly kind: InstanceKind;
  readonly index: number;
  readonly hookTimeoutMs: number;
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string>>;
}

export interface Engine {
  readonly name: EngineName;
  build(input: BuildInput): Promise<EngineSnapshot>;
  restore(snapshot: EngineSnapshot, options: InstanceOptions): Promise<EngineInstance>;
  coldStart(snapshot: EngineSnapshot, options: InstanceOptions): Promise<EngineInstance>;
  /** Removes the snapshot's files. */
  dispose(snapshot: EngineSnapshot): void;
}

/**
 * What every instance gets in its environment, and nothing of the host's: Lambda's runtime
 * variables, a region and dummy credentials (so that AWS SDK clients can be created and called;
 * their requests go to the stub, never to AWS), then `extra` (`--env`). See containment/environment.ts.
 */
export function functionEnvironment(extra?: Readonly<Record<string, string>>, settings?: FunctionSettings): Record<string, string> {
  return lambdaEnvironment(extra, settings);
}
