/**
 * `import 'snapstart-harness/vitest'` adds `expect(run).toHaveNoDuplicates()` to vitest.
 * The failure message lists every duplicated value with its origin.
 */
import { expect } from 'vitest';
import type { HarnessRun } from './restore.js';

interface SnapstartMatchers<R = unknown> {
  /** Passes when no value repeats across the clones of a harness run, and every clone answered. */
  toHaveNoDuplicates(): R;
}

declare module 'vitest' {
  interface Assertion<T> extends SnapstartMatchers<T> {}
  interface AsymmetricMatchersContaining extends SnapstartMatchers {}
}

expect.extend({
  toHaveNoDuplicates(received: HarnessRun) {
    const failedClones = received.clones.filter((c) => c.status !== 'ok');
    const pass = received.duplicates.length === 0 && failedClones.length === 0;
    return {
      pass,
      message: () => {
        if (pass) return `expected duplicates across the ${received.clones.length} clones, found none`;
        const lines = received.duplicates.map(
          (d) => `  ${d.value} (${d.category}) in ${d.clones.length}/${received.clones.length} clones: ${d.explanation}`,
        );
        for (const c of failedClones) lines.push(`  clone ${c.index} ${c.status}: ${c.error?.message ?? ''}`);
        return `expected no duplicated values across clones:\n${lines.join('\n')}`;
      },
    };
  },
});
