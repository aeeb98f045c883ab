import { describe, expect, it } from 'vitest';
import { analyzeRun, looksUnique } from '../src/duplicates.js';
import type { CloneResult, InvocationResult, LogLine, RecordedRequest, TracedValue } from '../src/types.js';

const T = 1_800_000_000_000; // an instance's invocation time
const site = { file: 'src/handler.ts', line: 3, column: 1 };

interface Inv {
  result?: unknown;
  trace?: TracedValue[];
  logs?: LogLine[];
  requests?: RecordedRequest[];
  status?: InvocationResult['status'];
}

function instance(kind: 'clone' | 'cold', index: number, invs: Inv[], startedAt = T - 100): CloneResult {
  const invocations = invs.map(
    (i, j): InvocationResult => ({
      index: j,
      status: i.status ?? 'ok',
      result: i.result,
      trace: i.trace ?? [],
      logs: i.logs ?? [],
      requests: i.requests ?? [],
      startedAt: T + j * 10,
      endedAt: T + j * 10 + 5,
    }),
  );
  return {
    kind,
    index,
    status: invocations.find((i) => i.status !== 'ok')?.status ?? 'ok',
    result: invs[0]?.result,
    exitCode: 0,
    signal: null,
    stderr: '',
    stdout: '',
    wallMs: 1,
    trace: invocations.flatMap((i) => i.trace),
    invocations,
    startedAt,
  };
}
const clone = (index: number, ...invs: Inv[]) => instance('clone', index, invs);
const cold = (index: number, ...invs: Inv[]) => instance('cold', index, invs);
/** The traced checks alone: clone results and an init trace, no cold starts. */
const traced = (clones: readonly CloneResult[], initTrace: readonly TracedValue[]) => analyzeRun({ clones, initTrace }).duplicates;

describe('traced checks', () => {
  it('does not treat handler clocks that agree to the millisecond as duplicates', () => {
    const now: TracedValue = { api: 'Date.now', category: 'time', phase: 'invoke', value: String(T + 2), site };
    const dups = traced([clone(0, { result: { at: T + 2 }, trace: [now] }), clone(1, { result: { at: T + 2 }, trace: [now] })], []);
    expect(dups).toEqual([]);
  });

  it('reports an init timestamp that reaches every result', () => {
    const boot: TracedValue = { api: 'Date.now', category: 'time', phase: 'init', value: String(T - 5000), site };
    const dups = analyzeRun({ clones: [clone(0, { result: { boot: T - 5000 } }), clone(1, { result: { boot: T - 5000 } })], initTrace: [boot], snapshotTakenAt: T - 4000 }).duplicates;
    expect(dups).toMatchObject([{ origin: 'init', category: 'time', paths: ['result.boot'], clones: [0, 1], detectedBy: 'trace', api: 'Date.now' }]);
    expect(dups[0]!.explanation).toMatch(/^a timestamp from init \(.*Z, before the snapshot was taken\) reused after restore \(Date.now at src\/handler.ts:3\)$/);
  });

  it('ignores constants that every clone returns, values only one clone has, and dead clones', () => {
    expect(traced([clone(0, { result: { group: 'myLogGroup', n: 1 } }), clone(1, { result: { group: 'myLogGroup', n: 2 } })], [])).toEqual([]);
    const id = '6f1c1a3e-7f2b-4c7e-9a55-0f4bd7cf1f0a';
    expect(traced([clone(0, { result: { id } }), clone(1, { status: 'crashed' })], [])).toEqual([]);
  });

  it('attributes a repeated handler value to the source that made it', () => {
    const v: TracedValue = { api: 'crypto.randomBytes', category: 'random', phase: 'invoke', value: 'ab12', site };
    const dups = traced([clone(0, { result: { token: 'ab12' }, trace: [v] }), clone(1, { result: { token: 'ab12' }, trace: [v] }), clone(2, { result: { token: 'cd34' } })], []);
    expect(dups).toMatchObject([{ origin: 'handler', clones: [0, 1], paths: ['result.token'], site, detectedBy: 'trace' }]);
  });

  it('knows unique-looking values', () => {
    expect(looksUnique('6f1c1a3e-7f2b-4c7e-9a55-0f4bd7cf1f0a')).toBe(true);
    expect(looksUnique('9f86d081884c7d659a2feaa0c55ad015')).toBe(true);
    expect(looksUnique('V1StGXR8_Z5jdHi6B-myT')).toBe(true);
    expect(looksUnique('myLogGroup')).toBe(false);
    expect(looksUnique('Hello world!')).toBe(false);
  });
});

