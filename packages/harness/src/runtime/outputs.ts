/**
 * Records what the function prints, line by line, per phase: console.* and
 * process.stdout/stderr.write. Lines that parse as JSON (structured loggers) keep their fields.
 * Everything is still written to the real streams.
 */
import type { LogLine } from './protocol.js';

const MAX_LINES = 5000;
const MAX_LINE_CHARS = 8192;
let lines: LogLine[] = [];
const partial = { stdout: '', stderr: '' };

function push(stream: 'stdout' | 'stderr', text: string): void {
  if (lines.length >= MAX_LINES) return;
  lines.push(toLogLine(stream, text));
}

/** One complete line as a LogLine: clipped, with its fields when it parses as JSON (the linux engine's guest lines too). */
export function toLogLine(stream: 'stdout' | 'stderr', text: string): LogLine {
  const clipped = text.length > MAX_LINE_CHARS ? text.slice(0, MAX_LINE_CHARS) : text;
  let json: unknown;
  const t = clipped.trim();
  if ((t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']'))) {
    try {
      json = JSON.parse(t);
    } catch {
      json = undefined;
    }
  }
  return json === undefined ? { stream, text: clipped } : { stream, text: clipped, json };
}

/** Feeds written text; complete lines are recorded, a trailing partial line waits for more. */
export function recordOutput(stream: 'stdout' | 'stderr', text: string): void {
  const all = partial[stream] + text;
  const parts = all.split('\n');
  partial[stream] = parts.pop() ?? '';
  for (const p of parts) push(stream, p.endsWith('\r') ? p.slice(0, -1) : p);
}

/** Ends the current phase: flushes partial lines and returns (and forgets) what was recorded. */
export function takeLogs(): LogLine[] {
  for (const stream of ['stdout', 'stderr'] as const) {
    if (partial[stream]) push(stream, partial[stream]);
    partial[stream] = '';
  }
  const out = lines;
  lines = [];
  return out;
}

type Writer = (chunk: unknown, ...rest: unknown[]) => boolean;

const CAPTURED = Symbol.for('snapstart.captured');

/**
 * Node: wraps process.stdout/stderr.write (console writes through them). Called at init and
 * again in a restored clone, whose stdio streams Node creates anew after deserialization.
 */
export function captureNodeStreams(): void {
  for (const stream of ['stdout', 'stderr'] as const) {
    const target = process[stream] as unknown as { write: Writer; [CAPTURED]?: boolean };
    if (target[CAPTURED]) continue;
    target[CAPTURED] = true;
    const original = target.write.bind(target);
    target.write = (chunk: unknown, ...rest: unknown[]): boolean => {
      try {
        recordOutput(stream, typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk));
      } catch {
        // recording must never break the function's own output
      }
      return original(chunk, ...rest);
    };
  }
}
