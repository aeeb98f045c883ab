/** What crosses the process boundary between the harness and a clone (JSON). */
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

export interface CloneRequest {
  readonly cloneIndex: number;
  readonly event: unknown;
  readonly context: Record<string, unknown>;
  readonly hookTimeoutMs: number;
}

export interface SerializedError {
  readonly message: string;
  readonly stack?: string;
}

export interface CloneResponse {
  readonly cloneIndex: number;
  readonly result?: unknown;
  readonly error?: SerializedError;
  readonly hookError?: SerializedError;
  readonly trace: readonly TraceEntry[];
  /** ms from the clone's main function start to the handler's result. */
  readonly invokeMs: number;
  readonly hooksMs: number;
}

/** Written by the snapshot builder after init (and before-snapshot hooks). */
export interface BuildReport {
  readonly initMs: number;
  readonly handlerFound: boolean;
  readonly exportNames: readonly string[];
  readonly hookError?: SerializedError;
  readonly initError?: SerializedError;
}

export const ENV_REQUEST = 'SNAPSTART_REQUEST';
export const ENV_BUILD_REPORT = 'SNAPSTART_BUILD_REPORT';
/** The clone writes its one response line on this file descriptor. */
export const RESPONSE_FD = 3;

export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) return { message: err.message, ...(err.stack ? { stack: err.stack } : {}) };
  return { message: String(err) };
}
