import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '@snapstart/core';
import { describe, expect, it } from 'vitest';
import { JAVA_BUG, makeRepo, reportErrors, runCli, sarifErrors, TS_BUG } from './helpers.js';

/** What the examples contain (every language), by file and rule. */
const EXAMPLE_FINDINGS = [
  'examples/dynamodb-writer/handler.ts:9 snapstart/no-init-entropy-cache',
  'examples/dynamodb-writer/handler.ts:9 snapstart/no-init-uuid',
  'examples/entropy-cache/handler.ts:6 snapstart/no-init-entropy-cache',
  'examples/java-log-stream/src/main/java/example/LambdaUsingUUID.java:17 java/no-init-uuid',
  'examples/java-uuid-handler/src/main/java/example/UuidHandler.java:16 java/no-init-uuid',
  'examples/java-uuid-handler/src/main/java/example/UuidHandler.java:17 java/no-init-random',
  'examples/python-random-seed/app.py:9 python/no-init-uuid',
  'examples/python-random-seed/app.py:15 python/no-init-random',
  'examples/log-stream/handler.ts:9 snapstart/no-init-entropy-cache',
  'examples/log-stream/handler.ts:9 snapstart/no-init-uuid',
  'examples/sdk-priming/handler.mts:10 snapstart/no-init-entropy-cache',
  'examples/self-seeded-prng/handler.ts:4 snapstart/no-init-time',
  'examples/self-seeded-prng/handler.ts:4 snapstart/no-init-random',
  'examples/session-tokens/handler.cjs:5 snapstart/no-init-random',
  'examples/session-tokens/handler.cjs:6 snapstart/no-init-random',
  'examples/session-tokens/handler.cjs:7 snapstart/no-init-time',
];

interface JsonReport {
  findings: Array<{ file: string; line: number; ruleId: string; severity: string; lineHash: string; language: string }>;
  diagnostics: unknown[];
  stats: { files: number; byLanguage: Record<string, number> };
  summary: { errors: number; warnings: number };
}

