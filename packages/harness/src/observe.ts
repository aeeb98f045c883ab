/**
 * Turns what an invocation produced (result, log lines, outgoing requests) into leaves: a path
 * and a value each, e.g. `result.logStream`, `log["{requestId}"].requestId`,
 * `request[0:POST dynamodb.us-east-1.amazonaws.com/].body.Item.pk.S`. The oracle and the
 * trace-based checks compare instances leaf by leaf.
 */
import type { InvocationResult, LogLine, RecordedRequest } from './types.js';

export interface Leaf {
  readonly path: string;
  readonly value: string;
  readonly kind: 'string' | 'number';
}

const MAX_DEPTH = 20;
const MAX_LEAVES = 20_000;
/** Tokens inside a text log line worth comparing on their own: ids, hex, long numbers, tokens. */
const TOKEN = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\b[0-9a-f]{12,}\b|\b\d{6,}\b|\b[A-Za-z0-9_-]{20,}\b/gi;

function walk(value: unknown, path: string, out: Leaf[], depth: number): void {
  if (out.length >= MAX_LEAVES || depth > MAX_DEPTH || value === null || value === undefined) return;
  if (typeof value === 'string') out.push({ path, value, kind: 'string' });
  else if (typeof value === 'number' || typeof value === 'bigint') out.push({ path, value: String(value), kind: 'number' });
  else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`, out, depth + 1));
  else if (typeof value === 'object') for (const [k, v] of Object.entries(value as Record<string, unknown>)) walk(v, `${path}.${k}`, out, depth + 1);
}

export function valueLeaves(value: unknown, path: string): Leaf[] {
  const out: Leaf[] = [];
  walk(value, path, out, 0);
  return out;
}

/** The parts of a log line that vary between runs of the same statement: ids, numbers, times. */
const VARYING = /\d{4}-\d{2}-\d{2}[T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\b[0-9a-f]*\d[0-9a-f]*\b|\b[A-Za-z0-9_-]*\d[A-Za-z0-9_-]*\b|\d+(\.\d+)?/gi;
const TEMPLATE_CHARS = 60;

/**
 * What a log line is, whatever it says this time: its stream and its text with the varying parts
 * (ids, numbers, timestamps) replaced by `*`; for a JSON line, its `message`/`msg` field so
 * templated, or else its field names. Two instances' lines from the same statement share it.
 */
export function logTemplate(line: LogLine): string {
  const json = line.json;
  let shape: string;
  if (json && typeof json === 'object' && !Array.isArray(json)) {
    const fields = json as Record<string, unknown>;
    const message = typeof fields.message === 'string' ? fields.message : typeof fields.msg === 'string' ? fields.msg : undefined;
    shape = message !== undefined ? message.replace(VARYING, '*') : `{${Object.keys(fields).sort().join(',')}}`;
  } else {
    shape = line.text.replace(VARYING, '*');
  }
  shape = shape.trim();
  if (shape.length > TEMPLATE_CHARS) shape = `${shape.slice(0, TEMPLATE_CHARS - 1)}…`;
  return `${line.stream === 'stderr' ? 'stderr:' : ''}${shape}`;
}

/**
 * Log lines are keyed by what they are, not where they are: `log["order * created"]`, and
 * `log["order * created"#1]` for the second line of that template in the same invocation. A line
 * printed once in cold starts but not in clones (a deprecation notice, Node's `--trace-warnings`
 * hint) then leaves every other line paired with its counterpart.
 */
function logLeaves(logs: readonly LogLine[], out: Leaf[]): void {
  const seen = new Map<string, number>();
  for (const line of logs) {
    const template = logTemplate(line);
    const k = seen.get(template) ?? 0;
    seen.set(template, k + 1);
    const base = `log[${JSON.stringify(template)}${k > 0 ? `#${k}` : ''}]`;
    if (line.json !== undefined) {
      walk(line.json, base, out, 1);
      continue;
    }
    out.push({ path: base, value: line.text, kind: 'string' });
    let t = 0;
    for (const m of line.text.matchAll(TOKEN)) out.push({ path: `${base}.token[${t++}]`, value: m[0], kind: 'string' });
  }
}

/** `request[0:POST host/path]`: the k-th request to that method and URL (without the query), so paths align across instances. */
export function requestLabel(index: number, r: RecordedRequest): string {
  let where = r.url;
  try {
    const u = new URL(r.url);
    where = `${u.host}${u.pathname}`;
  } catch {
    // keep the raw URL
  }
  return `request[${index}:${r.method} ${where}]`;
}

/**
 * Signatures and digests are functions of the other fields (a repeated body and an equal date
 * give an equal SigV4 signature): they repeat only as a consequence, never as a cause.
 */
const DERIVED_HEADERS = /^(authorization|x-amz-content-sha256|content-md5|digest|x-amz-checksum-.*|x-amz-signature)$/;

/** Requests are numbered per method and URL: one extra request to another endpoint shifts nothing. */
function requestLeaves(requests: readonly RecordedRequest[], out: Leaf[]): void {
  const seen = new Map<string, number>();
  requests.forEach((r) => {
    const endpoint = requestLabel(0, r);
    const k = seen.get(endpoint) ?? 0;
    seen.set(endpoint, k + 1);
    const base = requestLabel(k, r);
    out.push({ path: `${base}.url`, value: r.url, kind: 'string' });
    for (const [name, value] of Object.entries(r.headers)) {
      if (!DERIVED_HEADERS.test(name)) out.push({ path: `${base}.headers.${name}`, value, kind: 'string' });
    }
    if (r.body === '') return;
    if (r.bodyEncoding === 'utf8') {
      try {
        walk(JSON.parse(r.body) as unknown, `${base}.body`, out, 1);
        return;
      } catch {
        // not JSON: the body as text
      }
    }
    out.push({ path: `${base}.body`, value: r.body, kind: 'string' });
  });
}

/** Every leaf of one invocation. */
export function invocationLeaves(inv: InvocationResult): Leaf[] {
  const out = valueLeaves(inv.result, 'result');
  if (inv.error) out.push({ path: 'error.message', value: inv.error.message, kind: 'string' });
  logLeaves(inv.logs, out);
  requestLeaves(inv.requests, out);
  return out;
}

const ISO = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const HTTP_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

/** Reads a leaf as a point in time near now: epoch ms or s, ISO-8601, x-amz-date, HTTP date. */
export function asTime(leaf: Leaf, now: number): { ms: number; resolutionMs: number } | undefined {
  const near = (ms: number): boolean => Math.abs(ms - now) < TEN_YEARS_MS;
  if (leaf.kind === 'number') {
    const n = Number(leaf.value);
    if (!Number.isFinite(n)) return undefined;
    if (near(n)) return { ms: n, resolutionMs: 1 };
    // Epoch seconds: whole (1 s resolution) or with a fraction (`Date.now() / 1000`: 1 ms).
    if (near(n * 1000)) return { ms: n * 1000, resolutionMs: Number.isInteger(n) ? 1000 : 1 };
    return undefined;
  }
  const v = leaf.value;
  let ms: number | undefined;
  let resolutionMs = 1000;
  if (ISO.test(v)) {
    ms = Date.parse(v.includes('T') ? v : v.replace(' ', 'T'));
    if (/\.\d+/.test(v)) resolutionMs = 1;
  } else if (AMZ_DATE.test(v)) {
    const m = AMZ_DATE.exec(v)!;
    ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  } else if (HTTP_DATE.test(v)) {
    ms = Date.parse(v);
  } else if (/^\d{10}(\d{3})?$/.test(v) || /^\d{10}\.\d{1,6}$/.test(v)) {
    const n = Number(v);
    return asTime({ path: leaf.path, value: v, kind: 'number' }, now) ?? (near(n) ? { ms: n, resolutionMs: 1 } : undefined);
  }
  return ms !== undefined && Number.isFinite(ms) && near(ms) ? { ms, resolutionMs } : undefined;
}
