/**
 * The harness's Lambda Runtime API against AWS's real runtime interface clients, run on the host
 * (no VM): the SnapStart phases (init and before-snapshot hooks before `restore/next` is sent,
 * after-restore hooks only once it is answered), invocations, and how each failure is reported.
 */
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { javaFunction } from '../../src/engines/linux/functions/java.js';
import { pythonFunction } from '../../src/engines/linux/functions/python.js';
import type { FunctionLayout } from '../../src/engines/linux/functions/layout.js';
import { RuntimeApi, type InvocationOutcome } from '../../src/engines/linux/runtime-api.js';
import type { ManagedProcess } from '../../src/process.js';
import { compileJava, missing, startOnHost } from './runtime-clients.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => join(here, 'fixtures', name);

interface Running {
  api: RuntimeApi;
  proc: ManagedProcess;
}
const running: Running[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) {
    r.proc.kill();
    await r.api.close();
  }
});

async function start(layout: FunctionLayout, initType: 'snap-start' | 'on-demand', env: Record<string, string> = {}, stubs = [] as ConstructorParameters<typeof RuntimeApi>[0]): Promise<Running> {
  const api = new RuntimeApi(stubs);
  const address = await api.listen();
  const proc = startOnHost(layout, address, initType, env);
  void proc.exited.then(({ code, signal }) => api.fail(`the runtime exited (${signal ?? code})`));
  const r = { api, proc };
  running.push(r);
  return r;
}

function invoke(api: RuntimeApi, event: unknown, requestId = `req-${Math.random().toString(16).slice(2)}`): Promise<InvocationOutcome> {
  return api.invoke({ requestId, event, deadlineMs: Date.now() + 30_000 });
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((r) => setTimeout(r, 20));
}

const compiled: string[] = [];
afterAll(() => {
  for (const dir of compiled) rmSync(dir, { recursive: true, force: true });
});

const RUNTIMES = [
  {
    runtime: 'python' as const,
    layout: () => pythonFunction(fixture('hooks-python'), 'app.handler'),
  },
  {
    runtime: 'java' as const,
    layout: (() => {
      let classes: string | undefined;
      return () => {
        if (!classes) compiled.push((classes = compileJava(fixture('hooks-java'))));
        return javaFunction(classes, 'example.Handler::handleRequest');
      };
    })(),
  },
];

