import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildSnapshot, restoreClones, type HarnessRun } from '../src/index.js';
import '../src/vitest.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '../../..');
const example = (path: string) => join(repoRoot, 'examples', path);
const fixture = (name: string) => join(here, 'fixtures', name);

/**
 * Builds one snapshot and runs the oracle 5 times on it: a verdict that depends on timing (clocks,
 * scheduling, which clone answers first) shows up as a difference between the runs.
 */
async function fiveRuns(entry: string, options: { clones?: number; invocations?: number; event?: unknown } = {}): Promise<HarnessRun[]> {
  const snapshot = await buildSnapshot({ entry, cwd: repoRoot });
  try {
    const runs: HarnessRun[] = [];
    for (let i = 0; i < 5; i++) {
      runs.push(await restoreClones({ snapshot, cwd: repoRoot, clones: options.clones ?? 3, cold: 3, ...options }));
    }
    return runs;
  } finally {
    rmSync(snapshot.dir, { recursive: true, force: true });
  }
}

const verdict = (run: HarnessRun) => ({
  duplicates: run.duplicates.map((d) => ({ origin: d.origin, detectedBy: d.detectedBy, paths: d.paths, category: d.category, clones: d.clones.length })),
  sequences: run.sequences.map((s) => s.path),
});

function expectStable(runs: HarnessRun[]): void {
  const first = JSON.stringify(verdict(runs[0]!));
  for (const run of runs.slice(1)) expect(JSON.stringify(verdict(run))).toBe(first);
}

