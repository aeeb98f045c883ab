import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, reportErrors, runCli, sarifErrors } from './helpers.js';

interface JsonReport {
  findings: Array<{ file: string; line: number; ruleId: string; severity: string; language: string; message: string }>;
  diagnostics: Array<{ file: string; line?: number; message: string }>;
  stats: { files: number; byLanguage: Record<string, number> };
}

const APP = `import random
import uuid
from lib.ids import NODE

SESSION = str(uuid.uuid4())


def lambda_handler(event, context):
    return {"s": SESSION, "n": str(NODE), "r": random.random()}
`;
const IDS = 'import uuid\nNODE = uuid.uuid1()\n';
const PROJECT = {
  'fn/app.py': APP,
  'fn/lib/__init__.py': '',
  'fn/lib/ids.py': IDS,
  'fn/tests/test_app.py': 'import uuid\nX = uuid.uuid4()\ndef test_handler(event, context):\n    return X\n',
  'fn/.venv/lib/python3.12/site-packages/pkg/mod.py': 'import uuid\nY = uuid.uuid4()\ndef handler(event, context):\n    return Y\n',
  'fn/broken.py': 'import uuid\ndef handler(event, context:\n    return uuid.uuid4()\n',
};
const EXPECTED = ['fn/app.py:5 python/no-init-uuid', 'fn/app.py:9 python/no-init-random', 'fn/lib/ids.py:2 python/no-init-uuid'];

const summary = (r: JsonReport): string[] => r.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`).sort();

describe('snapstart-scan with Python (the real binary)', () => {
  it('json: Python findings with their init path, schema-valid; tests and venvs skipped; a syntax error is a diagnostic', async () => {
    const repo = makeRepo(PROJECT);
    try {
      const run = await runCli(['.', '--format', 'json'], repo.dir);
      expect(run.code).toBe(1);
      const report = JSON.parse(run.stdout) as JsonReport;
      expect(reportErrors(report)).toEqual([]);
      expect(summary(report)).toEqual(EXPECTED);
      expect(report.findings.every((f) => f.language === 'python')).toBe(true);
      expect(report.findings.find((f) => f.file === 'fn/lib/ids.py')!.message).toContain('imported (fn/app.py:3)');
      expect(report.stats.byLanguage.python).toBe(4);
      expect(report.diagnostics).toEqual([expect.objectContaining({ file: 'fn/broken.py', line: 2 })]);
    } finally {
      repo.cleanup();
    }
  });

  it('stylish and sarif: Python files counted, python/* rules described', async () => {
    const repo = makeRepo(PROJECT);
    try {
      const text = await runCli(['.'], repo.dir);
      expect(text.stdout).toContain('fn/app.py\n  5:1  error');
      expect(text.stdout).toMatch(/\d+ Python/);
      const sarif = await runCli(['.', '--format', 'sarif'], repo.dir);
      const log = JSON.parse(sarif.stdout);
      expect(sarifErrors(log)).toEqual([]);
      const rules = log.runs[0].tool.driver.rules.map((r: { id: string }) => r.id);
      expect(rules).toEqual(expect.arrayContaining(['python/no-init-uuid', 'python/no-init-random']));
    } finally {
      repo.cleanup();
    }
  });

  it('baseline, shards (a project is never split) and config (handlers, sources, rule levels)', async () => {
    const repo = makeRepo({
      ...PROJECT,
      'worker/job.py': 'from ids2 import make\nTOKEN = make()\ndef run(payload):\n    return TOKEN\n',
      'worker/ids2.py': 'import os\ndef make():\n    return os.getpid()\n',
      'snapstart.config.json': JSON.stringify({ handlers: ['job.run'], sources: [{ python: 'ids2.make', category: 'uuid' }], rules: { 'python/no-init-random': 'off' } }),
    });
    try {
      const whole = JSON.parse((await runCli(['.', '--format', 'json'], repo.dir)).stdout) as JsonReport;
      expect(summary(whole)).toEqual(['fn/app.py:5 python/no-init-uuid', 'fn/lib/ids.py:2 python/no-init-uuid', 'worker/job.py:2 python/no-init-uuid']);
      const parts = await Promise.all([1, 2].map(async (k) => JSON.parse((await runCli(['.', '--format', 'json', '--shard', `${k}/2`], repo.dir)).stdout) as JsonReport));
      expect(parts.flatMap((p) => summary(p)).sort()).toEqual(summary(whole));
      const baseline = join(repo.dir, 'baseline.json');
      expect((await runCli(['.', '--write-baseline', baseline], repo.dir)).code).toBe(0);
      writeFileSync(join(repo.dir, 'fn/app.py'), `${readFileSync(join(repo.dir, 'fn/app.py'), 'utf8')}\nEXTRA = uuid.uuid4()\n\ndef other_handler(event, context):\n    return EXTRA\n`);
      const after = JSON.parse((await runCli(['.', '--format', 'json', '--baseline', baseline], repo.dir)).stdout) as JsonReport;
      expect(summary(after)).toEqual(['fn/app.py:11 python/no-init-uuid']);
    } finally {
      repo.cleanup();
    }
  });

  it('examples/python-*: the static findings of the Python examples', async () => {
    const run = await runCli(['examples/', '--format', 'json']);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.findings.filter((f) => f.language === 'python').map((f) => `${f.file}:${f.line} ${f.ruleId}`).sort()).toEqual([
      'examples/python-random-seed/app.py:15 python/no-init-random',
      'examples/python-random-seed/app.py:9 python/no-init-uuid',
    ]);
  });
});
