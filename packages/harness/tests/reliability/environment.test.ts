// Probe 4 of issue 25: the host's environment (AWS_SESSION_TOKEN, AWS_PROFILE, NODE_OPTIONS, any
// other variable) reached every instance, and a host token the function found was printed in
// the report. Instances now get Lambda's variables, dummy credentials and --env only, and reports
// redact host secrets.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { restoreClones } from '../../src/index.js';
import { parseEnvFile } from '../../src/containment/environment.js';
import { probeSandbox } from '../../src/containment/sandbox.js';
import { hostSecrets, redactDeep } from '../../src/containment/redact.js';
import { cli, ownFixture, repoRoot, usePrivateTmp } from './helpers.js';

const tmp = usePrivateTmp();
const HOST = {
  AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjEHostSessionToken0123456789',
  AWS_SECRET_ACCESS_KEY: 'hostSecretAccessKey/abcdefghijklmnop',
  AWS_ACCESS_KEY_ID: 'AKIAHOSTKEY123456789',
  AWS_PROFILE: 'production-admin',
  NODE_OPTIONS: '--no-deprecation',
  SNAPSTART_TEST_HOST_ONLY: 'host-only-value',
};
let saved: Record<string, string | undefined> = {};
beforeEach(() => {
  saved = Object.fromEntries(Object.keys(HOST).map((k) => [k, process.env[k]]));
  Object.assign(process.env, HOST);
});
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

/** Lambda's runtime variables, the harness's own, and what the test set with --env. */
const ALLOWED = new Set([
  'PATH', 'LANG', 'TZ', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
  'AWS_EC2_METADATA_DISABLED', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME', '_HANDLER', 'LAMBDA_TASK_ROOT',
  'SNAPSTART_INSTANCE', 'FROM_OPTION',
]);

