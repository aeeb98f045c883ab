// Issue 20 (paths) as tests: every way of naming the same repository gives the same files and the
// same findings; a file is never dropped without a reason.
import { execFileSync } from 'node:child_process';
import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepo, runCli } from '../helpers.js';

interface Report {
  findings: Array<{ file: string; line: number; ruleId: string }>;
  diagnostics: Array<{ file: string; message: string }>;
  stats: { files: number; skipped: Record<string, number> };
}

const DATE_AT_INIT = 'const t = Date.now();\nexport const handler = async () => t;\n';

/** A repository with tests in every kind of test folder, tracked files that .gitignore matches, directive comments and JSX in .js. */
const TREE = {
  'src/handler.ts': "import { randomUUID } from 'node:crypto';\nconst id = randomUUID();\nexport const handler = async () => ({ id });\n",
  // A directive comment sends the file through ESLint: it must not be lost from outside the cwd.
  'src/directive.ts': '/* eslint-disable no-console */\nconst started = Date.now();\nconst seed = Math.random();\nexport const handler = async () => ({ started, seed });\n',
  'src/view.js': 'const t = Date.now();\nexport const handler = async () => <div>{t}</div>;\n',
  'src/types.d.ts': 'export declare const t: number;\n',
  '__tests__/h.ts': DATE_AT_INIT,
  'spec/s.ts': DATE_AT_INIT,
  'test/t.ts': DATE_AT_INIT,
  'src/a.test.ts': DATE_AT_INIT,
  'lib/tracked.js': DATE_AT_INIT,
  'lib/untracked.js': DATE_AT_INIT,
  'generated/tracked.ts': DATE_AT_INIT,
  '.gitignore': '*.js\ngenerated/\n',
};

function git(dir: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: dir, stdio: 'ignore' });
}

/** Findings and skips with paths made relative to the repository, whatever they were relative to. */
function normalised(report: Report, prefix: string): { findings: string[]; files: number; skipped: Record<string, number>; diagnostics: string[] } {
  const strip = (p: string): string => (prefix && p.startsWith(`${prefix}/`) ? p.slice(prefix.length + 1) : p);
  return {
    findings: report.findings.map((f) => `${strip(f.file)}:${f.line} ${f.ruleId}`).sort(),
    files: report.stats.files,
    skipped: report.stats.skipped,
    diagnostics: report.diagnostics.map((d) => `${strip(d.file)} ${d.message}`),
  };
}