describe('real handlers (node engine, real snapshots, 5 runs each)', () => {
  it('reports a PRNG the handler seeds itself at init, with the init reads that feed it', async () => {
    const runs = await fiveRuns(example('self-seeded-prng/handler.ts'));
    expectStable(runs);
    const [dup] = runs[0]!.duplicates;
    expect(runs[0]!.duplicates).toHaveLength(1);
    expect(dup).toMatchObject({ origin: 'unknown', detectedBy: 'oracle', paths: ['result.token'], clones: [0, 1, 2] });
    expect(dup!.value).toMatch(/^[0-9a-f]{8}$/);
    expect(dup!.initSources).toEqual(['Date.now at examples/self-seeded-prng/handler.ts:4', 'Math.random at examples/self-seeded-prng/handler.ts:4']);
  });

  it('flags the same PRNG stream over several invocations as a repeated sequence', async () => {
    const run = await restoreClones({ entry: example('self-seeded-prng/handler.ts'), cwd: repoRoot, clones: 2, cold: 2, invocations: 3 });
    expect(run.sequences).toMatchObject([{ path: 'result.token', clones: [0, 1] }]);
    expect(run.sequences[0]!.values).toHaveLength(3);
    expect(run.duplicates.map((d) => d.invocations)).toEqual(expect.arrayContaining([[0], [1], [2]]));
  });

  it('reports the UUIDs that repeat after an AWS SDK client was primed during init, naming the SDK call', async () => {
    const runs = await fiveRuns(example('sdk-priming/handler.mts'));
    expectStable(runs);
    expect(runs[0]!.duplicates).toHaveLength(1);
    const [dup] = runs[0]!.duplicates;
    expect(dup).toMatchObject({ origin: 'handler', detectedBy: 'trace', paths: ['result.orderId'], site: { file: 'examples/sdk-priming/handler.mts', line: 13 } });
    expect(dup!.explanation).toContain(
      "repeated because init filled Node's randomUUID entropy cache (crypto.randomUUID (Web Crypto), called by @smithy/core at examples/sdk-priming/handler.mts:10)",
    );
    // The priming request itself was recorded during init, never sent.
    expect(runs[0]!.init.requests).toMatchObject([{ method: 'POST', url: 'https://dynamodb.us-east-1.amazonaws.com/', headers: { 'x-amz-target': 'DynamoDB_20120810.DescribeTable' } }]);
  });

  it('reports an init-time id written to DynamoDB, and the SDK header that repeats because of it', async () => {
    const runs = await fiveRuns(example('dynamodb-writer/handler.ts'), { event: { action: 'login' } });
    expectStable(runs);
    const run = runs[0]!;
    expect(run.clones.map((c) => c.result)).toEqual([{ written: true }, { written: true }, { written: true }]);
    const byPath = Object.fromEntries(run.duplicates.flatMap((d) => d.paths.map((p) => [p, d])));
    expect(Object.keys(byPath).sort()).toEqual([
      'request[0:POST dynamodb.us-east-1.amazonaws.com/].body.Item.pk.S',
      'request[0:POST dynamodb.us-east-1.amazonaws.com/].headers.amz-sdk-invocation-id',
    ]);
    expect(byPath['request[0:POST dynamodb.us-east-1.amazonaws.com/].body.Item.pk.S']).toMatchObject({
      origin: 'init',
      api: 'crypto.randomUUID',
      site: { file: 'examples/dynamodb-writer/handler.ts', line: 9 },
    });
    expect(byPath['request[0:POST dynamodb.us-east-1.amazonaws.com/].headers.amz-sdk-invocation-id']!.explanation).toContain(
      "init filled Node's randomUUID entropy cache (crypto.randomUUID at examples/dynamodb-writer/handler.ts:9)",
    );
    const req = run.clones[0]!.invocations[0]!.requests[0]!;
    expect(JSON.parse(req.body)).toMatchObject({ TableName: 'audit', Item: { action: { S: 'login' } } });
  });

  it('reports an init-time id that only reaches a structured log line', async () => {
    const run = await restoreClones({ entry: fixture('structured-logs.ts'), cwd: repoRoot, clones: 3, cold: 2 });
    expect(run.duplicates).toMatchObject([{ origin: 'init', paths: ['log["handled"].sandboxId'], clones: [0, 1, 2] }]);
  });

  it.each([
    ['self-seeded-prng/handler.fixed.ts'],
    ['sdk-priming/handler.fixed.mts'],
    ['dynamodb-writer/handler.fixed.ts'],
  ])('reports nothing for the fixed example %s, 5 runs in a row', async (path) => {
    const runs = await fiveRuns(example(path));
    for (const run of runs) expect(run).toHaveNoDuplicates();
  });

  it('reports nothing for a constant and the current time, 5 runs in a row', async () => {
    const runs = await fiveRuns(fixture('constant-and-time.ts'), { clones: 4 });
    for (const run of runs) expect(run).toHaveNoDuplicates();
  });

  it('reports no sequence for a per-environment counter', async () => {
    const run = await restoreClones({ entry: fixture('counter.ts'), cwd: repoRoot, clones: 2, cold: 2, invocations: 3 });
    expect(run.clones[0]!.invocations.map((i) => i.result)).toEqual([{ count: 1 }, { count: 2 }, { count: 3 }]);
    expect(run).toHaveNoDuplicates();
  });

  it('records fetch and https requests and answers them from --responses rules', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'harness-stubs-'));
    try {
      const responses = join(dir, 'responses.json');
      writeFileSync(
        responses,
        JSON.stringify([
          { method: 'GET', url: 'https://config.example.com/flags*', body: { beta: true } },
          { method: 'POST', url: '/api\\.example\\.com\\/v1/', status: 202, body: 'queued' },
        ]),
      );
      const cli = join(here, '../bin/snapstart-harness.js');
      const out = spawnSync(process.execPath, [cli, 'run', fixture('outbound.ts'), '--clones', '2', '--cold', '0', '--responses', responses, '--json'], {
        cwd: repoRoot,
        encoding: 'utf8',
      });
      expect(out.status).toBe(0);
      const run = JSON.parse(out.stdout) as HarnessRun;
      expect(run.schemaVersion).toBe(2);
      expect(run.clones[0]!.result).toEqual({ beta: true, posted: '202 queued' });
      expect(run.clones[0]!.invocations[0]!.requests).toMatchObject([
        { method: 'GET', url: 'https://config.example.com/flags?env=prod', via: 'fetch', status: 200 },
        { method: 'POST', url: 'https://api.example.com/v1/events', via: 'https', status: 202, body: '{"type":"invoked"}', headers: { 'content-type': 'application/json' } },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
