/**
 * `http2` inside an instance (both engines): client sessions whose streams are recorded and
 * answered by the stub, like http/https requests (stub.ts). What HTTP/2 clients use, notably the
 * AWS SDK v3's NodeHttp2Handler (the default of some current clients, e.g. Polly): `connect()`
 * gives a session with `request(headers)`, a duplex stream that takes the body and emits
 * `response` with `:status` and the stub's headers, then the stub's body. Nothing is sent.
 */
import { EventEmitter } from 'node:events';
import { Duplex } from 'node:stream';
import { recordRequest } from './stub.js';

export const constants = {
  HTTP2_HEADER_METHOD: ':method',
  HTTP2_HEADER_PATH: ':path',
  HTTP2_HEADER_STATUS: ':status',
  HTTP2_HEADER_AUTHORITY: ':authority',
  HTTP2_HEADER_SCHEME: ':scheme',
  HTTP2_HEADER_CONTENT_TYPE: 'content-type',
  HTTP2_HEADER_CONTENT_LENGTH: 'content-length',
  HTTP2_METHOD_GET: 'GET',
  HTTP2_METHOD_POST: 'POST',
  NGHTTP2_NO_ERROR: 0,
  NGHTTP2_CANCEL: 8,
  NGHTTP2_REFUSED_STREAM: 7,
};

type Headers = Record<string, string | string[] | number | undefined>;

/** One request on a session: written to like a request body, read from like a response body. */
export class ClientHttp2Stream extends Duplex {
  rstCode: number | undefined;
  readonly sentHeaders: Headers;
  private readonly chunks: Buffer[] = [];
  private closedStream = false;

  constructor(
    private readonly session: ClientHttp2Session,
    headers: Headers,
  ) {
    super();
    this.sentHeaders = headers;
  }

  override _read(): void {}

  override _write(chunk: Buffer | string, encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, encoding));
    done();
  }

  override _final(done: (err?: Error | null) => void): void {
    const method = String(this.sentHeaders[':method'] ?? 'GET');
    const path = String(this.sentHeaders[':path'] ?? '/');
    const url = `${this.session.origin}${path}`;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.sentHeaders)) {
      if (!k.startsWith(':') && v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
    }
    const body = Buffer.concat(this.chunks);
    const text = body.toString('utf8');
    const isText = Buffer.from(text, 'utf8').equals(body);
    const answer = recordRequest('http2', method, url, headers, isText ? text : body.toString('base64'), isText ? 'utf8' : 'base64');
    done();
    setImmediate(() => {
      if (this.closedStream) return;
      this.emit('response', { ':status': answer.status, ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)) }, 0);
      if (answer.body.length) this.push(Buffer.from(answer.body, 'utf8'));
      this.push(null);
      this.once('end', () => this.close());
    });
  }

  setTimeout(_ms: number, _callback?: () => void): this {
    // The stub answers at once: a stream timeout can never fire.
    return this;
  }

  close(code = constants.NGHTTP2_NO_ERROR, callback?: () => void): void {
    if (this.closedStream) return;
    this.closedStream = true;
    this.rstCode = code;
    setImmediate(() => {
      this.emit('close');
      callback?.();
    });
  }

  priority(): void {}
  sendTrailers(): void {}
}

export class ClientHttp2Session extends EventEmitter {
  destroyed = false;
  closed = false;
  readonly encrypted: boolean;
  readonly alpnProtocol = 'h2';
  readonly localSettings = { maxConcurrentStreams: 100 };
  readonly remoteSettings = { maxConcurrentStreams: 100 };
  readonly socket = null;

  constructor(readonly origin: string) {
    super();
    this.encrypted = origin.startsWith('https:');
    setImmediate(() => this.emit('connect', this));
  }

  request(headers: Headers = {}, _options?: unknown): ClientHttp2Stream {
    if (this.destroyed || this.closed) throw new Error('snapstart-harness: the HTTP/2 session is closed');
    const full: Headers = { ':method': 'GET', ':path': '/', ...headers };
    return new ClientHttp2Stream(this, full);
  }

  settings(_settings: unknown, callback?: (err: Error | null) => void): void {
    if (callback) setImmediate(() => callback(null));
  }

  setTimeout(_ms: number, _callback?: () => void): void {}
  ref(): void {}
  unref(): void {}
  ping(callback?: (err: Error | null, duration: number) => void): boolean {
    if (callback) setImmediate(() => callback(null, 0));
    return true;
  }

  close(callback?: () => void): void {
    if (this.closed) return;
    this.closed = true;
    setImmediate(() => {
      this.destroyed = true;
      this.emit('close');
      callback?.();
    });
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.closed = true;
    setImmediate(() => this.emit('close'));
  }
}

/** `http2.connect(authority[, options][, listener])`: a session answered by the stub. */
export function connect(authority: string | URL, options?: unknown, listener?: (session: ClientHttp2Session) => void): ClientHttp2Session {
  const u = new URL(String(authority));
  const session = new ClientHttp2Session(`${u.protocol}//${u.host}`);
  const onConnect = typeof options === 'function' ? (options as typeof listener) : listener;
  if (onConnect) session.once('connect', onConnect);
  return session;
}

function createServer(): never {
  throw new Error('snapstart-harness: http2.createServer() is not available in a snapshot instance (the harness stubs outgoing requests only)');
}

export const createSecureServer = createServer;
export { createServer };
export default { connect, constants, createServer, createSecureServer, ClientHttp2Session, ClientHttp2Stream };