describe('snapstart-scan over examples/ (the real binary)', () => {
  it('stylish: both languages, code frames, fix advice, a summary line; exit 1', async () => {
    const run = await runCli(['examples/']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('examples/log-stream/handler.ts\n  9:19  error');
    expect(run.stdout).toContain('  >  9 | const sandboxId = randomUUID();');
    expect(run.stdout).toContain('examples/java-log-stream/src/main/java/example/LambdaUsingUUID.java\n  17:9  error');
    expect(run.stdout).toContain('fix: Create the value in the handler method');
    expect(run.stdout).toMatch(/✖ 16 problems \(14 errors, 2 warnings\) · \d+ files \(\d+ TypeScript, 4 JavaScript, 4 Java, 2 Python; \d+ parsed\) in [\d.]+ s, \d+ files\/s · 1 suppressed \(1 in source\)\n$/);
    // Not a terminal: no colours.
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('json: the documented schema, every finding once, exit 1', async () => {
    const run = await runCli(['examples/', '--format', 'json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(reportErrors(report)).toEqual([]);
    expect(report.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`).sort()).toEqual([...EXAMPLE_FINDINGS].sort());
    expect(report.summary).toMatchObject({ errors: 14, warnings: 2 });
    expect(report.suppressed).toEqual({ inSource: 1, baseline: 0 });
    expect(report.stats.byLanguage.java).toBe(4);
  });

  it('sarif: valid against the official SARIF 2.1.0 schema, every rule described, stable fingerprints', async () => {
    const run = await runCli(['examples/', '--format', 'sarif']);
    expect(run.code).toBe(1);
    const log = JSON.parse(run.stdout);
    expect(sarifErrors(log)).toEqual([]);
    // The validator does reject what is not SARIF 2.1.0.
    expect(sarifErrors({ ...log, version: '2.0.0' })).not.toEqual([]);
    expect(sarifErrors({ ...log, runs: [{ ...log.runs[0], results: [{ message: {} }] }] })).not.toEqual([]);
    const driver = log.runs[0].tool.driver;
    expect(driver.rules).toHaveLength(Object.keys(RULES).length);
    for (const rule of driver.rules) {
      expect(rule.id).toMatch(/^(snapstart|java|python|dynamic)\//);
      expect(rule.name).toMatch(/^[A-Z]\w+$/);
      expect(rule.shortDescription.text.length).toBeGreaterThan(10);
      expect(rule.fullDescription.text.length).toBeGreaterThan(rule.shortDescription.text.length);
      expect(rule.help.text).toContain(rule.helpUri);
      expect(rule.helpUri).toMatch(/^https:\/\/.+\/docs\/rules\/.+\.md$/);
    }
    const results = log.runs[0].results;
    expect(results).toHaveLength(EXAMPLE_FINDINGS.length);
    for (const r of results) {
      expect(r.partialFingerprints.primaryLocationLineHash).toMatch(/^[0-9a-f]{16}:\d+$/);
      expect(r.locations[0].physicalLocation.region.startLine).toBeGreaterThan(0);
      expect(driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    }
  });

  it('keeps line hashes when unrelated lines are added above, and tells identical lines apart', async () => {
    const twice = `${TS_BUG}const other = Math.random();\nconst other2 = Math.random();\nexport const h2 = () => other + other2;\n`;
    const repo = makeRepo({ 'src/a.ts': twice });
    try {
      const before = JSON.parse((await runCli(['--format', 'json'], repo.dir)).stdout) as JsonReport;
      const repo2 = makeRepo({ 'src/a.ts': `// a comment\n\n// another\n${twice}` });
      try {
        const after = JSON.parse((await runCli(['--format', 'json'], repo2.dir)).stdout) as JsonReport;
        expect(after.findings.map((f) => f.line)).toEqual(before.findings.map((f) => f.line + 3));
        expect(after.findings.map((f) => f.lineHash)).toEqual(before.findings.map((f) => f.lineHash));
        expect(new Set(before.findings.map((f) => f.lineHash)).size).toBe(before.findings.length);
      } finally {
        repo2.cleanup();
      }
    } finally {
      repo.cleanup();
    }
  });

  it('--output writes the report and says so on stderr; --quiet keeps errors only; --max-warnings fails on warnings', async () => {
    const repo = makeRepo({ 'a.ts': `const t = Date.now();\nexport const handler = () => t;\n` });
    try {
      const warnOnly = await runCli(['--format', 'sarif', '--output', 'out.sarif'], repo.dir);
      expect(warnOnly.code).toBe(0);
      expect(warnOnly.stdout).toBe('');
      expect(warnOnly.stderr).toContain('wrote out.sarif (1 findings: 0 errors, 1 warnings');
      expect(sarifErrors(JSON.parse(readFileSync(join(repo.dir, 'out.sarif'), 'utf8')))).toEqual([]);
      expect((await runCli(['--max-warnings', '0'], repo.dir)).code).toBe(1);
      expect((await runCli(['--max-warnings', '1'], repo.dir)).code).toBe(0);
      const quiet = await runCli(['--quiet', '--max-warnings', '0'], repo.dir);
      expect(quiet.code).toBe(0);
      expect(quiet.stdout).toContain('✔ no problems');
    } finally {
      repo.cleanup();
    }
  });

  it('exits 0 with "no problems" on clean code, and 2 on usage errors with a hint', async () => {
    const repo = makeRepo({ 'a.ts': 'export const handler = () => 1;\n', 'B.java': JAVA_BUG.replace('UUID.randomUUID()', 'null') });
    try {
      const clean = await runCli([], repo.dir);
      expect(clean.code).toBe(0);
      expect(clean.stdout).toMatch(/✔ no problems · 2 files \(1 TypeScript, 1 Java; 1 parsed\)/);
    } finally {
      repo.cleanup();
    }
    for (const [args, message] of [
      [['--format', 'xml'], '--format must be stylish, json or sarif, got "xml"'],
      [['--shard', '3/2'], '--shard 3/2: K must be between 1 and N'],
      [['--bogus'], "Unknown option '--bogus'"],
      [['--max-warnings', 'many'], '--max-warnings must be a whole number'],
      [['merge'], 'merge needs the report files'],
      [['--baseline', 'a', '--write-baseline', 'b'], 'use either --baseline or --write-baseline'],
    ] as const) {
      const run = await runCli(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toContain(message);
      expect(run.stderr).toContain('Run snapstart-scan --help for usage.');
    }
  });

  it('parses only files that mention a source, with the same findings as parsing everything', async () => {
    const fast = JSON.parse((await runCli(['examples/', '-f', 'json'])).stdout) as JsonReport & { stats: { parsed: number } };
    const full = JSON.parse((await runCli(['examples/', '-f', 'json', '--no-prefilter'])).stdout) as JsonReport & { stats: { parsed: number } };
    expect(fast.findings).toEqual(full.findings);
    expect(full.stats.parsed).toBe(full.stats.files);
    // A syntax error in a file with no source is only seen when everything is parsed.
    const repo = makeRepo({ 'a.ts': 'export const x = ;\n', 'b.ts': TS_BUG, 'c.js': 'module.exports = (a, b) => a + b;\n' });
    try {
      const quick = JSON.parse((await runCli(['-f', 'json'], repo.dir)).stdout);
      expect(quick.stats).toMatchObject({ files: 3, parsed: 1 });
      expect(quick.diagnostics).toEqual([]);
      expect(JSON.parse((await runCli(['-f', 'json', '--no-prefilter'], repo.dir)).stdout).diagnostics).toEqual([
        { file: 'a.ts', line: 1, column: 17, message: 'cannot parse: Parsing error: Expression expected.' },
      ]);
    } finally {
      repo.cleanup();
    }
  });

  it('--help shows examples; --version the package version', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Examples:');
    expect(help.stdout).toContain('snapstart-scan merge');
    const version = await runCli(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
