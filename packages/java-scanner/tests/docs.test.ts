import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { docsUrl, rulesForEngine } from '@snapstart/core';
import { describe, expect, it } from 'vitest';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('java rules documentation', () => {
  it.each(rulesForEngine('java').map((r) => r.id))('%s has a doc page at its docs URL with wrong/right examples', (id) => {
    const page = join(repoRoot, 'docs/rules', `${id}.md`);
    expect(docsUrl(id)).toMatch(new RegExp(`docs/rules/${id}\\.md$`));
    expect(existsSync(page), page).toBe(true);
    const text = readFileSync(page, 'utf8');
    expect(text).toContain(`# ${id}\n`);
    expect(text).toMatch(/## Incorrect/);
    expect(text).toMatch(/## Correct/);
  });
});
