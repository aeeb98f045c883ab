/**
 * `import 'snapstart-harness/jest'` (or `setupFilesAfterEnv: ['snapstart-harness/jest']`) adds
 * `expect(run).toHaveNoDuplicates()` to jest's global `expect`.
 */
import { matchers } from './matchers.js';

interface ExtensibleExpect {
  extend(matchers: Record<string, (this: unknown, received: never) => { pass: boolean; message: () => string }>): void;
}

const globalExpect = (globalThis as { expect?: ExtensibleExpect }).expect;
if (!globalExpect || typeof globalExpect.extend !== 'function') {
  throw new Error('snapstart-harness/jest: no global `expect` with `extend()`; load it from jest setup (setupFilesAfterEnv)');
}
globalExpect.extend(matchers);
