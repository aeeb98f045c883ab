/** `import 'snapstart-harness/vitest'` adds `expect(run).toHaveNoDuplicates()` to vitest. */
import { expect } from 'vitest';
import { matchers } from './matchers.js';

interface SnapstartMatchers<R = unknown> {
  /** Passes when no value repeats across the clones of a harness run, and every clone answered. */
  toHaveNoDuplicates(): R;
}

// Vitest's documented way to type custom matchers: empty interfaces that merge ours in.
/* eslint-disable @typescript-eslint/no-empty-object-type */
declare module 'vitest' {
  interface Assertion<T> extends SnapstartMatchers<T> {}
  interface AsymmetricMatchersContaining extends SnapstartMatchers {}
}
/* eslint-enable @typescript-eslint/no-empty-object-type */

expect.extend(matchers);