describe('differential oracle', () => {
  const initRandom: TracedValue = { api: 'Math.random', category: 'random', phase: 'init', value: '0.123', site };

  it('reports a value the clones share but every cold start makes differently, naming init entropy reads', () => {
    const run = analyzeRun({
      clones: [clone(0, { result: 'a1b2c3d4' }), clone(1, { result: 'a1b2c3d4' }), clone(2, { result: 'a1b2c3d4' })],
      coldStarts: [cold(0, { result: '11111111' }), cold(1, { result: '22222222' }), cold(2, { result: '33333333' })],
      initTrace: [initRandom],
    });
    expect(run.duplicates).toMatchObject([{ value: 'a1b2c3d4', origin: 'unknown', detectedBy: 'oracle', clones: [0, 1, 2], paths: ['result'] }]);
    expect(run.duplicates[0]!.explanation).toContain('different in each of 3 cold starts');
    expect(run.duplicates[0]!.explanation).toContain('init read entropy that may feed it: Math.random at src/handler.ts:3');
  });

  it('never reports what the cold starts agree on, even when it looks unique', () => {
    const constantId = '6f1c1a3e-7f2b-4c7e-9a55-0f4bd7cf1f0a';
    const run = analyzeRun({
      clones: [clone(0, { result: { id: constantId } }), clone(1, { result: { id: constantId } })],
      coldStarts: [cold(0, { result: { id: constantId } }), cold(1, { result: { id: constantId } })],
      initTrace: [],
    });
    expect(run.duplicates).toEqual([]);
  });

  it('skips coarse values (small numbers, short strings) that clones can share by chance', () => {
    const run = analyzeRun({
      clones: [clone(0, { result: { roll: 4, tag: 'ab' } }), clone(1, { result: { roll: 4, tag: 'ab' } })],
      coldStarts: [cold(0, { result: { roll: 1, tag: 'cd' } }), cold(1, { result: { roll: 6, tag: 'ef' } })],
      initTrace: [],
    });
    expect(run.duplicates).toEqual([]);
  });

  it('looks into log lines (JSON fields and tokens) and request bodies and headers', () => {
    const req = (id: string, body: string): RecordedRequest => ({
      method: 'POST',
      url: 'https://dynamodb.us-east-1.amazonaws.com/',
      headers: { 'amz-sdk-invocation-id': id, 'content-type': 'application/x-amz-json-1.0' },
      body,
      bodyEncoding: 'utf8',
      via: 'https',
      status: 200,
    });
    const item = (pk: string) => JSON.stringify({ TableName: 't', Item: { pk: { S: pk } } });
    const run = analyzeRun({
      clones: [0, 1].map((i) =>
        clone(i, {
          result: null,
          logs: [{ stream: 'stdout', text: 'x', json: { requestId: 'req-000111222' } }, { stream: 'stdout', text: 'session 9f86d081884c7d65 opened' }],
          requests: [req('6f1c1a3e-7f2b-4c7e-9a55-0f4bd7cf1f0a', item('pk-77777777'))],
        }),
      ),
      coldStarts: [0, 1, 2].map((i) =>
        cold(i, {
          result: null,
          logs: [{ stream: 'stdout', text: 'x', json: { requestId: `req-00011122${i}` } }, { stream: 'stdout', text: `session ${'0123456789abcde'}${i} opened` }],
          requests: [req(`00000000-0000-4000-8000-00000000000${i}`, item(`pk-0000000${i}`))],
        }),
      ),
      initTrace: [],
    });
    const paths = run.duplicates.flatMap((d) => d.paths).sort();
    expect(paths).toEqual([
      'log["session * opened"]',
      'log["session * opened"].token[0]',
      'log["{requestId}"].requestId',
      'request[0:POST dynamodb.us-east-1.amazonaws.com/].body.Item.pk.S',
      'request[0:POST dynamodb.us-east-1.amazonaws.com/].headers.amz-sdk-invocation-id',
    ]);
  });

  it('reports a reused init timestamp, but not clock readings inside each invocation', () => {
    const run = analyzeRun({
      clones: [clone(0, { result: { boot: T - 60_000, now: T + 1 } }), clone(1, { result: { boot: T - 60_000, now: T + 1 } })],
      coldStarts: [cold(0, { result: { boot: T - 10, now: T + 1 } }), cold(1, { result: { boot: T - 20, now: T + 3 } })],
      initTrace: [],
      snapshotTakenAt: T - 50_000,
    });
    expect(run.duplicates).toMatchObject([{ value: String(T - 60_000), category: 'time', origin: 'init', paths: ['result.boot'] }]);
  });

  it('flags a value stream repeated over several invocations (a PRNG seeded at init), and not a counter', () => {
    const run = analyzeRun({
      clones: [0, 1].map((i) => clone(i, { result: { r: 'aaaaaa01', n: 1 } }, { result: { r: 'aaaaaa02', n: 2 } })),
      coldStarts: [0, 1].map((i) => cold(i, { result: { r: `bbbbbb0${i}`, n: 1 } }, { result: { r: `cccccc0${i}`, n: 2 } })),
      initTrace: [],
    });
    expect(run.sequences).toMatchObject([{ path: 'result.r', values: ['aaaaaa01', 'aaaaaa02'], clones: [0, 1] }]);
    expect(run.duplicates.map((d) => [d.value, d.invocations])).toEqual([
      ['aaaaaa01', [0]],
      ['aaaaaa02', [1]],
    ]);
  });
});

