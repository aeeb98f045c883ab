/**
 * `http`, `https` and `http2` for code bundled into a node-engine instance. Node 20 cannot put
 * the real `http`/`https` into a startup snapshot (the build fails or crashes), and requests from
 * clones must not leave the machine anyway: these modules record each request and answer it from
 * the stub (see stub.ts). They implement what clients use, notably the AWS SDK v3's
 * NodeHttpHandler: Agent, request/get with a writable ClientRequest that emits 'response' with a
 * readable IncomingMessage.
 */
import { EventEmitter } from 'node:events';
import { Readable, Writable } from 'node:stream';
import { recordRequest } from './stub.js';

export const METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];
export const STATUS_CODES: Record<number, string> = { 200: 'OK', 201: 'Created', 204: 'No Content', 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error' };
export const maxHeaderSize = 16384;

export class Agent extends EventEmitter {
  readonly keepAlive: boolean;
  readonly keepAliveMsecs: number;
  readonly maxSockets: number;
  readonly sockets: Record<string, unknown[]> = {};
  readonly requests: Record<string, unknown[]> = {};
  readonly freeSockets: Record<string, unknown[]> = {};
  constructor(options: { keepAlive?: boolean; keepAliveMsecs?: number; maxSockets?: number } = {}) {
    super();
    this.keepAlive = options.keepAlive ?? false;
    this.keepAliveMsecs = options.keepAliveMsecs ?? 1000;
    this.maxSockets = options.maxSockets ?? Infinity;
  }
  destroy(): void {}
}
export const globalAgent = new Agent();

export class IncomingMessage extends Readable {
  statusCode = 0;
  statusMessage = '';
  headers: Record<string, string> = {};
  rawHeaders: string[] = [];
  httpVersion = '1.1';
  complete = false;
  constructor(body?: string) {
    super({ read() {} });
    if (body !== undefined) {
      if (body.length) this.push(Buffer.from(body, 'utf8'));
      this.push(null);
      this.complete = true;
    }
  }
}

interface RequestOptions {
  protocol?: string;
  host?: string;
  hostname?: string;
  port?: number | string;
  path?: string;
  method?: string;
  headers?: Record<string, string | string[] | number>;
  auth?: string;
}

export class ClientRequest extends Writable {
  readonly method: string;
  readonly path: string;
  readonly host: string;
  readonly protocol: string;
  headersSent = false;
  reusedSocket = false;
  private readonly headers: Record<string, string> = {};
  private readonly chunks: Buffer[] = [];
  private readonly url: string;
  private aborted = false;

  constructor(
    private readonly via: 'http' | 'https',
    options: RequestOptions,
    callback?: (res: IncomingMessage) => void,
  ) {
    super();
    this.protocol = options.protocol ?? `${via}:`;
    this.host = String(options.hostname ?? options.host ?? 'localhost').replace(/:\d+$/, '');
    this.method = (options.method ?? 'GET').toUpperCase();
    this.path = options.path ?? '/';
    const defaultPort = via === 'https' ? 443 : 80;
    const port = options.port && Number(options.port) !== defaultPort ? `:${options.port}` : '';
    this.url = `${this.protocol}//${this.host}${port}${this.path}`;
    for (const [k, v] of Object.entries(options.headers ?? {})) this.headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
    if (callback) this.once('response', callback);
  }

  setHeader(name: string, value: string | number | string[]): this {
    this.headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    return this;
  }
  getHeader(name: string): string | undefined {
    return this.headers[name.toLowerCase()];
  }
  getHeaders(): Record<string, string> {
    return { ...this.headers };
  }
  hasHeader(name: string): boolean {
    return name.toLowerCase() in this.headers;
  }
  removeHeader(name: string): void {
    delete this.headers[name.toLowerCase()];
  }
  setTimeout(_ms: number, callback?: () => void): this {
    // The stub answers at once: a socket timeout can never fire.
    void callback;
    return this;
  }
  setNoDelay(): void {}
  setSocketKeepAlive(): void {}
  flushHeaders(): void {
    this.headersSent = true;
  }
  abort(): void {
    this.aborted = true;
    this.destroy();
  }

  override _write(chunk: Buffer | string, encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, encoding));
    done();
  }

  override _final(done: (err?: Error | null) => void): void {
    this.headersSent = true;
    const body = Buffer.concat(this.chunks);
    const text = body.toString('utf8');
    const isText = Buffer.from(text, 'utf8').equals(body);
    const answer = recordRequest(this.via, this.method, this.url, this.headers, isText ? text : body.toString('base64'), isText ? 'utf8' : 'base64');
    done();
    setImmediate(() => {
      if (this.aborted) return;
      const res = new IncomingMessage(answer.body);
      res.statusCode = answer.status;
      res.statusMessage = answer.statusText;
      res.headers = { ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)) };
      res.rawHeaders = Object.entries(res.headers).flat();
      this.emit('response', res);
      this.emit('close');
    });
  }
}

function normalize(via: 'http' | 'https', a: unknown, b: unknown, c: unknown): { options: RequestOptions; cb?: (res: IncomingMessage) => void } {
  let options: RequestOptions = {};
  let cb: ((res: IncomingMessage) => void) | undefined;
  if (typeof a === 'string' || a instanceof URL) {
    const u = new URL(String(a));
    options = { protocol: u.protocol, hostname: u.hostname, port: u.port || undefined, path: `${u.pathname}${u.search}` };
    if (typeof b === 'function') cb = b as typeof cb;
    else {
      options = { ...options, ...(b as RequestOptions) };
      cb = c as typeof cb;
    }
  } else {
    options = { ...(a as RequestOptions) };
    cb = b as typeof cb;
  }
  options.protocol ??= `${via}:`;
  return cb ? { options, cb } : { options };
}

export function makeModule(via: 'http' | 'https') {
  function request(a: unknown, b?: unknown, c?: unknown): ClientRequest {
    const { options, cb } = normalize(via, a, b, c);
    return new ClientRequest(via, options, cb);
  }
  function get(a: unknown, b?: unknown, c?: unknown): ClientRequest {
    const req = request(a, b, c);
    req.end();
    return req;
  }
  function createServer(): never {
    throw new Error(`snapstart-harness: ${via}.createServer() is not available in a snapshot instance (the harness stubs outgoing requests only)`);
  }
  return { Agent, globalAgent: via === 'https' ? new Agent({ keepAlive: true }) : globalAgent, request, get, createServer, IncomingMessage, ClientRequest, METHODS, STATUS_CODES, maxHeaderSize };
}
