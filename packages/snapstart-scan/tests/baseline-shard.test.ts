import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectShard } from '../src/discover/shard.js';
import type { SourceFile } from '../src/discover/files.js';
import { JAVA_BUG, makeRepo, runCli, sarifErrors, TS_BUG, type Tree } from './helpers.js';

interface Report {
  findings: Array<{ file: string; line: number; ruleId: string; fingerprint: string }>;
  diagnostics: Array<{ file: string; message: string }>;
  suppressed: { inSource: number; baseline: number };
  stats: { files: number; byLanguage: Record<string, number> };
  shard?: { index: number; total: number };
}

const key = (r: Report): string[] => r.findings.map((f) => `${f.file}:${f.line} ${f.ruleId} ${f.fingerprint}`);

describe('in-source suppressions', () => {
  it('honours ESLint disable comments and Java @SuppressWarnings / @SuppressFBWarnings, and counts them', async () => {
    const repo = makeRepo({
      'src/a.ts': `// eslint-disable-next-line snapstart/no-init-time\nconst t = Date.now();\nexport const handler = () => t;\n`,
      'src/b.ts': TS_BUG,
      'java/H.java': JAVA_BUG.replace('public class H', '@SuppressWarnings("snapstart")\npublic class H'),
      'java/G.java': JAVA_BUG.replace(/\bH\b/g, 'G').replace('private final UUID', '@edu.umd.cs.findbugs.annotations.SuppressFBWarnings("AWS_LAMBDA_SNAP_START_BUG")\n  private final UUID'),
    });
    try {
      const json = await runCli(['-f', 'json'], repo.dir);
      const report = JSON.parse(json.stdout) as Report;
      expect(report.findings.map((f) => `${f.file} ${f.ruleId}`)).toEqual(['src/b.ts snapstart/no-init-uuid']);
      expect(report.suppressed).toEqual({ inSource: 3, baseline: 0 });
      const stylish = await runCli([], repo.dir);
      expect(stylish.stdout).toContain('3 suppressed (3 in source)');
    } finally {
      repo.cleanup();
    }
  });
});

