/**
 * The Lambda Runtime API, as the real runtime interface clients (AWS's Java, Python and Node
 * RICs) speak it, served by the harness. One server per VM: the one that boots the function for
 * the snapshot, each restored clone and each cold start. Connections come from the guest's relay
 * as Duplex streams (`accept`), or, for host-side tests, over TCP on 127.0.0.1 (`listen`).
 *
 * Routes (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html and SnapStart's):
 * - GET  /2018-06-01/runtime/invocation/next: held until `invoke()` queues an event.
 * - POST /2018-06-01/runtime/invocation/{id}/response | /error: the invocation's outcome.
 * - POST /2018-06-01/runtime/init/error: init (or a before-snapshot hook) failed.
 * - GET  /2018-06-01/runtime/restore/next: sent after init and the before-snapshot hooks when
 *   AWS_LAMBDA_INITIALIZATION_TYPE=snap-start; Lambda snapshots while it is pending, and its 200
 *   means "you were restored" (the after-restore hooks run next). Held until `releaseRestore()`.
 * - POST /2018-06-01/runtime/restore/error: an after-restore hook failed.
 * Every other request is a call the function's AWS SDK made through AWS_ENDPOINT_URL: recorded
 * (method, URL, headers, body) and answered by the stub rules (`--responses`), never sent on.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { RecordedRequest, SerializedError, StubRule } from '../../runtime/protocol.js';
import { answerFor, lower, MAX_BODY_CHARS, MAX_REQUESTS } from '../../runtime/stub.js';

const PREFIX = '/2018-06-01/runtime/';
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:snapstart-harness';

/** What the runtime reported through the API (in arrival order; tests check phases with it). */
export type RuntimeCall =
  | { readonly kind: 'invocation-next' | 'restore-next'; readonly at: number }
  | { readonly kind: 'response'; readonly at: number; readonly requestId: string }
  | { readonly kind: 'invocation-error' | 'init-error' | 'restore-error'; readonly at: number; readonly requestId?: string; readonly error: RuntimeError };

/** An error the runtime posted: Lambda's `{errorMessage, errorType, stackTrace}` body. */
export interface RuntimeError extends SerializedError {
  readonly errorType: string;
}

export type InvocationOutcome =
  | { readonly kind: 'response'; readonly body: string; readonly handedOutAt: number; readonly answeredAt: number }
  | { readonly kind: 'error'; readonly error: RuntimeError; readonly handedOutAt: number; readonly answeredAt: number }
  /** An after-restore hook failed: the runtime reports it and exits, the event is never served. */
  | { readonly kind: 'restore-error'; readonly error: RuntimeError }
  | { readonly kind: 'init-error'; readonly error: RuntimeError }
  /** The VM or process behind this server went away (`fail()`), with the runtime's exit code when known. */
  | { readonly kind: 'gone'; readonly message: string; readonly exitCode?: number };

/** Where the runtime is after init: waiting for the restore signal, or for its first event. */
export type ReadyState = { readonly kind: 'restore-pending' } | { readonly kind: 'next-pending' } | { readonly kind: 'init-error'; readonly error: RuntimeError } | { readonly kind: 'gone'; readonly message: string };

export interface RuntimeApiOptions {
  /** Canned answers for the function's SDK calls (default `200 {}`). */
  readonly stubs?: readonly StubRule[];
  /** Answer `restore/next` as soon as it arrives (a clone: the request was sent before the snapshot). */
  readonly restored?: boolean;
}

export interface InvokeInput {
  readonly requestId: string;
  readonly event: unknown;
  readonly deadlineMs: number;
  readonly functionArn?: string;
}

interface Queued {
  readonly input: InvokeInput;
  readonly settle: (outcome: InvocationOutcome) => void;
  handedOutAt?: number;
}