describe('outputs compared by what they are, not by position', () => {
  const line = (text: string, stream: 'stdout' | 'stderr' = 'stdout'): LogLine => ({ stream, text });
  it('pairs log lines by template, so a one-time line in cold starts shifts nothing', () => {
    // Cold starts print Node's warning hint first; clones do not. The constant line after it and the
    // per-instance session id must still be paired with their counterparts.
    const hint = line('(Use `node --trace-warnings ...` to show where the warning was created)', 'stderr');
    const run = analyzeRun({
      clones: [0, 1].map((i) => clone(i, { result: null, logs: [line('ready: table orders'), line('session 4f1a2b3c4d5e6f70 opened')] })),
      coldStarts: [0, 1, 2].map((i) => cold(i, { result: null, logs: [hint, line('ready: table orders'), line(`session 00000000000000a${i} opened`)] })),
      initTrace: [],
    });
    expect(run.duplicates.flatMap((d) => d.paths).sort()).toEqual(['log["session * opened"]', 'log["session * opened"].token[0]']);
  });

  it('keys structured log lines by their message template, the k-th repeat apart', () => {
    const json = (message: string, id: string): LogLine => ({ stream: 'stdout', text: '', json: { level: 'INFO', message, id } });
    const run = analyzeRun({
      clones: [0, 1].map((i) => clone(i, { result: null, logs: [json('item 1 stored', 'aaaaaaaa-0000-4000-8000-000000000001'), json('item 2 stored', `bbbbbbbb-0000-4000-8000-00000000000${i}`)] })),
      coldStarts: [],
      initTrace: [],
    });
    expect(run.duplicates.map((d) => d.paths)).toEqual([['log["item * stored"].id']]);
  });

  it('never reports a value copied from the event or written in the code', () => {
    const fromEvent = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
    const constant = 'f47ac10b-58cc-4372-a567-0e02b2c3d479';
    const run = analyzeRun({
      clones: [0, 1].map((i) => clone(i, { result: { fromEvent, constant } })),
      coldStarts: [],
      initTrace: [],
      events: [{ orderId: fromEvent }],
      isConstant: (v) => v === constant,
    });
    expect(run.duplicates).toEqual([]);
  });
});

