import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as root from '../src/index.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, { types: string; default: string }>;
};

describe('@snapstart/runtime-hooks entry points', () => {
  it('the package root has no test helpers', () => {
    expect(root).not.toHaveProperty('resetHooksForTesting');
  });

  it('@snapstart/runtime-hooks/testing resolves through the exports map and clears the one registry of the process', async () => {
    expect(pkg.exports['./testing']).toEqual({ types: './dist/testing.d.ts', default: './dist/testing.js' });
    // The built copy of the package, as a user's test suite loads it, next to this source copy.
    const testing = await import('@snapstart/runtime-hooks/testing');
    root.registerBeforeSnapshot(() => undefined);
    root.registerAfterRestore(() => undefined);
    expect(root.registeredHookCounts()).toEqual({ beforeSnapshot: 1, afterRestore: 1 });
    testing.resetHooksForTesting();
    expect(root.registeredHookCounts()).toEqual({ beforeSnapshot: 0, afterRestore: 0 });
  });
});
