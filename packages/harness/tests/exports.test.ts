import { describe, expect, it } from 'vitest';
import * as root from '../src/index.js';

describe('snapstart-harness entry point', () => {
  it('exports the run API and no pre-1.0 aliases', () => {
    for (const name of ['buildSnapshot', 'restoreClones', 'restoreOne', 'analyzeRun', 'formatRun', 'toHaveNoDuplicates', 'cleanupAll']) {
      expect(typeof (root as Record<string, unknown>)[name], name).toBe('function');
    }
    // findDuplicates(clones, trace) was analyzeRun({ clones, initTrace }).duplicates.
    expect(root).not.toHaveProperty('findDuplicates');
  });
});
