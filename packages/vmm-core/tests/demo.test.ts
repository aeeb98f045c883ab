import { describe, expect, it } from 'vitest';
import { runDemo } from '../src/internal.js';
import { ACCELERATORS } from './support.js';

describe.each(ACCELERATORS)('the article demo on %s', (accel) => {
  it('shows init values shared by every clone and request ids made unique only by a fresh vmgenid', async () => {
    const out = await runDemo({ clones: 3, accel });
    expect(out).toContain(`booted the demo guest on ${accel}`);
    const summaries = out.split('\n').filter((l) => l.trim().startsWith('distinct:'));
    expect(summaries).toEqual([
      '  distinct: sandboxId 1/3, userspaceRandom 1/3, requestId 3/3',
      '  distinct: sandboxId 1/3, userspaceRandom 1/3, requestId 1/3',
    ]);
  });
});
