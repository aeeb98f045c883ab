/**
 * The linux engine proves the examples' bugs and passes their fixes, with AWS's own runtime
 * interface clients in a real Linux guest (TCG): examples/python-random-seed and
 * examples/java-uuid-handler. Bug runs use two cold starts, so a repeated value is reported only
 * when it also differs between independent boots (the differential oracle); fix runs use none,
 * so any shared value that merely looks unique would fail them.
 */
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { restoreClones, type HarnessRun } from '../../src/index.js';
import '../../src/vitest.js';
import { compileJava, engineMissing } from './runtime-clients.js';

const here = dirname(fileURLToPath(import.meta.url));
const example = (path: string) => join(here, '../../../..', 'examples', path);

function pathsOf(run: HarnessRun): string[] {
  return run.duplicates.flatMap((d) => d.paths);
}

function allOk(run: HarnessRun): void {
  for (const inst of [...run.clones, ...run.coldStarts]) expect(inst.status, `${inst.kind} ${inst.index}: ${inst.error?.message}\n${inst.stdout}`).toBe('ok');
}

const pythonWhy = engineMissing('python');
if (pythonWhy) console.log(`linux engine examples (python): skipped: ${pythonWhy}`);
describe.skipIf(pythonWhy !== undefined)('examples/python-random-seed on the linux engine (awslambdaric, TCG)', () => {
  const base = { entry: example('python-random-seed'), engine: 'linux' as const, runtime: 'python' as const, accel: 'tcg' as const, clones: 2, cwd: here };

  it('app.handler: the session id and the seeded token repeat in every clone and differ between cold boots', async () => {
    const run = await restoreClones({ ...base, handler: 'app.handler', cold: 2 });
    allOk(run);
    expect(pathsOf(run)).toEqual(expect.arrayContaining(['result.sessionId', 'result.token']));
    for (const path of ['result.sessionId', 'result.token']) expect(run.duplicates.find((d) => d.paths.includes(path))).toMatchObject({ clones: [0, 1], detectedBy: 'oracle' });
    // uuid4() in the handler, after restore: unique per clone.
    expect(pathsOf(run)).not.toContain('result.requestId');
    expect(() => expect(run).toHaveNoDuplicates()).toThrow();
  }, 600_000);

  it('app_fixed.handler: the after-restore hook renews both: no duplicates', async () => {
    const run = await restoreClones({ ...base, handler: 'app_fixed.handler', cold: 0 });
    allOk(run);
    expect(run).toHaveNoDuplicates();
  }, 600_000);
});

const javaWhy = engineMissing('java');
if (javaWhy) console.log(`linux engine examples (java): skipped: ${javaWhy}`);
describe.skipIf(javaWhy !== undefined)('examples/java-uuid-handler on the linux engine (aws-lambda-java-runtime-interface-client + CRaC, TCG)', () => {
  let classes: string | undefined;
  const compiled = (): string => (classes ??= compileJava(example('java-uuid-handler/src/main/java')));
  afterAll(() => {
    if (classes) rmSync(classes, { recursive: true, force: true });
  });
  const base = { engine: 'linux' as const, runtime: 'java' as const, accel: 'tcg' as const, clones: 2, cwd: here, timeoutMs: 60_000 };

  it('UuidHandler: the static UUID and the init-seeded Random repeat in every clone and differ between cold boots', async () => {
    const run = await restoreClones({ ...base, entry: compiled(), handler: 'example.UuidHandler::handleRequest', cold: 2 });
    allOk(run);
    expect(pathsOf(run)).toEqual(expect.arrayContaining(['result.instanceId', 'result.token']));
    for (const path of ['result.instanceId', 'result.token']) expect(run.duplicates.find((d) => d.paths.includes(path))).toMatchObject({ clones: [0, 1], detectedBy: 'oracle' });
    expect(pathsOf(run)).not.toContain('result.requestUuid');
    expect(() => expect(run).toHaveNoDuplicates()).toThrow();
  }, 900_000);

  it('UuidHandlerFixed: the CRaC afterRestore hook regenerates both: no duplicates', async () => {
    const run = await restoreClones({ ...base, entry: compiled(), handler: 'example.UuidHandlerFixed::handleRequest', cold: 0 });
    allOk(run);
    expect(run).toHaveNoDuplicates();
  }, 900_000);
});

const nodeWhy = engineMissing('node');
if (nodeWhy) console.log(`linux engine examples (node): skipped: ${nodeWhy}`);
describe.skipIf(nodeWhy !== undefined)('examples/node-linux-crypto on the linux engine (aws-lambda-ric, TCG)', () => {
  const base = { entry: example('node-linux-crypto'), engine: 'linux' as const, runtime: 'node' as const, accel: 'tcg' as const, clones: 2, cwd: here, timeoutMs: 60_000 };

  it("index.handler: randomBytes, getRandomValues and uncached randomUUID called after restore repeat in every clone (OpenSSL's DRBG is in the snapshot) while /dev/urandom differs", async () => {
    const run = await restoreClones({ ...base, handler: 'index.handler', cold: 2 });
    allOk(run);
    for (const path of ['result.token', 'result.nonce', 'result.requestId']) {
      expect(run.duplicates.find((d) => d.paths.includes(path)), path).toMatchObject({ clones: [0, 1], detectedBy: 'oracle' });
    }
    // The kernel RNG was reseeded by each clone's new generation ID.
    expect(pathsOf(run)).not.toContain('result.kernel');
  }, 600_000);

  it('fixed.handler: bytes from /dev/urandom: no duplicates', async () => {
    const run = await restoreClones({ ...base, handler: 'fixed.handler', cold: 0 });
    allOk(run);
    expect(run).toHaveNoDuplicates();
  }, 600_000);
});
