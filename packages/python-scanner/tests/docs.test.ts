import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PYTHON_SOURCE_CATALOGUE, docsUrl, rulesForEngine } from '@snapstart/core';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ESM script shared by `npm run docs:sources -w @snapstart/core` and this test, without types.
import { DOC_PATH, replacePythonCatalogue } from '../../core/scripts/catalogue-doc.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('python rules documentation', () => {
  it.each(rulesForEngine('python').map((r) => r.id))('%s has a doc page with Why / Incorrect / Correct / How to fix', (id) => {
    const page = join(repoRoot, 'docs/rules', `${id}.md`);
    expect(docsUrl(id)).toMatch(new RegExp(`docs/rules/${id}\\.md$`));
    expect(existsSync(page), page).toBe(true);
    const text = readFileSync(page, 'utf8');
    expect(text).toContain(`# ${id}\n`);
    for (const section of ['## Why', '## Incorrect', '## Correct', '## How to fix']) expect(text).toContain(section);
  });

  it('docs/python.md lists every python rule', () => {
    const text = readFileSync(join(repoRoot, 'docs/python.md'), 'utf8');
    for (const r of rulesForEngine('python')) expect(text).toContain(`rules/${r.id}.md`);
  });

  it('docs/sources.md has the Python catalogue as it is (run `npm run docs:sources -w @snapstart/core`)', () => {
    const doc = readFileSync(DOC_PATH, 'utf8');
    expect(doc).toBe(replacePythonCatalogue(doc, PYTHON_SOURCE_CATALOGUE));
  });
});
