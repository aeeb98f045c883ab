import { describe, expect, it } from 'vitest';
import { ConfigError, validateConfig } from '../src/config/schema.js';
import { JAVA_BUG, makeRepo, runCli, TS_BUG } from './helpers.js';

function errorOf(raw: unknown): string {
  try {
    validateConfig(raw, 'snapstart.config.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

interface Report {
  findings: Array<{ file: string; line: number; ruleId: string; severity: string }>;
  stats: { files: number; skipped: { tests: number; excluded: number; gitignored: number } };
}

const lines = (r: Report): string[] => r.findings.map((f) => `${f.file}:${f.line} ${f.ruleId} ${f.severity}`);

describe('snapstart-scan configuration', () => {
  it('names the key, the expected type and a likely typo in every error', () => {
    expect(errorOf({ exlude: ['x'] })).toBe(
      'snapstart.config.json: unknown key "exlude" (did you mean "exclude"?); known keys: include, exclude, tests, handlers, sources, afterRestoreFunctions, afterRestoreMethods, ignore, rules, maxFileSize, maxFileSeconds, maxFileMemoryMb',
    );
    expect(errorOf({ exclude: 'dist' })).toBe('snapstart.config.json: "exclude" must be an array of strings, got the string "dist"');
    expect(errorOf({ include: ['src/**', 3] })).toBe('snapstart.config.json: "include[1]" must be a string, got a number (3)');
    expect(errorOf({ tests: 'yes' })).toBe('snapstart.config.json: "tests" must be a boolean, got the string "yes"');
    expect(errorOf({ rules: { 'no-init-uuids': 'off' } })).toBe('snapstart.config.json: unknown rule "rules.no-init-uuids" (did you mean "no-init-uuid"?)');
    expect(errorOf({ rules: { 'java/no-init-time': 'loud' } })).toBe('snapstart.config.json: "rules.java/no-init-time" must be one of "off", "note", "warning", "error", got the string "loud"');
    expect(errorOf({ sources: [{ module: 'ids', name: 'make', category: 'id' }] })).toContain('"sources[0].category" must be one of "uuid", "random", "time", "secret", "other"');
    expect(errorOf({ sources: [{ owner: 'com.acme.Ids', methd: 'next', category: 'uuid' }] })).toContain('unknown key "sources[0].methd" (did you mean "method"?)');
    expect(errorOf({ ignore: ['(unclosed'] })).toContain('"ignore[0]" is not a valid regular expression');
    expect(errorOf({ maxFileSize: -1 })).toBe('snapstart.config.json: "maxFileSize" must be a positive integer (bytes), got a number (-1)');
    expect(errorOf([])).toBe('snapstart.config.json: the configuration must be an object, got an array');
  });

  it('exits 2 with the message for a bad config file, bad JSON, or a missing --config file', async () => {
    const bad = makeRepo({ 'snapstart.config.json': '{ "rules": { "no-init-time": "loud" } }', 'a.ts': TS_BUG });
    const broken = makeRepo({ 'snapstart.config.json': '{ "exclude": [ }', 'a.ts': TS_BUG });
    try {
      const run = await runCli([], bad.dir);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('snapstart.config.json: "rules.no-init-time" must be one of');
      const json = await runCli([], broken.dir);
      expect(json.code).toBe(2);
      expect(json.stderr).toContain(`snapstart.config.json: not valid JSON: Unexpected token '}'`);
      const missing = await runCli(['--config', 'nope.json'], bad.dir);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('nope.json: no such file (given with --config)');
    } finally {
      bad.cleanup();
      broken.cleanup();
    }
  });

  it('reads a rule under its pre-0.1-rename id as the renamed rule, with a notice naming both', async () => {
    const config = validateConfig({ rules: { 'java/init-time': 'off', 'python/init-uuid': 'note', 'no-init-uuid': 'warning' } }, 'snapstart.config.json');
    expect(config.rules).toEqual({ 'java/no-init-time': 'off', 'python/no-init-uuid': 'note', 'snapstart/no-init-uuid': 'warning' });
    expect(config.notices).toEqual([
      'snapstart.config.json: "rules.java/init-time" is now called "java/no-init-time"; rename the key (the old id is read as the new one)',
      'snapstart.config.json: "rules.python/init-uuid" is now called "python/no-init-uuid"; rename the key (the old id is read as the new one)',
    ]);
    expect(validateConfig({ rules: { 'java/no-init-time': 'off' } }, 'snapstart.config.json').notices).toBeUndefined();
    const repo = makeRepo({ 'snapstart.config.json': JSON.stringify({ rules: { 'java/init-uuid': 'note' } }), 'H.java': JAVA_BUG });
    try {
      const run = await runCli(['--format', 'json'], repo.dir);
      expect(run.stderr).toContain('"rules.java/init-uuid" is now called "java/no-init-uuid"');
      expect(lines(JSON.parse(run.stdout) as Report)).toEqual(['H.java:6 java/no-init-uuid note']);
    } finally {
      repo.cleanup();
    }
  });

  it('applies include/exclude, rule levels for both languages, handlers and sources from snapstart.config.json', async () => {
    const repo = makeRepo({
      'snapstart.config.json': JSON.stringify({
        include: ['services/**'],
        exclude: ['services/legacy/**'],
        rules: { 'no-init-time': 'error', 'snapstart/no-init-uuid': 'off', 'java/no-init-uuid': 'note' },
        handlers: ['index.main', 'com.acme.Jobs::run'],
        sources: [{ module: './ids-impl', name: 'newId', category: 'other' }, { owner: 'Tokens', method: 'mint', category: 'secret' }],
      }),
      'other/a.ts': TS_BUG,
      'services/legacy/a.ts': TS_BUG,
      'services/a.ts': `const t = Date.now();\n${TS_BUG}export const b = () => t;\n`,
      'services/ids.ts': `import { newId } from './ids-impl';\nconst id = newId();\nexport function main() { return id; }\n`,
      'services/java/H.java': JAVA_BUG,
      'services/java/Jobs.java': 'package com.acme;\npublic class Jobs {\n  private final String token = Tokens.mint();\n  public String run() { return token; }\n}\n',
    });
    try {
      const run = await runCli(['--format', 'json'], repo.dir);
      const report = JSON.parse(run.stdout) as Report;
      expect(lines(report)).toEqual([
        'services/a.ts:1 snapstart/no-init-time error',
        'services/ids.ts:2 snapstart/no-init-custom-source error',
        'services/java/H.java:6 java/no-init-uuid note',
        'services/java/Jobs.java:3 java/no-init-secret error',
      ]);
      expect(report.stats.skipped.excluded).toBe(2);
    } finally {
      repo.cleanup();
    }
  });

  it('reads snapstart.config.mjs, a "snapstart" key in package.json, and --config', async () => {
    const repo = makeRepo({
      'snapstart.config.mjs': "export default { rules: { 'no-init-uuid': 'warning' } };\n",
      'alt.json': JSON.stringify({ rules: { 'no-init-uuid': 'off' } }),
      'a.ts': TS_BUG,
    });
    const pkg = makeRepo({ 'package.json': JSON.stringify({ name: 'x', snapstart: { rules: { 'no-init-uuid': 'note' } } }), 'a.ts': TS_BUG });
    try {
      expect(lines(JSON.parse((await runCli(['-f', 'json'], repo.dir)).stdout))).toEqual(['a.ts:2 snapstart/no-init-uuid warning']);
      expect(lines(JSON.parse((await runCli(['-f', 'json', '-c', 'alt.json'], repo.dir)).stdout))).toEqual([]);
      expect(lines(JSON.parse((await runCli(['-f', 'json'], pkg.dir)).stdout))).toEqual(['a.ts:2 snapstart/no-init-uuid note']);
    } finally {
      repo.cleanup();
      pkg.cleanup();
    }
  });

  it('skips tests, dependencies, build output and .gitignored files by default; --include-tests and "tests": true scan tests', async () => {
    const repo = makeRepo({
      '.gitignore': 'generated/\n*.local.ts\n!keep.local.ts\n',
      'src/a.ts': TS_BUG,
      'src/a.test.ts': TS_BUG,
      'src/__tests__/b.ts': TS_BUG,
      'generated/g.ts': TS_BUG,
      'src/x.local.ts': TS_BUG,
      'src/keep.local.ts': TS_BUG,
      'src/nested/.gitignore': 'secret.ts\n',
      'src/nested/secret.ts': TS_BUG,
      'node_modules/dep/index.js': TS_BUG,
      'dist/index.js': TS_BUG,
      'cdk.out/asset.js': TS_BUG,
      'src/types.d.ts': 'export declare const x: number;\n',
      'svc/src/test/java/app/HTest.java': JAVA_BUG,
    });
    try {
      const report = JSON.parse((await runCli(['-f', 'json'], repo.dir)).stdout) as Report;
      expect([...new Set(report.findings.map((f) => f.file))]).toEqual(['src/a.ts', 'src/keep.local.ts']);
      expect(report.stats.skipped).toEqual({ gitignored: 3, excluded: 1, tests: 3, tooLarge: 0, notRegular: 0, unreadable: 0, binary: 0, overBudget: 0 });
      const withTests = JSON.parse((await runCli(['-f', 'json', '--include-tests'], repo.dir)).stdout) as Report;
      expect([...new Set(withTests.findings.map((f) => f.file))]).toEqual([
        'src/__tests__/b.ts', 'src/a.test.ts', 'src/a.ts', 'src/keep.local.ts', 'svc/src/test/java/app/HTest.java',
      ]);
    } finally {
      repo.cleanup();
    }
  });

  it('--use-eslint-config lints with the user\'s eslint.config.js plus snapstart\'s rules, keeping only snapstart findings', async () => {
    const repo = makeRepo({
      // Their config: a rule of their own (not ours to report) and an ignore pattern.
      'eslint.config.js': "export default [{ ignores: ['scripts/**'] }, { rules: { 'no-var': 'error' } }];\n",
      'package.json': JSON.stringify({ type: 'module' }),
      'lib/a.js': `var x = 1;\n${TS_BUG.replace('{ disableEntropyCache: true }', '{ disableEntropyCache: true }')}`,
      'scripts/b.js': TS_BUG,
    });
    try {
      const ours = JSON.parse((await runCli(['-f', 'json'], repo.dir)).stdout) as Report;
      expect([...new Set(ours.findings.map((f) => f.file))]).toEqual(['lib/a.js', 'scripts/b.js']);
      const theirs = await runCli(['-f', 'json', '--use-eslint-config'], repo.dir);
      expect(theirs.stderr).toBe('');
      const report = JSON.parse(theirs.stdout) as Report;
      expect(lines(report)).toEqual(['lib/a.js:3 snapstart/no-init-uuid error']);
    } finally {
      repo.cleanup();
    }
  });
});
