/**
 * What `snapstart-scan --confirm` adds to a report: for every static finding, whether real clones
 * restored from a real snapshot (the harness) repeated the value it points at, and the values the
 * run proved repeated that no finding points at. See docs/cli.md, "Confirming findings".
 */

import type { EngineName } from 'snapstart-harness';

export type ConfirmationState = 'confirmed' | 'not-reproduced' | 'not-run';

export const CONFIRMATION_STATES: readonly ConfirmationState[] = ['confirmed', 'not-reproduced', 'not-run'];

/** Engines `--confirm` can run a handler on: the harness's. */
export type ConfirmEngine = EngineName;

/** A source position as the harness traced it (relative to the scan root). */
export interface EvidenceSite {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** One repeated value the harness saw, as evidence for (or beside) a finding. */
export interface Evidence {
  readonly value: string;
  readonly category: string;
  /** Indices of the clones that shared it. */
  readonly clones: readonly number[];
  /** Where it showed up: `result.id`, `log[2].requestId`, `request[0:POST host/].body…`. */
  readonly paths: readonly string[];
  /** `init`: made during init; `handler`/`restore`: made after restore but repeating because of state init left. */
  readonly origin: string;
  readonly detectedBy: string;
  readonly api?: string;
  /** Where the value was made, when a traced source made it. */
  readonly site?: EvidenceSite;
  /** The init-time calls that caused it (an entropy cache filled by the same API): what links it to a finding. */
  readonly causes: readonly EvidenceSite[];
  /**
   * For a value no traced source made (found by the cold-start oracle): the init-time reads of
   * entropy that may have fed it. A weaker link: a finding of a matching category there is confirmed
   * as one of these candidates.
   */
  readonly candidates: readonly EvidenceSite[];
  readonly explanation: string;
}

export interface Confirmation {
  readonly state: ConfirmationState;
  /** One sentence: what was compared and what it showed, or why it was not run. */
  readonly reason: string;
  /** The handler file whose run decided it, and the engine. */
  readonly handler?: string;
  readonly engine?: ConfirmEngine;
  readonly evidence: readonly Evidence[];
}

/** A value the run proved repeated with no static finding on its path (`dynamic/duplicate`). */
export interface DynamicResult {
  readonly handler: string;
  readonly engine: ConfirmEngine;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly evidence: Evidence;
}

/** What one handler's run showed, reduced to what confirmation needs (and what the cache keeps). */
export interface HandlerRunSummary {
  readonly handler: string;
  readonly exportName: string;
  readonly engine: ConfirmEngine;
  /** `ran`: at least one clone and (with cold starts) one cold start answered. */
  readonly outcome: 'ran' | 'failed';
  /** For `failed`: the harness's or the handler's own error. */
  readonly error?: string;
  readonly clones: number;
  readonly failedClones: number;
  readonly coldStarts: number;
  readonly invocations: number;
  /** What was compared: results, log lines, outgoing requests. */
  readonly compared: string;
  readonly duplicates: readonly Evidence[];
  /** Sites of values init produced (traced sources), to say "init made it here but nothing later carried it". */
  readonly initSites: readonly EvidenceSite[];
  readonly wallMs: number;
  /** True when this summary came from the cache (the handler's bundle did not change). */
  readonly cached?: boolean;
}

export interface ConfirmSummary {
  readonly confirmed: number;
  readonly notReproduced: number;
  readonly notRun: number;
  readonly dynamicOnly: number;
  readonly handlers: readonly { readonly handler: string; readonly engine: ConfirmEngine; readonly outcome: 'ran' | 'failed' | 'not-run'; readonly wallMs: number; readonly cached: boolean; readonly reason?: string }[];
}