for (const { runtime, layout } of RUNTIMES) {
  const why = missing(runtime);
  if (why) console.log(`linux engine Runtime API (${runtime}, on the host): skipped: ${why}`);
  describe.skipIf(why !== undefined)(`Runtime API with AWS's ${runtime} runtime interface client, on the host`, () => {
    it('snap-start: init and before-snapshot hooks end with restore/next pending; after-restore hooks run only once it is answered', async () => {
      const { api, proc } = await start(layout(), 'snap-start');
      expect(await api.ready()).toEqual({ kind: 'restore-pending' });
      // Give a runtime that ignored the protocol time to run its after-restore hooks anyway.
      await new Promise((r) => setTimeout(r, 300));
      expect(proc.stdout).toContain('init: ');
      expect(proc.stdout).toContain('hook: before-snapshot');
      expect(proc.stdout).not.toContain('hook: after-restore');
      expect(proc.stdout.indexOf('init: ')).toBeLessThan(proc.stdout.indexOf('hook: before-snapshot'));
      expect(api.calls.map((c) => c.kind)).toEqual(['restore-next']);

      api.releaseRestore();
      const first = await invoke(api, { n: 1 }, 'req-one');
      expect(first.kind).toBe('response');
      const body = JSON.parse((first as { body: string }).body) as { init: string; echo: unknown; requestId: string };
      expect(body.echo).toEqual({ n: 1 });
      expect(body.requestId).toBe('req-one');
      // The runtime's output reaches this process through a pipe, not ordered with its HTTP calls.
      await until(() => proc.stdout.includes('handler: invoked'));
      expect(proc.stdout.indexOf('hook: after-restore')).toBeGreaterThan(proc.stdout.indexOf('hook: before-snapshot'));
      expect(proc.stdout.indexOf('hook: after-restore')).toBeLessThan(proc.stdout.indexOf('handler: invoked'));
      const second = await invoke(api, { n: 2 });
      expect(JSON.parse((second as { body: string }).body).init).toBe(body.init);
      expect(await api.ready()).toEqual({ kind: 'next-pending' });
      expect(api.calls.map((c) => c.kind)).toEqual(['restore-next', 'invocation-next', 'response', 'invocation-next', 'response', 'invocation-next']);
    });

    it('on-demand (a cold start): no restore step and no hooks', async () => {
      const { api, proc } = await start(layout(), 'on-demand');
      expect(await api.ready()).toEqual({ kind: 'next-pending' });
      expect((await invoke(api, {})).kind).toBe('response');
      expect(proc.stdout).not.toContain('hook:');
      expect(api.calls.some((c) => c.kind === 'restore-next')).toBe(false);
    });

    it('a handler that throws is an invocation error with its message and stack', async () => {
      const { api } = await start(layout(), 'on-demand');
      const out = await invoke(api, { throw: true });
      expect(out.kind).toBe('error');
      if (out.kind !== 'error') return;
      expect(out.error.message).toContain('handler exploded');
      expect(out.error.stack ?? '').toMatch(/handler|Handler/);
    });

    it('an init failure is posted to init/error and reported by ready()', async () => {
      const { api, proc } = await start(layout(), 'snap-start', { FAIL_AT: 'init' });
      const state = await api.ready();
      expect(state.kind).toBe('init-error');
      if (state.kind === 'init-error') expect(state.error.message).toContain('init exploded');
      expect(api.calls[0]!.kind).toBe('init-error');
      expect((await proc.exited).code).not.toBe(0);
    });

    it('a failing before-snapshot hook is an init error (the runtime exits 64)', async () => {
      const { api, proc } = await start(layout(), 'snap-start', { FAIL_AT: 'before' });
      const state = await api.ready();
      expect(state.kind).toBe('init-error');
      if (state.kind === 'init-error') expect(state.error.message).toContain(runtime === 'java' ? 'CheckpointException' : 'before hook exploded');
      // The Java RIC posts only CRaC's CheckpointException; the hook's own exception (suppressed in it) is in the output.
      expect(proc.stdout + proc.stderr).toContain('before hook exploded');
      expect((await proc.exited).code).toBe(64);
    });

    it('a failing after-restore hook is a restore error for the first invocation (the runtime exits 65)', async () => {
      const { api, proc } = await start(layout(), 'snap-start', { FAIL_AT: 'after' });
      expect(await api.ready()).toEqual({ kind: 'restore-pending' });
      api.releaseRestore();
      const out = await invoke(api, {});
      expect(out.kind).toBe('restore-error');
      if (out.kind === 'restore-error') expect(out.error.message).toContain(runtime === 'java' ? 'RestoreException' : 'after hook exploded');
      expect(proc.stdout + proc.stderr).toContain('after hook exploded');
      // Measured: Python's RIC exits 65 here, Java's 64 (as for a before-snapshot failure).
      expect((await proc.exited).code).toBe(runtime === 'java' ? 64 : 65);
    });

    it.runIf(runtime === 'python')('SDK calls to AWS_ENDPOINT_URL are recorded and answered by the stub rules', async () => {
      const { api } = await start(layout(), 'on-demand', {}, { stubs: [{ method: 'POST', url: '*/table', body: { Item: { id: 'stubbed' } } }] });
      const out = await invoke(api, { call: { TableName: 't' } });
      expect(out.kind).toBe('response');
      if (out.kind === 'response') expect(JSON.parse(out.body)).toEqual({ stub: { Item: { id: 'stubbed' } } });
      const [req] = api.takeRequests();
      expect(req).toMatchObject({ method: 'POST', body: '{"TableName": "t"}', bodyEncoding: 'utf8', via: 'AWS_ENDPOINT_URL', status: 200 });
      expect(req!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/table$/);
      expect(api.takeRequests()).toEqual([]);
    });
  });
}
