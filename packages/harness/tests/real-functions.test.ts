/**
 * Real functions: handlers written as AWS's public samples write them (Powertools sample app,
 * serverless-typescript-demo, serverless-patterns), on the published packages, run by both
 * engines, each with the verdict a reader of the code expects.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { accelerators } from '@snapstart/vmm-core';
import { describe, expect, it } from 'vitest';
import { restoreClones, type HarnessRun, type RestoreOptions } from '../src/index.js';
import '../src/vitest.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '../../..');
const real = (name: string) => join(here, 'fixtures', 'real', name);
const ssmTable = { method: 'POST', url: 'https://ssm.us-east-1.amazonaws.com/', body: { Parameter: { Name: '/orders/table', Type: 'String', Value: 'orders-prod', Version: 1 } } };
const orderEvent = { body: JSON.stringify({ item: 'pen' }), headers: { 'content-type': 'application/json' } };

function runNode(entry: string, extra: Partial<RestoreOptions> = {}): Promise<HarnessRun> {
  return restoreClones({ entry, cwd: repoRoot, clones: 2, cold: 2, ...extra });
}

describe('real functions on the node engine', () => {
  it('snapshots aws-xray-sdk-core (cls-hooked async hooks at init) and keeps its context across awaits in clones', async () => {
    const run = await runNode(real('xray-context.ts'), { event: { requestId: 'req-1' } });
    expect([...run.clones, ...run.coldStarts].map((c) => c.result)).toEqual(Array(4).fill({ requestId: 'req-1' }));
    expect(run).toHaveNoDuplicates();
  });

  it('answers a callback-style handler with its callback, and waits for the empty event loop unless told not to', async () => {
    const run = await runNode(real('callback.cjs'));
    for (const c of [...run.clones, ...run.coldStarts]) {
      expect(c.result).toMatchObject({ statusCode: 200 });
      expect(c.invocations[0]!.logs.map((l) => (l.json as { message?: string } | undefined)?.message)).toEqual(['audit flushed']);
    }
    expect(run).toHaveNoDuplicates();
    const noWait = await runNode(real('callback.cjs'), { exportName: 'handlerNoWait', cold: 0 });
    expect(noWait.clones.map((c) => c.invocations[0]!.logs.length)).toEqual([0, 0]);
  });

  it('records and stubs HTTP/2 requests like HTTP/1.1 ones (the current Polly client sends over HTTP/2)', async () => {
    const run = await runNode(real('polly.ts'), {
      stubs: [{ method: 'POST', url: 'https://polly.us-east-1.amazonaws.com/v1/speech', headers: { 'content-type': 'audio/mpeg' }, body: 'ID3-fake-mp3' }],
    });
    for (const c of [...run.clones, ...run.coldStarts]) expect(c.result).toEqual({ bytes: 12, contentType: 'audio/mpeg' });
    expect(run.clones[0]!.invocations[0]!.requests).toMatchObject([{ via: 'http2', method: 'POST', url: 'https://polly.us-east-1.amazonaws.com/v1/speech', body: '{"OutputFormat":"mp3","Text":"Hello from Lambda","VoiceId":"Joanna"}' }]);
    expect(run).toHaveNoDuplicates();
  });

  it('finds the Powertools sample app bug: Parameters read at init fill the UUID cache, so the stored item id repeats', async () => {
    const run = await runNode(real('powertools-app.ts'), { event: { name: 'apple' } });
    expect(run.coverage).toMatchObject({ clones: { ran: 2, failed: 0 }, coldStarts: { ran: 2, failed: 0 } });
    const itemId = run.duplicates.find((d) => d.paths.includes('result.body'));
    expect(itemId).toMatchObject({ origin: 'handler', detectedBy: 'trace', site: { file: 'packages/harness/tests/fixtures/real/powertools-app.ts', line: 27 } });
    expect(itemId!.paths).toContain('log["item stored"].id');
    expect(itemId!.explanation).toContain("init filled Node's randomUUID entropy cache");
    expect(itemId!.explanation).toContain('powertools-app.ts:21');
    // Powertools' own lines (Logger's JSON, Metrics' EMF blob) are compared, not reported.
    expect(run.duplicates.every((d) => d.category === 'uuid')).toBe(true);
  });

  it("finds the middy stack's order id repeating: @middy/ssm prefetches at init through the SDK, filling the UUID cache", async () => {
    const run = await runNode(real('middy-api.ts'), { event: orderEvent });
    expect(run.clones.map((c) => c.result)).toMatchObject([{ statusCode: 201 }, { statusCode: 201 }]);
    const orderId = run.duplicates.find((d) => d.paths.includes('result.body'));
    expect(orderId).toMatchObject({ origin: 'handler', detectedBy: 'trace', site: { file: 'packages/harness/tests/fixtures/real/middy-api.ts', line: 17 } });
    expect(orderId!.paths).toContain('log["order created"].orderId');
    expect(orderId!.explanation).toContain("init filled Node's randomUUID entropy cache (crypto.randomUUID (Web Crypto), called by @smithy/core");
  });

  it("finds the SDK v2 handler's init-time session id in every clone's result and DynamoDB write", async () => {
    const run = await runNode(real('sdk-v2.cjs'));
    const session = run.duplicates.find((d) => d.paths.includes('request[0:POST dynamodb.us-east-1.amazonaws.com/].body.Item.sessionId.S'));
    expect(session).toMatchObject({ origin: 'unknown', detectedBy: 'oracle', category: 'uuid' });
    expect(session!.initSources).toContain('crypto.randomBytes at packages/harness/tests/fixtures/real/sdk-v2.cjs:8');
  });

  it('resolves a layer mapped at /opt (--layer) and finds the id the layer makes at init', async () => {
    await expect(runNode(real('uses-layer.ts'))).rejects.toThrow(/cannot resolve \/opt\/nodejs\/format.js .*with --layer DIR/);
    const run = await runNode(real('uses-layer.ts'), { layers: [real('layer')] });
    expect(run.clones[0]!.result).toMatchObject({ greeting: 'Hello world' });
    expect(run.duplicates).toMatchObject([{ origin: 'init', api: 'crypto.randomBytes', paths: ['result.instanceId'] }]);
  });

  it('points to --responses when init fails after its requests got the default 200 {} answer', async () => {
    await expect(runNode(real('needs-parameter.ts'))).rejects.toThrow(
      "parameter /orders/table is not set; init's requests (POST https://ssm.us-east-1.amazonaws.com/) got the stub's default answer 200 {}: if init needs real answers, give them with --responses FILE",
    );
    const run = await runNode(real('needs-parameter.ts'), { stubs: [ssmTable] });
    expect(run.clones.map((c) => c.result)).toEqual([{ tableName: 'orders-prod' }, { tableName: 'orders-prod' }]);
  });
});

// microvm: kvm where /dev/kvm works, else tcg (slow: one case, the Powertools app, shows the guest).
const accels = await accelerators();
const kvm = accels.find((a) => a.name === 'kvm');
const accel = kvm?.usable ? 'kvm' : 'tcg';
if (!kvm?.usable) console.log(`real functions on microvm: kvm unavailable (${kvm?.reason ?? 'unknown'}), running on tcg`);

function runMicrovm(entry: string, extra: Partial<RestoreOptions> = {}): Promise<HarnessRun> {
  return restoreClones({ entry, cwd: repoRoot, engine: 'microvm', accel, clones: 2, cold: 0, ...extra });
}

// A build bundles and lowers the AWS SDK to ES5 and boots it in the guest: minutes under tcg.
describe(`real functions on the microvm engine (${accel})`, { timeout: accel === 'kvm' ? 180_000 : 900_000 }, () => {
  it('runs the Powertools sample app in the guest (console, diagnostics_channel, md5) and finds the same item-id bug', async () => {
    const run = await runMicrovm(real('powertools-app.ts'), { event: { name: 'apple' } });
    expect(run.coverage).toMatchObject({ clones: { ran: 2, failed: 0 } });
    const itemId = run.duplicates.find((d) => d.paths.includes('result.body'));
    expect(itemId).toMatchObject({ origin: 'handler', detectedBy: 'trace', site: { file: 'packages/harness/tests/fixtures/real/powertools-app.ts', line: 27 } });
    expect(itemId!.explanation).toContain("init filled Node's randomUUID entropy cache");
  });

  it('answers init-time requests with --responses rules', async () => {
    const run = await runMicrovm(real('config-at-init.ts'), { stubs: [{ url: 'https://config.example.com/flags', body: { variant: 'blue' } }] });
    expect(run.clones.map((c) => c.result)).toEqual([{ variant: 'blue' }, { variant: 'blue' }]);
  });

  it.each([
    ['xray-context.ts', { event: { requestId: 'req-1' } }, (run: HarnessRun) => expect(run.clones.map((c) => c.result)).toEqual([{ requestId: 'req-1' }, { requestId: 'req-1' }])],
    ['callback.cjs', {}, (run: HarnessRun) => expect(run.clones[0]!.invocations[0]!.logs).toHaveLength(1)],
    ['polly.ts', {}, (run: HarnessRun) => expect(run.clones[0]!.invocations[0]!.requests).toMatchObject([{ via: 'http2' }])],
    ['sdk-v2.cjs', { cold: 2 }, (run: HarnessRun) => expect(run.duplicates.some((d) => d.paths.includes('request[0:POST dynamodb.us-east-1.amazonaws.com/].body.Item.sessionId.S'))).toBe(true)],
    ['middy-api.ts', { event: orderEvent }, (run: HarnessRun) => expect(run.duplicates.find((d) => d.paths.includes('result.body'))?.explanation).toContain("init filled Node's randomUUID entropy cache")],
    ['uses-layer.ts', { layers: [real('layer')] }, (run: HarnessRun) => expect(run.duplicates).toMatchObject([{ origin: 'init', api: 'crypto.randomBytes', paths: ['result.instanceId'] }])],
  ] as const)('runs %s with the verdict its code implies', async (name, extra, check) => {
    const run = await runMicrovm(real(name), extra as Partial<RestoreOptions>);
    expect(run.coverage.inconclusive).toBeUndefined();
    expect(run.clones.map((c) => c.status)).toEqual(['ok', 'ok']);
    check(run);
  });

  it('points to --responses when init fails after its requests got the default answer', async () => {
    await expect(runMicrovm(real('needs-parameter.ts'))).rejects.toThrow("got the stub's default answer 200 {}: if init needs real answers, give them with --responses FILE");
  });
});
