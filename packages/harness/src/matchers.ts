import type { HarnessRun } from './types.js';

export interface MatcherResult {
  readonly pass: boolean;
  readonly message: () => string;
}

/**
 * `expect(run).toHaveNoDuplicates()`: passes when no value repeats across the clones of a harness
 * run and every clone answered. The same function serves vitest and jest (their `expect.extend`
 * contracts agree); the message lists each duplicate with its origin.
 */
export function toHaveNoDuplicates(received: HarnessRun): MatcherResult {
  const failedClones = received.clones.filter((c) => c.status !== 'ok');
  const inconclusive = received.coverage?.inconclusive;
  const pass = received.duplicates.length === 0 && (received.sequences ?? []).length === 0 && failedClones.length === 0 && !inconclusive;
  return {
    pass,
    message: () => {
      if (pass) return `expected duplicates across the ${received.clones.length} clones, found none`;
      const lines = received.duplicates.map(
        (d) => `  ${d.value} (${d.category}) in ${d.clones.length}/${received.clones.length} clones: ${d.explanation}`,
      );
      for (const s of received.sequences ?? []) lines.push(`  sequence at ${s.path} in clones ${s.clones.join(', ')}: ${s.explanation}`);
      if (inconclusive) lines.push(`  the run tested nothing: ${inconclusive}`);
      for (const c of failedClones) lines.push(`  clone ${c.index} ${c.status}: ${c.error?.message ?? ''}`);
      return `expected no duplicated values across clones:\n${lines.join('\n')}`;
    },
  };
}

export const matchers = { toHaveNoDuplicates };
