import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScanFinding } from '../src/report/model.js';
import { CONFIRM_REPO, makeRepo, reportErrors, runCli, sarifErrors } from './helpers.js';

interface Report {
  findings: ScanFinding[];
  confirm?: { confirmed: number; notReproduced: number; notRun: number; dynamicOnly: number; handlers: { handler: string; outcome: string; wallMs: number }[] };
}


describe('snapstart-scan --confirm', () => {
  it('on examples/: every finding has a confirmation state; the bugs of the TS/JS examples are confirmed, the fixed versions have no finding', async () => {
    const run = await runCli(['examples/', '--confirm', '--format', 'json', '--cold', '2', '--clones', '2', '--no-confirm-cache']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(reportErrors(report)).toEqual([]);
    expect(report.findings.length).toBeGreaterThan(10);
    for (const f of report.findings) expect(f.confirmation, `${f.file}:${f.line} ${f.ruleId}`).toBeDefined();
    expect(report.findings.filter((f) => /\.fixed\.|_fixed\.|Fixed\.java$|after-restore/.test(f.file) && f.ruleId !== 'java/no-init-random')).toEqual([]);
    // Every TS/JS bug is confirmed, but one: session-tokens keeps an init `bootTime` only to
    // return `Date.now() - bootTime`, which differs in every clone: flagged, and honestly not reproduced.
    const notReproduced = new Set(['examples/session-tokens/handler.cjs:7 snapstart/no-init-time']);
    for (const f of report.findings.filter((g) => g.language === 'typescript' || g.language === 'javascript')) {
      const key = `${f.file}:${f.line} ${f.ruleId}`;
      expect(`${key} ${f.confirmation!.state}`).toBe(`${key} ${notReproduced.has(key) ? 'not-reproduced' : 'confirmed'}`);
    }
    // Java and Python run on the linux engine (QEMU, AWS's runtime clients): bugs confirmed, the
    // fixed versions' remaining findings refuted. Where that engine is not set up, every one of
    // them is not-run with a reason naming what is missing.
    const linuxNotSetUp = /setup-linux|not installed|javac|QEMU|qemu|kernel|busybox|musl/;
    for (const f of report.findings.filter((g) => g.language === 'java' || g.language === 'python')) {
      const c = f.confirmation!;
      if (c.state === 'not-run') expect(c.reason).toMatch(linuxNotSetUp);
      else expect(`${f.file}:${f.line} ${c.state}`).toBe(`${f.file}:${f.line} ${/Fixed\.java$|_fixed\.py$/.test(f.file) ? 'not-reproduced' : 'confirmed'}`);
    }
    expect(report.confirm!.confirmed + report.confirm!.notReproduced + report.confirm!.notRun).toBe(report.findings.filter((f) => f.ruleId !== 'dynamic/duplicate').length);
    expect(run.stderr).toMatch(/--confirm ran \d+ handlers in [\d.]+ s/);
  }, 1_200_000);

  it('reports dynamic-only results as their own rule, carries the evidence in SARIF (related locations, code flow), and passes the SARIF schema', async () => {
    const repo = makeRepo(CONFIRM_REPO);
    try {
      const run = await runCli(['--confirm', '--format', 'sarif', '-o', 'out.sarif', '--cold', '2', '--no-confirm-cache'], repo.dir);
      expect(run.code).toBe(1);
      const log = JSON.parse(readFileSync(join(repo.dir, 'out.sarif'), 'utf8'));
      expect(sarifErrors(log)).toEqual([]);
      const results = log.runs[0].results as Array<{ ruleId: string; properties: { snapstart?: { confirmation: { state: string } } }; relatedLocations?: unknown[]; codeFlows?: unknown[]; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }>;
      const dynamic = results.filter((r) => r.ruleId === 'dynamic/duplicate');
      expect(dynamic.map((r) => [r.locations[0]!.physicalLocation.artifactLocation.uri, r.locations[0]!.physicalLocation.region.startLine])).toEqual([['bug/handler.ts', 4]]);
      const confirmed = results.filter((r) => r.properties.snapstart?.confirmation.state === 'confirmed' && r.ruleId !== 'dynamic/duplicate');
      expect(confirmed.length).toBeGreaterThan(0);
      for (const r of confirmed) {
        expect(r.relatedLocations!.length).toBeGreaterThan(0);
        expect(r.codeFlows!.length).toBeGreaterThan(0);
      }
      expect(results.filter((r) => r.properties.snapstart?.confirmation.state === 'not-reproduced').length).toBeGreaterThan(0);
      expect(log.runs[0].tool.driver.rules.some((r: { id: string }) => r.id === 'dynamic/duplicate')).toBe(true);
      expect(log.runs[0].properties.snapstart.confirm.dynamicOnly).toBe(1);
    } finally {
      repo.cleanup();
    }
  }, 300_000);

  it('--confirm-fail-on confirmed fails the build only on proven findings; the stylish report shows each state and a summary', async () => {
    const repo = makeRepo({ 'bucket/handler.ts': CONFIRM_REPO['bucket/handler.ts'] });
    try {
      const any = await runCli(['--confirm'], repo.dir);
      expect(any.code).toBe(1);
      expect(any.stdout).toMatch(/not reproduced: init made a value here, but no output of the clones carried it/);
      expect(any.stdout).toMatch(/confirm: 0 confirmed, \d+ not reproduced, 0 not run, 0 dynamic only/);
      const confirmedOnly = await runCli(['--confirm', '--confirm-fail-on', 'confirmed'], repo.dir);
      expect(confirmedOnly.code).toBe(0);
    } finally {
      repo.cleanup();
    }
  }, 300_000);

  it('rejects confirm options without --confirm, and bad values, with exit 2', async () => {
    expect((await runCli(['--engine', 'linux'])).stderr).toMatch(/--engine is an option of --confirm/);
    const bad = await runCli(['--confirm', '--clones', '1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--clones must be from 2 to 256/);
    expect((await runCli(['--confirm', '--confirm-fail-on', 'some'])).code).toBe(2);
  });
});