/** A `{errorMessage, errorType, stackTrace}` body as the harness's error shape. */
export function runtimeError(body: string, typeHeader: string | undefined): RuntimeError {
  try {
    const parsed = JSON.parse(body) as { errorMessage?: unknown; errorType?: unknown; stackTrace?: unknown };
    const errorType = typeof parsed.errorType === 'string' && parsed.errorType ? parsed.errorType : (typeHeader ?? 'Error');
    const message = typeof parsed.errorMessage === 'string' ? parsed.errorMessage : JSON.stringify(parsed.errorMessage ?? null);
    const trace = Array.isArray(parsed.stackTrace) ? parsed.stackTrace.map((l) => String(l).trimEnd()).join('\n') : undefined;
    return { errorType, message: `${errorType}: ${message}`, ...(trace ? { stack: trace } : {}) };
  } catch {
    return { errorType: typeHeader ?? 'Error', message: body.slice(0, 2000) || (typeHeader ?? 'unknown error') };
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function isText(body: Buffer): boolean {
  return !body.includes(0) && Buffer.from(body.toString('utf8'), 'utf8').equals(body);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/** An X-Ray trace header of Lambda's shape (values the function may log; not secret). */
function traceId(requestId: string): string {
  const hex = requestId.replace(/[^0-9a-f]/gi, '').padEnd(24, '0');
  return `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${hex.slice(0, 24)};Parent=${hex.slice(0, 16)};Sampled=0`;
}

export class RuntimeApi {
  readonly server: Server;
  /** Every Runtime API call, in order. */
  readonly calls: RuntimeCall[] = [];
  private readonly stubs: readonly StubRule[];
  private restored: boolean;
  private readonly pendingNext: ServerResponse[] = [];
  private readonly pendingRestore: ServerResponse[] = [];
  private readonly queue: Queued[] = [];
  private readonly inFlight = new Map<string, Queued>();
  private recorded: RecordedRequest[] = [];
  private readyWaiters: Array<(state: ReadyState) => void> = [];
  private terminal: { kind: 'init-error'; error: RuntimeError } | { kind: 'restore-error'; error: RuntimeError } | { kind: 'gone'; message: string; exitCode?: number } | undefined;
  private readonly streams = new Set<Duplex>();

  constructor(options: RuntimeApiOptions = {}) {
    this.stubs = options.stubs ?? [];
    this.restored = options.restored ?? false;
    this.server = createServer({ keepAlive: true }, (req, res) => void this.route(req, res));
    // Runtime clients hold `next` open for as long as there is no event: no server-side timeouts.
    this.server.requestTimeout = 0;
    this.server.headersTimeout = 0;
    this.server.keepAliveTimeout = 0;
    this.server.timeout = 0;
  }

  /** Serves one connection that arrived from the guest. */
  accept(stream: Duplex): void {
    this.streams.add(stream);
    stream.on('close', () => this.streams.delete(stream));
    stream.on('error', () => {});
    this.server.emit('connection', stream);
  }

  /** Also listen on 127.0.0.1 (tests run real runtime clients on the host); returns `host:port`. */
  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Resolves once init is over: `restore/next` pending (snap-start), `invocation/next` pending (on-demand), or init failed. */
  ready(): Promise<ReadyState> {
    const now = this.readyState();
    if (now) return Promise.resolve(now);
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  private readyState(): ReadyState | undefined {
    if (this.terminal?.kind === 'init-error') return { kind: 'init-error', error: this.terminal.error };
    if (this.terminal?.kind === 'gone') return { kind: 'gone', message: this.terminal.message };
    if (this.pendingRestore.length > 0) return { kind: 'restore-pending' };
    if (this.pendingNext.length > 0) return { kind: 'next-pending' };
    return undefined;
  }

  private wakeReady(): void {
    const state = this.readyState();
    if (!state) return;
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const w of waiters) w(state);
  }

  /** Answers `restore/next` (now and from now on): the runtime runs its after-restore hooks. */
  releaseRestore(): void {
    this.restored = true;
    for (const res of this.pendingRestore.splice(0)) send(res, 200, '');
  }

  /** Queues one event; resolves with what the runtime answered. */
  invoke(input: InvokeInput): Promise<InvocationOutcome> {
    if (this.terminal) return Promise.resolve(this.terminalOutcome());
    return new Promise((settle) => {
      this.queue.push({ input, settle });
      this.dispatch();
    });
  }

  /** The VM (or process) behind this server ended: everything waiting is told so. */
  fail(message: string, exitCode?: number): void {
    if (!this.terminal) this.terminal = { kind: 'gone', message, ...(exitCode !== undefined ? { exitCode } : {}) };
    this.wakeReady();
    this.settleAll();
  }

  /** The SDK calls recorded since the last call (and forgets them). */
  takeRequests(): RecordedRequest[] {
    const out = this.recorded;
    this.recorded = [];
    return out;
  }

  /** Closes every connection and the listener. */
  async close(): Promise<void> {
    for (const res of [...this.pendingNext.splice(0), ...this.pendingRestore.splice(0)]) res.destroy();
    for (const s of this.streams) s.destroy();
    this.server.closeAllConnections();
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private terminalOutcome(): InvocationOutcome {
    const t = this.terminal!;
    return t.kind === 'gone' ? { kind: 'gone', message: t.message, ...(t.exitCode !== undefined ? { exitCode: t.exitCode } : {}) } : { kind: t.kind, error: t.error };
  }

  private settleAll(): void {
    const outcome = this.terminalOutcome();
    for (const q of this.queue.splice(0)) q.settle(outcome);
    for (const [id, q] of this.inFlight) {
      this.inFlight.delete(id);
      q.settle(outcome);
    }
  }

  private dispatch(): void {
    while (this.queue.length > 0 && this.pendingNext.length > 0) {
      const res = this.pendingNext.shift()!;
      if (res.destroyed || res.writableEnded) continue;
      const q = this.queue.shift()!;
      const { requestId, event, deadlineMs, functionArn } = q.input;
      q.handedOutAt = Date.now();
      this.inFlight.set(requestId, q);
      send(res, 200, event === undefined ? {} : event, {
        'lambda-runtime-aws-request-id': requestId,
        'lambda-runtime-deadline-ms': String(deadlineMs),
        'lambda-runtime-invoked-function-arn': functionArn ?? FUNCTION_ARN,
        'lambda-runtime-trace-id': traceId(requestId),
      });
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const method = (req.method ?? 'GET').toUpperCase();
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch {
      return;
    }
    if (!url.startsWith(PREFIX)) return this.stub(req, res, method, url, body);
    const path = url.slice(PREFIX.length).split('?')[0]!;
    const at = Date.now();
    if (method === 'GET' && path === 'invocation/next') {
      this.calls.push({ kind: 'invocation-next', at });
      this.pendingNext.push(res);
      res.on('close', () => {
        const i = this.pendingNext.indexOf(res);
        if (i >= 0) this.pendingNext.splice(i, 1);
      });
      this.wakeReady();
      this.dispatch();
      return;
    }
    if (method === 'GET' && path === 'restore/next') {
      this.calls.push({ kind: 'restore-next', at });
      if (this.restored) return send(res, 200, '');
      this.pendingRestore.push(res);
      this.wakeReady();
      return;
    }
    const typeHeader = header(req, 'lambda-runtime-function-error-type');
    const text = body.toString('utf8');
    if (method === 'POST' && (path === 'init/error' || path === 'restore/error')) {
      const error = runtimeError(text, typeHeader);
      const kind = path === 'init/error' ? 'init-error' : 'restore-error';
      this.calls.push({ kind, at, error });
      send(res, 202, { status: 'OK' });
      this.terminal ??= { kind, error };
      this.wakeReady();
      this.settleAll();
      return;
    }
    const m = /^invocation\/([^/]+)\/(response|error)$/.exec(path);
    if (method === 'POST' && m) {
      const requestId = decodeURIComponent(m[1]!);
      const q = this.inFlight.get(requestId);
      if (!q) return send(res, 400, { errorMessage: `unknown or already answered request id ${requestId}`, errorType: 'InvalidRequestID' });
      this.inFlight.delete(requestId);
      send(res, 202, { status: 'OK' });
      const handedOutAt = q.handedOutAt ?? at;
      if (m[2] === 'response') {
        this.calls.push({ kind: 'response', at, requestId });
        q.settle({ kind: 'response', body: text, handedOutAt, answeredAt: at });
      } else {
        const error = runtimeError(text, typeHeader);
        this.calls.push({ kind: 'invocation-error', at, requestId, error });
        q.settle({ kind: 'error', error, handedOutAt, answeredAt: at });
      }
      return;
    }
    send(res, 404, { errorMessage: `unknown Runtime API route ${method} ${url}`, errorType: 'InvalidRoute' });
  }

  /** An SDK call through AWS_ENDPOINT_URL: recorded, answered by the first matching stub rule. */
  private stub(req: IncomingMessage, res: ServerResponse, method: string, path: string, body: Buffer): void {
    const url = `http://${header(req, 'host') ?? 'localhost'}${path}`;
    const answer = answerFor(method, url, this.stubs);
    if (this.recorded.length < MAX_REQUESTS) {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      const text = isText(body);
      const encoded = text ? body.toString('utf8') : body.toString('base64');
      this.recorded.push({
        method,
        url,
        headers: lower(headers),
        body: encoded.length > MAX_BODY_CHARS ? encoded.slice(0, MAX_BODY_CHARS) : encoded,
        bodyEncoding: text ? 'utf8' : 'base64',
        via: 'AWS_ENDPOINT_URL',
        status: answer.status,
      });
    }
    res.writeHead(answer.status, { ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)) });
    res.end(answer.body);
  }
}