describe('scan paths (issue 20): the same files and findings however the repository is named', () => {
  let outer: { dir: string; cleanup: () => void };
  let repo: string;
  beforeAll(() => {
    outer = makeRepo({});
    repo = join(outer.dir, 'work', 'repo');
    mkdirSync(repo, { recursive: true });
    for (const [name, text] of Object.entries(TREE)) {
      mkdirSync(join(repo, name, '..'), { recursive: true });
      writeFileSync(join(repo, name), text);
    }
    git(repo, 'init', '-q');
    git(repo, 'add', '-A');
    // Tracked although .gitignore matches them: git does not ignore tracked files, nor may the scan.
    git(repo, 'add', '-f', 'lib/tracked.js', 'src/view.js', 'generated/tracked.ts');
    git(repo, 'commit', '-qm', 'init');
    symlinkSync(repo, join(outer.dir, 'link'));
  });
  afterAll(() => outer.cleanup());

  it('inside, outside (../), absolute and symlinked paths give identical results', async () => {
    const inside = normalised(JSON.parse((await runCli(['-f', 'json'], repo)).stdout) as Report, '');
    expect(inside.findings).toEqual([
      'generated/tracked.ts:1 snapstart/no-init-time',
      'lib/tracked.js:1 snapstart/no-init-time',
      'src/directive.ts:2 snapstart/no-init-time',
      'src/directive.ts:3 snapstart/no-init-random',
      'src/handler.ts:2 snapstart/no-init-entropy-cache',
      'src/handler.ts:2 snapstart/no-init-uuid',
      'src/view.js:1 snapstart/no-init-time',
    ]);
    expect(inside.diagnostics).toEqual([]);
    expect(inside.skipped).toMatchObject({ gitignored: 1, excluded: 1, tests: 4 });

    const sibling = join(outer.dir, 'work', 'other');
    mkdirSync(sibling, { recursive: true });
    const fromSibling = await runCli(['-f', 'json', '../repo'], sibling);
    expect(fromSibling.code).toBe(1);
    expect(normalised(JSON.parse(fromSibling.stdout) as Report, '../repo')).toEqual(inside);

    const fromParent = await runCli(['-f', 'json', 'repo'], join(outer.dir, 'work'));
    expect(normalised(JSON.parse(fromParent.stdout) as Report, 'repo')).toEqual(inside);

    const absolute = await runCli(['-f', 'json', repo], sibling);
    expect(normalised(JSON.parse(absolute.stdout) as Report, relative(realpathSync(sibling), realpathSync(repo)))).toEqual(inside);

    const viaLink = await runCli(['-f', 'json', join(outer.dir, 'link')], sibling);
    expect(normalised(JSON.parse(viaLink.stdout) as Report, relative(realpathSync(sibling), realpathSync(repo)))).toEqual(inside);

    // A single file from outside: the directive file keeps its findings.
    const single = await runCli(['-f', 'json', '../repo/src/directive.ts'], sibling);
    expect((JSON.parse(single.stdout) as Report).findings.map((f) => `${f.file}:${f.line}`)).toEqual(['../repo/src/directive.ts:2', '../repo/src/directive.ts:3']);
  }, 300_000); // six whole CLI runs

  it('.gitignore leaves out untracked files only (git\'s index is read)', async () => {
    const list = await runCli(['--list-files'], repo);
    expect(list.code).toBe(0);
    const lines = list.stdout.trim().split('\n');
    expect(lines).toContain('generated/tracked.ts');
    expect(lines).toContain('lib/tracked.js');
    expect(lines).toContain('lib/untracked.js\tskipped: gitignored');
  });

  it('--list-files prints every file and why each left-out one is left out', async () => {
    const list = await runCli(['--list-files'], repo);
    expect(list.stdout.trim().split('\n').sort()).toEqual(
      [
        'generated/tracked.ts',
        'lib/tracked.js',
        'src/directive.ts',
        'src/handler.ts',
        'src/view.js',
        '__tests__/h.ts\tskipped: tests',
        'lib/untracked.js\tskipped: gitignored',
        'spec/s.ts\tskipped: tests',
        'src/a.test.ts\tskipped: tests',
        'src/types.d.ts\tskipped: excluded',
        'test/t.ts\tskipped: tests',
      ].sort(),
    );
    expect(list.stderr).toContain('5 files to scan');
  });

  it('`__tests__`, `test`, `tests` and `spec` folders follow the test rule; --include-tests scans them', async () => {
    const withTests = JSON.parse((await runCli(['-f', 'json', '--include-tests'], repo)).stdout) as Report;
    const files = new Set(withTests.findings.map((f) => f.file));
    for (const f of ['__tests__/h.ts', 'spec/s.ts', 'test/t.ts', 'src/a.test.ts']) expect(files.has(f), f).toBe(true);
  });

  it('parses JSX in .js files (no "cannot parse")', async () => {
    const run = JSON.parse((await runCli(['-f', 'json', '--no-prefilter', 'src/view.js'], repo)).stdout) as Report;
    expect(run.diagnostics).toEqual([]);
    expect(run.findings.map((f) => f.ruleId)).toEqual(['snapstart/no-init-time']);
  });

  it('says once that .eslintignore is not read, however many ESLint instances run', async () => {
    const r = makeRepo({
      '.eslintignore': 'dist\n',
      'eslint.config.js': 'export default [];\n',
      'a.ts': TREE['src/directive.ts'],
      'b.ts': "import { randomUUID } from 'node:crypto';\nconsole.log(randomUUID());\nexport const handler = async () => 1;\n",
    });
    try {
      for (const args of [['--use-eslint-config'], ['--fix'], []]) {
        const run = await runCli(['-f', 'json', ...args], r.dir);
        expect(run.stderr.match(/eslintignore/g)?.length ?? 0, args.join(' ')).toBe(1);
      }
    } finally {
      r.cleanup();
    }
  });
});