describe('baselines', () => {
  it('round trip: accept today\'s findings, then fail only on new ones, across unrelated edits', async () => {
    const repo = makeRepo({ 'src/a.ts': TS_BUG, 'src/b.ts': `const t = Date.now();\nexport const handler = () => t;\n`, 'java/H.java': JAVA_BUG });
    try {
      const write = await runCli(['--write-baseline', 'baseline.json'], repo.dir);
      expect(write.code).toBe(0);
      expect(write.stderr).toContain('wrote a baseline of 3 findings to baseline.json');
      const baseline = JSON.parse(readFileSync(join(repo.dir, 'baseline.json'), 'utf8'));
      expect(baseline).toMatchObject({ schemaVersion: 1, tool: 'snapstart-scan' });
      expect(baseline.findings).toHaveLength(3);

      const same = await runCli(['--baseline', 'baseline.json', '-f', 'json'], repo.dir);
      expect(same.code).toBe(0);
      expect(JSON.parse(same.stdout)).toMatchObject({ findings: [], suppressed: { baseline: 3 } });

      // Lines added above the old findings, and one new bug.
      writeFileSync(join(repo.dir, 'src/a.ts'), `// moved down\n\n${TS_BUG}const again = Math.random();\nexport const other = () => again;\n`);
      const edited = await runCli(['--baseline', 'baseline.json', '-f', 'json'], repo.dir);
      expect(edited.code).toBe(1);
      const report = JSON.parse(edited.stdout) as Report;
      expect(report.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual(['src/a.ts:6 snapstart/no-init-random']);
      expect(report.suppressed.baseline).toBe(3);
      const stylish = await runCli(['--baseline', 'baseline.json'], repo.dir);
      expect(stylish.stdout).toContain('3 suppressed (3 by the baseline)');
    } finally {
      repo.cleanup();
    }
  });

  it('rejects a file that is not a baseline, with exit code 2', async () => {
    const repo = makeRepo({ 'a.ts': TS_BUG, 'bad.json': '{"findings": 3}' });
    try {
      const run = await runCli(['--baseline', 'bad.json'], repo.dir);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('bad.json: not a snapstart-scan baseline');
    } finally {
      repo.cleanup();
    }
  });
});

describe('sharding', () => {
  it('splits files deterministically, disjointly and balanced by size, keeping each Java build whole', () => {
    const files: SourceFile[] = [];
    for (let i = 0; i < 200; i++) files.push({ path: `src/f${String(i).padStart(3, '0')}.ts`, abs: `/r/src/f${i}.ts`, size: 100 + ((i * 7919) % 5000), language: 'typescript' });
    for (let i = 0; i < 30; i++) files.push({ path: `svc/M${i}.java`, abs: `/r/svc/M${i}.java`, size: 300, language: 'java', build: 'svc' });
    const shards = [1, 2, 3, 4].map((index) => selectShard(files, { index, total: 4 }));
    expect(shards.flat().map((f) => f.path).sort()).toEqual(files.map((f) => f.path).sort());
    expect(new Set(shards.flat().map((f) => f.path)).size).toBe(files.length);
    expect(shards.filter((s) => s.some((f) => f.language === 'java'))).toHaveLength(1);
    const loads = shards.map((s) => s.reduce((n, f) => n + f.size, 0));
    expect(Math.max(...loads) / Math.min(...loads)).toBeLessThan(1.05);
    // Same input in another order: the same split.
    expect(selectShard([...files].reverse(), { index: 2, total: 4 })).toEqual(shards[1]);
  });

  describe('shards merged equal the unsharded scan', () => {
    const tree: Tree = {
      'services/orders/pom.xml': '<project><modules><module>core</module><module>api</module></modules></project>',
      'services/orders/core/pom.xml': '<project/>',
      'services/orders/core/src/main/java/app/Ids.java': 'package app;\npublic final class Ids {\n  public static String make() { return java.util.UUID.randomUUID().toString(); }\n}\n',
      'services/orders/api/pom.xml': '<project/>',
      // The handler in one module calls the helper of the other: both must be in the same shard.
      'services/orders/api/src/main/java/app/H.java': JAVA_BUG.replace('private final UUID id = UUID.randomUUID();', 'private final String id = Ids.make();'),
      'services/users/build.gradle': '',
      'services/users/src/main/java/app/H.java': JAVA_BUG,
      'web/broken.ts': 'export const = Date.now();\n',
    };
    for (let i = 0; i < 24; i++) tree[`web/m${i}.ts`] = i % 3 === 0 ? TS_BUG : `export const handler${i} = () => ${i};\n`;
    let repo: { dir: string; cleanup: () => void };
    beforeAll(() => {
      repo = makeRepo(tree);
    });
    afterAll(() => repo.cleanup());

    it('JSON shards', async () => {
      const whole = JSON.parse((await runCli(['-f', 'json'], repo.dir)).stdout) as Report;
      expect(key(whole)).toContain(`services/orders/api/src/main/java/app/H.java:6 java/no-init-uuid ${whole.findings.find((f) => f.file.includes('orders'))!.fingerprint}`);
      expect(whole.findings).toHaveLength(10);
      expect(whole.diagnostics.map((d) => d.file)).toEqual(['web/broken.ts']);
      const sizes: number[] = [];
      for (const k of [1, 2, 3]) {
        const run = await runCli(['-f', 'json', '--shard', `${k}/3`, '-o', `shard-${k}.json`], repo.dir);
        expect(run.code).not.toBe(2);
        const part = JSON.parse(readFileSync(join(repo.dir, `shard-${k}.json`), 'utf8')) as Report;
        expect(part.shard).toEqual({ index: k, total: 3 });
        sizes.push(part.stats.files);
      }
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(whole.stats.files);
      const merged = await runCli(['merge', 'shard-1.json', 'shard-2.json', 'shard-3.json', '-f', 'json'], repo.dir);
      expect(merged.code).toBe(1);
      const m = JSON.parse(merged.stdout) as Report;
      expect(key(m)).toEqual(key(whole));
      expect(m.diagnostics).toEqual(whole.diagnostics);
      expect(m.stats.byLanguage).toEqual(whole.stats.byLanguage);
      expect(m.shard).toBeUndefined();

      const partial = await runCli(['merge', 'shard-1.json', 'shard-3.json'], repo.dir);
      expect(partial.code).toBe(2);
      expect(partial.stderr).toContain('missing shard 2/3 (use --allow-partial to merge anyway)');
      expect((await runCli(['merge', 'shard-1.json', 'shard-3.json', '--allow-partial', '-f', 'json'], repo.dir)).code).not.toBe(2);
      const twice = await runCli(['merge', 'shard-1.json', 'shard-1.json', 'shard-2.json'], repo.dir);
      expect(twice.stderr).toContain('shard 1/3 is given twice');
    });

    it('SARIF shards, merged into SARIF', async () => {
      const whole = JSON.parse((await runCli(['-f', 'sarif'], repo.dir)).stdout);
      for (const k of [1, 2, 3]) await runCli(['-f', 'sarif', '--shard', `${k}/3`, '-o', `shard-${k}.sarif`], repo.dir);
      const merged = await runCli(['merge', 'shard-3.sarif', 'shard-1.sarif', 'shard-2.sarif', '-f', 'sarif'], repo.dir);
      expect(merged.code).toBe(1);
      const log = JSON.parse(merged.stdout);
      expect(sarifErrors(log)).toEqual([]);
      const results = (l: { runs: Array<{ results: unknown[] }> }): unknown[] => l.runs[0]!.results;
      expect(results(log)).toEqual(results(whole));
      expect(log.runs[0].invocations[0].toolExecutionNotifications).toEqual(whole.runs[0].invocations[0].toolExecutionNotifications);
      const notReport = await runCli(['merge', 'web/m1.ts'], repo.dir);
      expect(notReport.code).toBe(2);
      expect(notReport.stderr).toContain('web/m1.ts: not JSON');
    });
  });
});
