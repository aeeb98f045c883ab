import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ESM script shared by `npm run docs:sources` and this test, without types.
import { DOC_PATH, replaceCatalogue } from '../scripts/catalogue-doc.mjs';
import { SOURCE_CATALOGUE } from '../src/index.js';

describe('docs/sources.md', () => {
  it('lists every catalogue entry as the catalogue has it (run `npm run docs:sources -w @snapstart/core`)', () => {
    const doc = readFileSync(DOC_PATH, 'utf8');
    expect(doc).toBe(replaceCatalogue(doc, SOURCE_CATALOGUE));
    for (const e of SOURCE_CATALOGUE) expect(doc).toContain(e.checked);
  });
});
