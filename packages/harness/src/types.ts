/**
 * The harness's vocabulary, shared by engines, the oracle, reports and matchers (one module, so
 * that restoring and duplicate detection no longer import each other).
 */
import type { LogLine, RecordedRequest, SerializedError, StubRule } from './runtime/protocol.js';
import type { SourceSite } from './sites.js';
import type { ContainmentSummary } from './containment/summary.js';

export type { LogLine, RecordedRequest, SerializedError, StubRule };
export type { SourceSite };

export type EngineName = 'node' | 'microvm' | 'linux';
export type InstanceKind = 'clone' | 'cold';
/** `out-of-memory`: stopped for using more than the memory setting (Lambda: Runtime.OutOfMemory). */
export type InvocationStatus = 'ok' | 'threw' | 'hook-failed' | 'crashed' | 'timeout' | 'out-of-memory';
export type CloneStatus = InvocationStatus;

export interface TracedValue {
  readonly api: string;
  readonly category: string;
  readonly phase: 'init' | 'restore' | 'invoke';
  readonly value: string;
  readonly site?: SourceSite;
  readonly cached?: boolean;
  /** The package that made the call, when it came from a dependency (e.g. `@smithy/core`). */
  readonly via?: string;
}

/** Everything one invocation of one instance produced. */
export interface InvocationResult {
  readonly index: number;
  readonly status: InvocationStatus;
  readonly result?: unknown;
  readonly error?: SerializedError;
  /** Values traced during this invocation (and, for a clone's first one, its after-restore hooks). */
  readonly trace: readonly TracedValue[];
  readonly logs: readonly LogLine[];
  readonly requests: readonly RecordedRequest[];
  /** Epoch ms inside the instance when the invocation started and ended. */
  readonly startedAt?: number;
  readonly endedAt?: number;
  readonly invokeMs?: number;
}

/** One instance: a clone restored from the snapshot, or a cold start. */
export interface CloneResult {
  readonly kind: InstanceKind;
  readonly index: number;
  /** The first problem among its invocations, or `ok`. */
  readonly status: CloneStatus;
  /** The first invocation's result and error (the shape single-invocation runs use). */
  readonly result?: unknown;
  readonly error?: SerializedError;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stderr: string;
  readonly stdout: string;
  /** This instance's own start to its first result: measured by the instance itself where it can (node: process start to answer), else by the harness. */
  readonly wallMs: number;
  /** Inside the instance: hooks + handler of the first invocation. */
  readonly invokeMs?: number;
  /** Values traced after init, over all invocations. */
  readonly trace: readonly TracedValue[];
  readonly invocations: readonly InvocationResult[];
  /** Epoch ms when the harness started (or restored) this instance. */
  readonly startedAt: number;
}

/** What init did, as every clone saw it (it is in the snapshot) or as one cold start did it. */
export interface InitObservation {
  readonly trace: readonly TracedValue[];
  readonly logs: readonly LogLine[];
  readonly requests: readonly RecordedRequest[];
}

export type DuplicateOrigin = 'init' | 'handler' | 'restore' | 'unknown';

/** A value seen in two or more clones that should have been unique to each. */
export interface Duplicate {
  readonly value: string;
  readonly category: string;
  /** Indices of the clones that produced it. */
  readonly clones: readonly number[];
  /** Invocation indices (0-based) at which the clones shared it. */
  readonly invocations: readonly number[];
  readonly origin: DuplicateOrigin;
  readonly api?: string;
  readonly site?: SourceSite;
  /** Where it shows up: `result.logStream`, `log["{requestId}"].requestId`, `request[0:POST host/].body.Item.pk.S`. */
  readonly paths: readonly string[];
  /** `trace`: a traced source produced it; `oracle`: it differs between cold starts; `shape`: it looks unique (no cold starts). */
  readonly detectedBy: 'trace' | 'oracle' | 'shape';
  readonly explanation: string;
  /** For values with no traced origin: the entropy init read that could feed them (API and site). */
  readonly initSources?: readonly string[];
}

/** A value sequence over several invocations that is identical in two or more clones. */
export interface RepeatedSequence {
  readonly path: string;
  readonly values: readonly string[];
  readonly clones: readonly number[];
  readonly explanation: string;
}

export interface HarnessTimings {
  readonly initMs: number;
  readonly bundleMs: number;
  readonly snapshotMs: number;
  /** Restoring and invoking all clones. */
  readonly restoreMs: number;
  /** Running all cold starts (0 when none). */
  readonly coldMs: number;
  readonly blobBytes: number;
}

/** How many instances ran and failed, what their outputs held, and whether the run proves anything. */
export interface RunCoverage {
  readonly clones: { readonly ran: number; readonly failed: number };
  readonly coldStarts: { readonly ran: number; readonly failed: number };
  /** Per clone that answered: values in its results, log lines, requests and traced values (what the oracle compared). */
  readonly compared: { readonly resultValues: number; readonly logLines: number; readonly requests: number; readonly tracedValues: number };
  /** Set when the run tested nothing (every clone or cold start failed, or nothing to compare): such a run never passes. */
  readonly inconclusive?: string;
}

export const HARNESS_JSON_VERSION = 2;

export interface HarnessRun {
  /** Version of this JSON shape (`--json`); see docs/harness.md. */
  readonly schemaVersion: number;
  readonly entry: string;
  readonly exportName: string;
  readonly engine: EngineName;
  /** The microvm engine's accelerator (`kvm` or `tcg`). */
  readonly accelerator?: string;
  readonly vmgenid?: string;
  readonly invocations: number;
  readonly clones: readonly CloneResult[];
  readonly coldStarts: readonly CloneResult[];
  readonly duplicates: readonly Duplicate[];
  readonly sequences: readonly RepeatedSequence[];
  readonly coverage: RunCoverage;
  /** Values produced during init (the same in every clone, since they are in the snapshot). */
  readonly initTrace: readonly TracedValue[];
  readonly init: InitObservation;
  readonly timings: HarnessTimings;
  /** What the harness contained the instances in (docs/harness.md, "Containment"). */
  readonly containment?: ContainmentSummary;
}