describe('instance environment', () => {
  it("holds Lambda's variables and --env, and nothing of the host's (credentials, profile, NODE_OPTIONS)", async () => {
    const run = await restoreClones({ entry: ownFixture('env-dump.ts'), cwd: repoRoot, clones: 2, cold: 1, env: { FROM_OPTION: 'yes' }, memoryMb: 256 });
    for (const instance of [...run.clones, ...run.coldStarts]) {
      expect(instance.status).toBe('ok');
      const { env, memoryLimitInMB } = instance.result as { env: Record<string, string>; memoryLimitInMB: string };
      expect(Object.keys(env).filter((k) => !ALLOWED.has(k))).toEqual([]);
      expect(env).toMatchObject({
        AWS_ACCESS_KEY_ID: 'AKIDSNAPSTARTHARNESS',
        AWS_SESSION_TOKEN: 'snapstart-harness-dummy-session-token',
        AWS_REGION: 'us-east-1',
        AWS_LAMBDA_FUNCTION_NAME: 'snapstart-harness',
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
        AWS_LAMBDA_INITIALIZATION_TYPE: 'snap-start',
        AWS_EXECUTION_ENV: `AWS_Lambda_nodejs${process.versions.node.split('.')[0]}.x`,
        LAMBDA_TASK_ROOT: repoRoot,
        _HANDLER: 'packages/harness/tests/reliability/fixtures/env-dump.handler',
        TZ: ':UTC',
        FROM_OPTION: 'yes',
      });
      expect(memoryLimitInMB).toBe('256');
      for (const value of Object.values(HOST)) expect(Object.values(env)).not.toContain(value);
    }
  });

  it('reports redact a host secret the function read some other way (request header, log line, init error), in --json and in text', async () => {
    const tokenFile = join(tmp(), 'token.txt');
    writeFileSync(tokenFile, HOST.AWS_SESSION_TOKEN);
    const envFile = join(tmp(), 'function.env');
    writeFileSync(envFile, `# the function's settings\nexport SECRET_FILE="${tokenFile}"\n`);
    const runCli = (extra: string[]) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, [cli, 'run', ownFixture('env-dump.ts'), '--clones', '2', '--cold', '0', '--env-file', envFile, ...extra], {
          cwd: repoRoot,
          env: { ...process.env, TMPDIR: tmp() },
        });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (out += d.toString()));
        child.on('close', (code) => resolve({ code, out }));
      });
    const json = await runCli(['--json']);
    expect(json.out).not.toContain(HOST.AWS_SESSION_TOKEN);
    const run = JSON.parse(json.out.slice(json.out.indexOf('{'))) as { clones: Array<{ invocations: Array<{ requests: Array<{ headers: Record<string, string> }>; logs: Array<{ text: string }> }> }> };
    const inv = run.clones[0]!.invocations[0]!;
    expect(inv.requests[0]!.headers['x-amz-security-token']).toBe('[redacted: host AWS_SESSION_TOKEN]');
    expect(inv.logs[0]!.text).toBe('using token [redacted: host AWS_SESSION_TOKEN]');
    // With --cold 0 the token repeats in every clone: the text report lists it as a repeated value.
    const text = await runCli([]);
    expect(text.out).not.toContain(HOST.AWS_SESSION_TOKEN);
    expect(text.out).toContain('[redacted: host AWS_SESSION_TOKEN]');
    // An init that throws the token: a harness error, printed redacted.
    const failed = await runCli(['--env', 'INIT_THROWS_SECRET=1']);
    expect(failed.code).toBe(2);
    expect(failed.out).not.toContain(HOST.AWS_SESSION_TOKEN);
    expect(failed.out).toContain('init rejected token [redacted: host AWS_SESSION_TOKEN]');
  });

  it("the host's credential folders and files are hidden from instances; the rest of the file system is not", async (ctx) => {
    if (!probeSandbox().hidesCredentials) {
      console.log(`skipped: credential folders cannot be hidden here (${probeSandbox().reason})`);
      ctx.skip();
    }
    const home = join(tmp(), 'home');
    mkdirSync(join(home, '.aws'), { recursive: true });
    writeFileSync(join(home, '.aws', 'credentials'), `[default]\naws_session_token = ${HOST.AWS_SESSION_TOKEN}\n`);
    writeFileSync(join(home, '.npmrc'), '//registry.npmjs.org/:_authToken=npm_hostToken0123456789\n');
    writeFileSync(join(home, 'notes.txt'), 'not a credential');
    const savedHome = process.env.HOME;
    process.env.HOME = home;
    try {
      const paths = [join(home, '.aws', 'credentials'), join(home, '.npmrc'), join(home, 'notes.txt')];
      const run = await restoreClones({ entry: ownFixture('read-files.ts'), cwd: repoRoot, clones: 2, cold: 1, event: { paths } });
      for (const instance of [...run.clones, ...run.coldStarts]) {
        expect(instance.status).toBe('ok');
        expect(instance.result).toEqual({ [paths[0]!]: 'ENOENT', [paths[1]!]: '', [paths[2]!]: 'not a credential' });
      }
      expect(run.containment?.fileSystem).toMatch(/credential folders and files .* hidden/);
    } finally {
      process.env.HOME = savedHome;
    }
  });

  it('redaction takes secret-looking host variables of 8+ characters, and rewrites values and keys alike', () => {
    const secrets = hostSecrets({ GITHUB_TOKEN: 'ghp_0123456789abcdef', DB_PASSWORD: 'hunter2hunter2', SHORT_TOKEN: 'abc', HOME: '/home/someone/long', AWS_ACCESS_KEY_ID: 'AKIAHOSTKEY123456789' });
    expect(secrets.map((x) => x.name).sort()).toEqual(['AWS_ACCESS_KEY_ID', 'DB_PASSWORD', 'GITHUB_TOKEN']);
    expect(redactDeep({ list: ['pw=hunter2hunter2', 3], ['ghp_0123456789abcdef']: { deep: 'abc /home/someone/long' } }, secrets)).toEqual({
      list: ['pw=[redacted: host DB_PASSWORD]', 3],
      '[redacted: host GITHUB_TOKEN]': { deep: 'abc /home/someone/long' },
    });
  });

  it('--env and --env-file are checked: bad lines name file:line, credentials are refused', async () => {
    expect(parseEnvFile('A=1\n# comment\nexport B = two words # note\nC="x\\ny"\nD=\'$E\'\nE="multi\nline"\n', 'f.env')).toEqual({
      A: '1',
      B: 'two words',
      C: 'x\ny',
      D: '$E',
      E: 'multi\nline',
    });
    expect(() => parseEnvFile('A=1\nnot an assignment\n', 'f.env')).toThrow(/^f\.env:2: expected NAME=VALUE/);
    expect(() => parseEnvFile('A="open\n', 'f.env')).toThrow(/^f\.env:1: A: the double quote is never closed/);
    expect(() => parseEnvFile('\n1A=x', 'f.env')).toThrow(/^f\.env:2: '1A' is not a variable name/);
    expect(() => parseEnvFile('AWS_PROFILE=prod', 'f.env')).toThrow(/^f\.env:1: AWS_PROFILE cannot be set/);
    const bad = join(tmp(), 'bad.env');
    writeFileSync(bad, 'OK=1\n=nothing\n');
    const result = await new Promise<{ code: number | null; err: string }>((resolve) => {
      const child = spawn(process.execPath, [cli, 'run', ownFixture('env-dump.ts'), '--env-file', bad], { cwd: repoRoot, env: { ...process.env, TMPDIR: tmp() } });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('close', (code) => resolve({ code, err }));
    });
    expect(result.code).toBe(2);
    expect(result.err).toContain(`${bad}:2: expected NAME=VALUE`);
    expect(result.err).not.toMatch(/\n\s+at /);
  });
});
