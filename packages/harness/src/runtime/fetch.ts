/**
 * The harness's `fetch`: records the request and answers with the stub, never touching the
 * network. Its Response carries what handlers use (status, ok, headers, text, json,
 * arrayBuffer). Engine-neutral.
 */
import { recordRequest } from './stub.js';

type HeadersInitLike = Record<string, string> | Array<[string, string]> | { forEach(cb: (v: string, k: string) => void): void };

class StubHeaders {
  private readonly map = new Map<string, string>();
  constructor(init?: HeadersInitLike) {
    if (!init) return;
    if (Array.isArray(init)) for (const [k, v] of init) this.map.set(k.toLowerCase(), String(v));
    else if (typeof (init as { forEach?: unknown }).forEach === 'function') {
      (init as { forEach(cb: (v: string, k: string) => void): void }).forEach((v, k) => this.map.set(k.toLowerCase(), String(v)));
    } else for (const k of Object.keys(init)) this.map.set(k.toLowerCase(), String((init as Record<string, string>)[k]));
  }
  get(name: string): string | null {
    return this.map.get(name.toLowerCase()) ?? null;
  }
  has(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }
  set(name: string, value: string): void {
    this.map.set(name.toLowerCase(), String(value));
  }
  forEach(cb: (value: string, name: string) => void): void {
    this.map.forEach((v, k) => cb(v, k));
  }
  entries(): IterableIterator<[string, string]> {
    return this.map.entries();
  }
  toObject(): Record<string, string> {
    const out: Record<string, string> = {};
    this.map.forEach((v, k) => (out[k] = v));
    return out;
  }
}

class StubResponse {
  readonly ok: boolean;
  readonly headers: StubHeaders;
  readonly redirected = false;
  readonly type = 'basic';
  bodyUsed = false;
  constructor(
    private readonly text_: string,
    readonly status: number,
    readonly statusText: string,
    headers: Record<string, string>,
    readonly url: string,
  ) {
    this.ok = status >= 200 && status < 300;
    this.headers = new StubHeaders(headers);
  }
  async text(): Promise<string> {
    this.bodyUsed = true;
    return this.text_;
  }
  async json(): Promise<unknown> {
    this.bodyUsed = true;
    return JSON.parse(this.text_);
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    this.bodyUsed = true;
    const bytes = new TextEncoder().encode(this.text_);
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  }
  clone(): StubResponse {
    return new StubResponse(this.text_, this.status, this.statusText, this.headers.toObject(), this.url);
  }
}

function bodyText(body: unknown): { body: string; encoding: 'utf8' | 'base64' } {
  if (body === undefined || body === null) return { body: '', encoding: 'utf8' };
  if (typeof body === 'string') return { body, encoding: 'utf8' };
  if (typeof URLSearchParams !== 'undefined' && body instanceof URLSearchParams) return { body: body.toString(), encoding: 'utf8' };
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) {
    const bytes = body instanceof ArrayBuffer ? new Uint8Array(body) : new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
    return { body: new TextDecoder().decode(bytes), encoding: 'utf8' };
  }
  // What is left is what fetch itself turns into text: strings, URLSearchParams, numbers.
  return { body: typeof body === 'string' ? body : `${body as string}`, encoding: 'utf8' };
}

export async function stubFetch(input: unknown, init?: { method?: string; headers?: HeadersInitLike; body?: unknown }): Promise<StubResponse> {
  const req = input as { url?: string; method?: string; headers?: HeadersInitLike } | string;
  const url = typeof req === 'string' ? req : typeof (req as URL).href === 'string' && !('method' in (req as object)) ? (req as URL).href : String(req.url);
  const method = init?.method ?? (typeof req === 'object' && req.method ? req.method : 'GET');
  const headers = new StubHeaders(init?.headers ?? (typeof req === 'object' ? req.headers : undefined)).toObject();
  const { body, encoding } = bodyText(init?.body);
  const answer = recordRequest('fetch', method, url, headers, body, encoding);
  return new StubResponse(answer.body, answer.status, answer.statusText, answer.headers, url);
}

/** Replaces globalThis.fetch with the stub. */
export function installFetch(): void {
  Object.defineProperty(globalThis, 'fetch', { value: stubFetch, writable: true, configurable: true, enumerable: true });
}
