// RULES is the truth: the rule doc pages, the ESLint plugin's rules and recommended config, the Java
// scanner's rule files and the Python scanner's findings must all agree with it, both ways.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import plugin from 'eslint-plugin-snapstart';
import { scanPythonProject } from '@snapstart/python-scanner';
import { describe, expect, it } from 'vitest';
import { JAVA_RULES } from '../../java-scanner/src/rules/index.js';
import { PYTHON_RULES } from '../../python-scanner/src/rules/index.js';
import { docsUrl, ruleForCategory, RULES, rulesForEngine, DOCS_BASE_URL, type RuleMeta } from '../src/index.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const all: RuleMeta[] = Object.values(RULES);
const ids = (rules: readonly RuleMeta[]): string[] => rules.map((r) => r.id).sort();

function markdownUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? markdownUnder(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : [],
  );
}

describe('RULES agrees with the docs', () => {
  it('every rule has a page at its docs URL, and every page is a rule', () => {
    const rulesDir = join(repoRoot, 'docs/rules');
    const pages = markdownUnder(rulesDir).map((p) => relative(rulesDir, p).split(sep).join('/').replace(/\.md$/, ''));
    expect(pages.sort()).toEqual(ids(all));
    for (const r of all) expect(docsUrl(r.id)).toBe(`${DOCS_BASE_URL}${r.id}.md`);
  });

  it('ids follow one scheme: ESLint rules unprefixed (the plugin adds `snapstart/`), others `<engine>/<name>`', () => {
    const prefix: Record<RuleMeta['engine'], string> = { eslint: '', java: 'java/', python: 'python/', harness: 'dynamic/' };
    for (const r of all) {
      expect(r.id.startsWith(prefix[r.engine]), r.id).toBe(true);
      expect(r.id.slice(prefix[r.engine].length), r.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
    }
  });

  it('rules of the same category and kind have the same name in every language', () => {
    for (const r of all.filter((x) => x.reports === 'value' && x.engine !== 'harness')) {
      const name = r.id.replace(/^(java|python)\//, '');
      const eslint = ruleForCategory('eslint', r.category);
      expect(name, r.id).toBe(eslint.id);
    }
  });
});

describe('RULES agrees with the ESLint plugin', () => {
  it('the plugin has exactly the eslint rules of RULES', () => {
    expect(Object.keys(plugin.rules).sort()).toEqual(ids(rulesForEngine('eslint')));
  });

  it.each(rulesForEngine('eslint').map((r) => [r.id, r] as const))('%s: meta and recommended level come from RULES', (id, r) => {
    const meta = plugin.rules[id as keyof typeof plugin.rules].meta;
    expect(meta.docs?.description).toBe(r.description);
    expect(meta.docs?.url).toBe(docsUrl(id));
    expect(meta.fixable !== undefined).toBe(r.fixable);
    expect(meta.hasSuggestions === true).toBe(r.hasSuggestions);
    // ESLint spells a warning `warn`; the rule pages and findings say `warning`.
    expect(plugin.configs.recommended.rules?.[`snapstart/${id}`]).toBe(r.defaultSeverity === 'error' ? 'error' : 'warn');
  });
});

describe('RULES agrees with the Java scanner', () => {
  it('one rule object per Java rule of RULES, holding its RULES entry, in a file named after it', () => {
    expect(JAVA_RULES.map((r) => r.meta.id).sort()).toEqual(ids(rulesForEngine('java')));
    for (const rule of JAVA_RULES) expect(rule.meta).toStrictEqual(RULES[rule.meta.id as keyof typeof RULES]);
    const files = readdirSync(join(repoRoot, 'packages/java-scanner/src/rules')).map((f) => `java/${f.replace(/\.ts$/, '')}`);
    for (const id of ids(rulesForEngine('java'))) expect(files, id).toContain(id);
  });
});

describe('RULES agrees with the Python scanner', () => {
  it('one rule file per Python rule of RULES, holding its RULES entry', () => {
    expect(PYTHON_RULES.map((r) => r.id).sort()).toEqual(ids(rulesForEngine('python')));
    for (const meta of PYTHON_RULES) expect(meta).toStrictEqual(RULES[meta.id as keyof typeof RULES]);
    const files = readdirSync(join(repoRoot, 'packages/python-scanner/src/rules')).map((f) => `python/${f.replace(/\.ts$/, '')}`);
    for (const id of ids(rulesForEngine('python'))) expect(files, id).toContain(id);
  });

  it('a project with every kind of Python finding yields each Python rule, with RULES category and severity', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-agreement-'));
    try {
      writeFileSync(
        join(dir, 'app.py'),
        [
          'import random, secrets, time, uuid',
          'from ids import new_id',
          'ID = uuid.uuid4()',
          'WORKER = new_id()',
          'STARTED = time.time()',
          'TOKEN = secrets.token_hex(16)',
          'NUMBER = random.random()',
          '',
          'def lambda_handler(event, context):',
          '    return {"id": str(ID), "worker": WORKER, "started": STARTED, "token": TOKEN, "number": NUMBER}',
          '',
        ].join('\n'),
      );
      writeFileSync(
        join(dir, 'hooks.py'),
        ['from snapshot_restore_py import register_after_restore', '', '@register_after_restore', 'def reseed():', '    pass', ''].join('\n'),
      );
      writeFileSync(join(dir, 'ids.py'), 'import ids_service\n\ndef new_id():\n    return ids_service.next()\n');
      const { findings, diagnostics } = await scanPythonProject([dir], { cwd: dir, sources: [{ name: 'ids.new_id', category: 'other' }] });
      expect(diagnostics).toEqual([]);
      expect([...new Set(findings.map((f) => f.ruleId))].sort()).toEqual(ids(rulesForEngine('python')));
      for (const f of findings) {
        const r: RuleMeta = RULES[f.ruleId as keyof typeof RULES];
        expect([f.ruleId, f.category, f.severity]).toEqual([r.id, r.category, r.defaultSeverity]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('RULES agrees with --confirm', () => {
  it('the harness reports under one rule, dynamic/duplicate', () => {
    expect(ids(rulesForEngine('harness'))).toEqual(['dynamic/duplicate']);
  });
});

describe('RuleMeta', () => {
  it('each engine has at most one value rule per category (what ruleForCategory returns)', () => {
    const seen = new Set<string>();
    for (const r of all.filter((x) => x.reports === 'value')) {
      const key = `${r.engine}:${r.category}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
    }
  });

  it('hook rules are never chosen for a category', () => {
    for (const r of all.filter((x) => x.reports === 'hook')) {
      let chosen: string | undefined;
      try {
        chosen = ruleForCategory(r.engine, r.category).id;
      } catch {
        chosen = undefined; // no value rule of that category for the engine: nothing chosen
      }
      expect(chosen).not.toBe(r.id);
    }
  });
});