describe('verdicts that cannot lie: coverage', () => {
  const threw = (index: number, kind: 'clone' | 'cold') => {
    const c = instance(kind, index, [{ status: 'threw' }]);
    return { ...c, error: { message: 'connect ECONNREFUSED' } };
  };
  it('is inconclusive when every clone threw', () => {
    const run = analyzeRun({ clones: [threw(0, 'clone'), threw(1, 'clone')], coldStarts: [cold(0, { result: { a: 1 } })], initTrace: [] });
    expect(run.coverage).toMatchObject({ clones: { ran: 2, failed: 2 }, coldStarts: { ran: 1, failed: 0 }, inconclusive: 'the function failed in every clone (2/2): connect ECONNREFUSED' });
  });
  it('is inconclusive when every cold start threw', () => {
    const run = analyzeRun({ clones: [clone(0, { result: { a: 1 } }), clone(1, { result: { a: 1 } })], coldStarts: [threw(0, 'cold'), threw(1, 'cold')], initTrace: [] });
    expect(run.coverage.inconclusive).toBe('the function failed in every cold start (2/2): connect ECONNREFUSED');
  });
  it('is inconclusive when the clones produced nothing to compare', () => {
    const run = analyzeRun({ clones: [clone(0, { result: null }), clone(1, {})], coldStarts: [], initTrace: [] });
    expect(run.coverage.inconclusive).toBe('the clones produced nothing to compare: no result value, no log line, no request and no traced value');
  });
  it('says what was compared per clone', () => {
    const run = analyzeRun({ clones: [0, 1].map((i) => clone(i, { result: { a: 1, b: 'x' }, logs: [line0()] })), coldStarts: [], initTrace: [] });
    expect(run.coverage).toEqual({ clones: { ran: 2, failed: 0 }, coldStarts: { ran: 0, failed: 0 }, compared: { resultValues: 2, logLines: 1, requests: 0, tracedValues: 0 } });
  });
  const line0 = (): LogLine => ({ stream: 'stdout', text: 'hello' });
});

describe('init work that finishes after the snapshot report', () => {
  it("names init's UUID-cache fill even when it reached the clones' first trace (a prefetch still in flight)", () => {
    const fill: TracedValue = { api: 'crypto.randomUUID (Web Crypto)', category: 'uuid', phase: 'init', value: '0c7d0b6e-0000-4000-8000-000000000001', site, cached: true, via: '@smithy/core' };
    const made: TracedValue = { api: 'crypto.randomUUID', category: 'uuid', phase: 'invoke', value: '9b2f5d1c-0000-4000-8000-000000000002', site, cached: true };
    const run = analyzeRun({ clones: [0, 1].map((i) => clone(i, { result: { id: made.value }, trace: [fill, made] })), initTrace: [] });
    expect(run.duplicates).toMatchObject([{ value: made.value, origin: 'handler' }]);
    expect(run.duplicates[0]!.explanation).toContain("repeated because init filled Node's randomUUID entropy cache (crypto.randomUUID (Web Crypto), called by @smithy/core at src/handler.ts:3)");
  });
});

describe('clock-derived values', () => {
  it('does not report an expiry computed after restore (now + 1 h, in seconds) that clones share by running in the same second', () => {
    const now = Date.now();
    const inAnHour = (ms: number) => Math.floor(ms / 1000) + 3600;
    const run = analyzeRun({
      clones: [0, 1].map((i) => instance('clone', i, [{ result: { expiration: inAnHour(now) } }], now - 10)),
      coldStarts: [0, 1].map((i) => instance('cold', i, [{ result: { expiration: inAnHour(now + (i + 1) * 2000) } }], now)),
      initTrace: [],
      snapshotTakenAt: now - 60_000,
    });
    expect(run.duplicates).toEqual([]);
  });

  it('does not report an expiry in fractional epoch seconds (Date.now() / 1000 + 3600, as a DynamoDB number string) that clones share by running in the same millisecond', () => {
    const now = Date.now();
    const inAnHour = (ms: number) => String(ms / 1000 + 3600);
    const run = analyzeRun({
      clones: [0, 1].map((i) => instance('clone', i, [{ result: { Item: { expiry: { N: inAnHour(now + 1) } } } }], now - 10)),
      coldStarts: [0, 1].map((i) => instance('cold', i, [{ result: { Item: { expiry: { N: inAnHour(now + (i + 1) * 2003) } } } }], now)),
      initTrace: [],
      snapshotTakenAt: now - 60_000,
    });
    expect(run.duplicates).toEqual([]);
  });
});
