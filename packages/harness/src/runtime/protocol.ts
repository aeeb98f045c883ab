/**
 * What crosses the boundary between the harness and an instance (a clone restored from the
 * snapshot, or a cold start). Engine-neutral: the node engine sends these as JSON lines over a
 * socket, the microvm engine through the guest's mailboxes.
 */
import type { Category } from '@snapstart/core';

export type Phase = 'init' | 'restore' | 'invoke';

/** One value produced by a traced source, with the raw stack of the call (bundle positions). */
export interface TraceEntry {
  readonly api: string;
  readonly category: Category;
  readonly phase: Phase;
  readonly value: string;
  /** `file:line:column` frames of the bundle, innermost first. */
  readonly frames: readonly string[];
  /** randomUUID() without { disableEntropyCache: true }: served from Node's cache. */
  readonly cached?: boolean;
}

/** One line the function wrote (console, process.stdout/stderr); JSON lines parsed. */
export interface LogLine {
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
  readonly json?: unknown;
}

/** One outgoing HTTP(S) request, recorded and answered by the stub, never sent. */
export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Body as text (UTF-8), or base64 when it is not text. */
  readonly body: string;
  readonly bodyEncoding: 'utf8' | 'base64';
  /** Which API sent it: `http`, `https`, `fetch`. */
  readonly via: string;
  /** Status of the stub's answer. */
  readonly status: number;
}

/** A canned answer for requests whose method and URL match (`--responses FILE`). */
export interface StubRule {
  /** Method, or `*` / absent for any. */
  readonly method?: string;
  /** URL pattern: `*` matches any run of characters; `/…/` is a regular expression. */
  readonly url: string;
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** JSON value (sent as JSON) or a string (sent as is). */
  readonly body?: unknown;
}

/** Set once per instance (the node engine passes it in the environment). */
export interface InstanceConfig {
  readonly kind: 'clone' | 'cold';
  readonly index: number;
  readonly hookTimeoutMs: number;
  readonly stubs: readonly StubRule[];
}

export interface InvokeRequest {
  /** 0-based invocation index within this instance. */
  readonly invocation: number;
  readonly event: unknown;
  readonly context: Readonly<Record<string, unknown>>;
}

export interface SerializedError {
  readonly message: string;
  readonly stack?: string;
}

/** What the function did during one phase (init, or one invocation with its hooks). */
export interface Observed {
  readonly trace: readonly TraceEntry[];
  readonly logs: readonly LogLine[];
  readonly requests: readonly RecordedRequest[];
}

export interface InvokeResponse extends Observed {
  readonly invocation: number;
  readonly result?: unknown;
  readonly error?: SerializedError;
  readonly hookError?: SerializedError;
  /** Wall clock (epoch ms) when the invocation started and ended, read inside the instance. */
  readonly startedAt: number;
  readonly endedAt: number;
  /** Hooks + handler, inside the instance. */
  readonly invokeMs: number;
  readonly hooksMs: number;
  /** Node engine: when this process started and when the answer was sent (epoch ms, the instance's own clock). */
  readonly processStartedAt?: number;
  readonly sentAt?: number;
  /** On an instance's first response: what init did (for a clone: init in the snapshot). */
  readonly init?: Observed & { readonly initMs: number };
}

/** Written by the snapshot builder after init (and before-snapshot hooks). */
export interface BuildReport {
  readonly initMs: number;
  readonly handlerFound: boolean;
  readonly exportNames: readonly string[];
  readonly hookError?: SerializedError;
  readonly initError?: SerializedError;
  /** With `initError`: init's requests that the stub's default `200 {}` answered. */
  readonly defaultAnswered?: readonly string[];
}

export const ENV_INSTANCE = 'SNAPSTART_INSTANCE';
export const ENV_BUILD_REPORT = 'SNAPSTART_BUILD_REPORT';
/** The node engine's request/response socket in the instance. */
export const CHANNEL_FD = 3;

export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) return { message: err.message, ...(err.stack ? { stack: err.stack } : {}) };
  return { message: String(err) };
}
