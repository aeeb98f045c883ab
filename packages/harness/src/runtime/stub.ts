/**
 * The recorder and stub behind the harness's http, https and fetch: every request the function
 * makes is recorded (method, URL, headers, body) and answered locally, by the first matching
 * rule of `--responses FILE` or `200 {}`. Nothing leaves the machine. Engine-neutral.
 */
import type { RecordedRequest, StubRule } from './protocol.js';

let rules: readonly StubRule[] = [];
let recorded: RecordedRequest[] = [];
export const MAX_REQUESTS = 1000;
export const MAX_BODY_CHARS = 256 * 1024;

export function setStubRules(next: readonly StubRule[]): void {
  rules = next;
}

export interface StubAnswer {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 201: 'Created', 204: 'No Content', 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error', 503: 'Service Unavailable' };

function matches(pattern: string, url: string): boolean {
  if (pattern.length > 2 && pattern.startsWith('/') && pattern.endsWith('/')) return new RegExp(pattern.slice(1, -1)).test(url);
  const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(url);
}

/** The answer of the first rule that matches (or `200 {}`); the linux engine's stub serves these too. */
export function answerFor(method: string, url: string, using: readonly StubRule[] = rules): StubAnswer {
  for (const rule of using) {
    if (rule.method && rule.method !== '*' && rule.method.toUpperCase() !== method) continue;
    if (!matches(rule.url, url)) continue;
    const status = rule.status ?? 200;
    const isText = typeof rule.body === 'string';
    const body = rule.body === undefined ? '{}' : isText ? (rule.body) : JSON.stringify(rule.body);
    const headers: Record<string, string> = { 'content-type': isText ? 'text/plain' : 'application/json', ...lower(rule.headers ?? {}) };
    return { status, statusText: STATUS_TEXT[status] ?? '', headers, body };
  }
  return { status: 200, statusText: 'OK', headers: { 'content-type': 'application/json' }, body: '{}' };
}

export function lower(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(headers)) out[k.toLowerCase()] = String(headers[k]);
  return out;
}

/** Records a request and returns the stub's answer. `body` is text or base64 per `encoding`. */
export function recordRequest(
  via: string,
  method: string,
  url: string,
  headers: Readonly<Record<string, string>>,
  body: string,
  encoding: 'utf8' | 'base64',
): StubAnswer {
  const m = method.toUpperCase();
  const answer = answerFor(m, url);
  if (recorded.length < MAX_REQUESTS) {
    recorded.push({
      method: m,
      url,
      headers: lower(headers),
      body: body.length > MAX_BODY_CHARS ? body.slice(0, MAX_BODY_CHARS) : body,
      bodyEncoding: encoding,
      via,
      status: answer.status,
    });
  }
  return answer;
}

/**
 * Records a connection the harness refused (a raw TCP/TLS/UDP socket or a DNS lookup, see
 * containment/network.ts): method `CONNECT`, `SEND` or `LOOKUP`, a `tcp:`/`udp:`/`dns:` URL, status 0.
 */
export function recordRefused(via: string, method: string, url: string): void {
  if (recorded.length < MAX_REQUESTS) recorded.push({ method, url, headers: {}, body: '', bodyEncoding: 'utf8', via, status: 0 });
}

/** `METHOD url` of the requests no `--responses` rule matched: the default `200 {}` answered them. */
export function answeredByDefault(requests: readonly RecordedRequest[], using: readonly StubRule[] = rules): string[] {
  return requests.filter((r) => !using.some((rule) => (!rule.method || rule.method === '*' || rule.method.toUpperCase() === r.method) && matches(rule.url, r.url))).map((r) => `${r.method} ${r.url}`);
}

/** What an init failure adds when init's requests got the default answer: it may be why init failed. */
export function defaultAnswerHint(requests: readonly string[]): string {
  if (!requests.length) return '';
  const shown = requests.slice(0, 3).join(', ') + (requests.length > 3 ? `, and ${requests.length - 3} more` : '');
  return `; init's requests (${shown}) got the stub's default answer 200 {}: if init needs real answers, give them with --responses FILE`;
}

/** Ends the current phase: returns (and forgets) the requests recorded in it. */
export function takeRequests(): RecordedRequest[] {
  const out = recorded;
  recorded = [];
  return out;
}
