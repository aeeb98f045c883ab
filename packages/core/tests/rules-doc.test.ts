import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ESM script shared by `npm run docs:rules` and this test, without types.
import { README_PATH, REPO_ROOT, pagePath, renderHeader, replaceHeader, replaceTable } from '../scripts/rules-doc.mjs';
import { reportedRuleId, RULES, type RuleMeta } from '../src/index.js';

const rules: RuleMeta[] = Object.values(RULES);

describe('generated rule documentation (run `npm run docs:rules -w @snapstart/core` when this fails)', () => {
  it.each(rules.map((r) => [r.id, r] as const))('docs/rules/%s.md has the header RULES gives it', (_id, rule) => {
    const page = readFileSync(`${REPO_ROOT}${pagePath(rule)}`, 'utf8');
    expect(page).toBe(replaceHeader(page, rule));
    expect(page.startsWith(renderHeader(rule) as string)).toBe(true);
    // The title is the id as findings and configs carry it.
    expect(page).toContain(`\n# ${reportedRuleId(rule)}\n`);
  });

  it('the README lists every rule of every engine as RULES has it', () => {
    const readme = readFileSync(README_PATH, 'utf8');
    expect(readme).toBe(replaceTable(readme, rules));
    for (const r of rules) expect(readme).toContain(`(${pagePath(r) as string})`);
  });

  it('a header states severity, fix and suggestions in one vocabulary', () => {
    const warning = rules.find((r) => r.defaultSeverity === 'warning')!;
    expect(renderHeader(warning)).toContain('**Severity:** warning ·');
    expect(renderHeader({ ...warning, fixable: true, hasSuggestions: false })).toContain('**Fixable:** yes · **Suggestions:** no');
  });

  it('a page without markers is an error naming it', () => {
    expect(() => replaceHeader('# hand-written\n', rules[0])).toThrow(pagePath(rules[0]) as string);
  });
});
