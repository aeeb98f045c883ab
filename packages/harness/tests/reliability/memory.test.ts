// Probe 6 of issue 25: no memory limit per instance (`--clones 64` of a handler that allocates
// 4 GB would ask the host for ~280 GB). Now --memory (default 1024 MB, like Lambda) is enforced
// per instance and reported as an out-of-memory verdict (Runtime.OutOfMemory).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { restoreClones } from '../../src/index.js';
import { cli, ownFixture, repoRoot, usePrivateTmp } from './helpers.js';

usePrivateTmp();

describe.each(['heap', 'buffer'] as const)('memory setting, allocating on the %s', (kind) => {
  it('an instance past --memory 128 is stopped with an out-of-memory verdict, not the host', async () => {
    const run = await restoreClones({ entry: ownFixture('memory-hog.ts'), cwd: repoRoot, clones: 2, cold: 1, memoryMb: 128, event: { kind }, timeoutMs: 30_000 });
    for (const instance of [...run.clones, ...run.coldStarts]) {
      expect(instance.status).toBe('out-of-memory');
      expect(instance.error?.message).toMatch(/^Runtime\.OutOfMemory: the (clone|cold start) used more than its memory setting of 128 MB/);
    }
    expect(run.containment?.memory).toMatch(/^128 MB/);
  });
});

describe('--memory', () => {
  it("is checked against Lambda's range", () => {
    const r = spawnSync(process.execPath, [cli, 'run', ownFixture('memory-hog.ts'), '--memory', '64'], { cwd: repoRoot, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('memory (MB) must be an integer from 128 to 10240, got 64');
  });
});
