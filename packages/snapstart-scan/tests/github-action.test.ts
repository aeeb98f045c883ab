// The GitHub composite action and reusable workflow cannot run here, but their shell steps can:
// each is taken from the YAML and run with bash, with the inputs GitHub would pass and a real
// GITHUB_OUTPUT file, against a repository with a finding.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIRM_REPO, BIN, JAVA_BUG, REPO_ROOT, TS_BUG, TS_CLEAN, makeRepo, sarifErrors } from './helpers.js';

interface Step {
  id?: string;
  name?: string;
  run?: string;
  uses?: string;
  if?: string;
  env?: Record<string, string>;
}

const action = parse(readFileSync(join(REPO_ROOT, '.github/actions/snapstart-scan/action.yml'), 'utf8')) as { inputs: Record<string, { default: string }>; runs: { using: string; steps: Step[] } };
const workflow = parse(readFileSync(join(REPO_ROOT, '.github/workflows/snapstart-scan.yml'), 'utf8')) as { jobs: Record<string, { steps: Step[] }> };

/** Runs a step's script as GitHub would (bash -e is not implied: the scripts set their own options). */
function runStep(step: Step, cwd: string, env: Record<string, string>): { code: number | null; outputs: Record<string, string>; stderr: string } {
  const repo = makeRepo({});
  const outputFile = join(repo.dir, 'github-output');
  try {
    const r = spawnSync('bash', ['-c', step.run!], { cwd, env: { ...process.env, NO_COLOR: '1', ...env, GITHUB_OUTPUT: outputFile }, encoding: 'utf8' });
    const outputs = Object.fromEntries(
      (existsSync(outputFile) ? readFileSync(outputFile, 'utf8') : '').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    return { code: r.status, outputs, stderr: r.stderr };
  } finally {
    repo.cleanup();
  }
}

const scanStep = action.runs.steps.find((s) => s.id === 'scan')!;
const withFindings = makeRepo({ 'src/handler.ts': TS_BUG, 'jvm/src/main/java/app/H.java': JAVA_BUG });
const clean = makeRepo({ 'src/handler.ts': TS_CLEAN });
const broken = makeRepo({ 'src/handler.ts': TS_CLEAN, 'snapstart.config.json': '{"exclud": []}' });
afterAll(() => [withFindings, clean, broken].forEach((r) => r.cleanup()));

const inputs = (over: Record<string, string> = {}) => ({ BIN: `node ${BIN}`, PATHS: '.', ARGS: '', SARIF: 'out.sarif', ...over });

describe('GitHub composite action', () => {
  it('is a composite action whose upload and failure steps depend on the scan step', () => {
    expect(action.runs.using).toBe('composite');
    const upload = action.runs.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'));
    expect(upload?.if).toContain("steps.scan.outputs.exit-code != '2'");
    expect(action.runs.steps.at(-1)!.if).toContain("steps.scan.outputs.exit-code == '1'");
  });

  it('scan step: findings write valid SARIF, report exit code 1 and let the upload run', () => {
    const r = runStep(scanStep, withFindings.dir, inputs());
    expect(r.code).toBe(0);
    expect(r.outputs['exit-code']).toBe('1');
    const sarif = JSON.parse(readFileSync(r.outputs['sarif-file']!, 'utf8'));
    expect(sarifErrors(sarif)).toEqual([]);
    expect(sarif.runs[0].results.map((x: { ruleId: string }) => x.ruleId).sort()).toEqual(['java/no-init-uuid', 'snapstart/no-init-uuid']);
  });

  it('scan step: a clean repository gives exit code 0; extra args are passed on', () => {
    expect(runStep(scanStep, clean.dir, inputs()).outputs['exit-code']).toBe('0');
    const more = runStep(scanStep, withFindings.dir, inputs({ PATHS: 'src', ARGS: '--include-tests --max-warnings 0' }));
    expect(more.outputs['exit-code']).toBe('1');
  });

  it('scan step: with confirm, findings carry their confirmation, and confirm-fail-on decides the exit code', () => {
    // A random value kept from init of which only a comparison reaches the output: flagged, not reproduced.
    const repo = makeRepo({ 'bucket/handler.ts': CONFIRM_REPO['bucket/handler.ts'] });
    try {
      const any = runStep(scanStep, repo.dir, inputs({ CONFIRM: 'true', ENGINE: 'node', FAIL_ON: 'any' }));
      expect(any.outputs['exit-code']).toBe('1');
      const sarif = JSON.parse(readFileSync(any.outputs['sarif-file']!, 'utf8'));
      expect(sarif.runs[0].results[0].properties.snapstart.confirmation.state).toBe('not-reproduced');
      expect(runStep(scanStep, repo.dir, inputs({ CONFIRM: 'true', ENGINE: 'node', FAIL_ON: 'confirmed' })).outputs['exit-code']).toBe('0');
    } finally {
      repo.cleanup();
    }
  });

  it('scan step: a configuration error fails the step (exit 2), naming the key', () => {
    const r = runStep(scanStep, broken.dir, inputs());
    expect(r.code).toBe(2);
    expect(r.outputs['exit-code']).toBe('2');
    expect(r.stderr).toContain('unknown key "exclud" (did you mean "exclude"?)');
  });
});

describe('reusable workflow', () => {
  it('plan step lists the shards as a JSON array for the matrix', () => {
    const plan = workflow.jobs['plan']!.steps[0]!;
    const r = runStep({ run: plan.run!.replace('${{ inputs.shards }}', '3') }, clean.dir, {});
    expect(JSON.parse(r.outputs['shards']!)).toEqual([1, 2, 3]);
  });

  it('merge step: combines shard reports into SARIF and reports the exit code', () => {
    for (const k of [1, 2]) {
      const shard = spawnSync(process.execPath, [BIN, '--shard', `${k}/2`, '--format', 'json', '-o', `shard-${k}.json`], { cwd: withFindings.dir, encoding: 'utf8' });
      expect([0, 1], shard.stderr).toContain(shard.status);
    }
    const merge = workflow.jobs['merge']!.steps.find((s) => s.id === 'merge')!;
    // As if `version` were given: the step then runs the CLI it names (here, this checkout's).
    const script = merge.run!.replace(/\$\{\{ inputs\.version \}\}/g, 'x').replace('bin="npx --yes snapstart-scan@x"', `bin="node ${BIN}"`);
    const r = runStep({ run: script }, withFindings.dir, {});
    expect(r.code).toBe(0);
    expect(r.outputs['exit-code']).toBe('1');
    const sarif = JSON.parse(readFileSync(join(withFindings.dir, 'snapstart.sarif'), 'utf8'));
    expect(sarifErrors(sarif)).toEqual([]);
    expect(sarif.runs[0].results).toHaveLength(2);
  });
});
