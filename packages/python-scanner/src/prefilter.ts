/**
 * Text-level work done on every file before any parse: which modules it imports, whether it may
 * call a source, declare a handler or register hooks. Parsing is the expensive step; a file that
 * mentions no source and leads to none through its imports cannot contribute a finding.
 */

/** Words of a source call (`uuid4(`, `random.`, `time.time(`, key generation, …). */
export const SOURCE_TRIGGER =
  /\b(?:uuid[14]|random|getrandbits|default_rng|RandomState|urandom|getrandom|secrets|token_(?:bytes|hex|urlsafe)|utcnow|mkdtemp|mkstemp|NamedTemporaryFile|TemporaryDirectory|generate_key|generate_private_key|sampling_rate|default_factory|lru_cache)\b|@(?:functools\.)?cache\b|\b(?:time|time_ns|now|today|generate)\s*\(/;

/** Possible handler modules: a handler-shaped function or a framework app at the top level. */
const HANDLER_LINE =
  /^(?:async\s+)?def\s+(?:lambda_handler|handler|main_handler|function_handler|app_handler|\w+\s*\(\s*_?(?:event|evt|e)\s*(?::[^,]*)?,\s*_?(?:context|ctx|lambda_context)\b)/;
const APP_LINE = /^\w+\s*=\s*(?:[\w.]+\.)?(?:Mangum|Chalice)\s*\(/m;

/**
 * Whether a file may be a handler module: a top-level `def` of a handler's name or shape, or a
 * framework adapter made at the top level. Only lines that start with `def`/`async def` are tried
 * (a multi-line pattern tried at every offset of every file was the pre-filter's largest cost).
 */
export function mayBeHandlerModule(text: string): boolean {
  for (const prefix of ['def ', 'async def ']) {
    if (text.startsWith(prefix) && HANDLER_LINE.test(text.slice(0, text.indexOf('\n') >>> 0))) return true;
    for (let at = text.indexOf(`\n${prefix}`); at >= 0; at = text.indexOf(`\n${prefix}`, at + 1)) {
      const end = text.indexOf('\n', at + 1);
      if (HANDLER_LINE.test(text.slice(at + 1, end < 0 ? text.length : end))) return true;
    }
  }
  return (text.includes('Mangum') || text.includes('Chalice')) && APP_LINE.test(text);
}

/** The same test as one regular expression (kept for reference in tests). */
export const HANDLER_TRIGGER =
  /^(?:async\s+)?def\s+(?:lambda_handler|handler|main_handler|function_handler|app_handler|\w+\s*\(\s*_?(?:event|evt|e)\s*(?::[^,]*)?,\s*_?(?:context|ctx|lambda_context)\b)|^\w+\s*=\s*(?:[\w.]+\.)?(?:Mangum|Chalice)\s*\(/m;

export const HOOK_TRIGGER = /\bsnapshot_restore_py\b|\bregister_(?:after_restore|before_snapshot)\b/;

/** A module an import line names: dots (relative level) and dotted name. */
export interface TextImport {
  readonly module: string;
  readonly level: number;
  /** For `from m import a, b`: the names (submodules possibly). */
  readonly names: readonly string[];
}

/** Imports found by text: `import a.b, c as d` and `from .x import y, z` (also parenthesized, multi-line). */
export function textImports(text: string): TextImport[] {
  const out: TextImport[] = [];
  // Jump from one `import` word to the next and look at its line only: a multi-line regular
  // expression tried at every offset of a large file costs more than the rest of the pre-filter.
  const seen = new Set<number>();
  for (let at = text.indexOf('import'); at >= 0; at = text.indexOf('import', at + 6)) {
    const start = text.lastIndexOf('\n', at) + 1;
    if (seen.has(start)) continue;
    seen.add(start);
    const close = text.indexOf(')', start);
    const eol = text.indexOf('\n', start);
    const lineEnd = eol < 0 ? text.length : eol;
    // `from x import (a,\n b)` continues up to the closing parenthesis.
    const paren = text.lastIndexOf('(', lineEnd);
    const end = paren >= start && close > lineEnd ? close + 1 : lineEnd;
    const line = text.slice(start, end);
    const imp = /^[ \t]*import[ \t]+([\w., \t]+)/.exec(line);
    if (imp) {
      for (const part of imp[1]!.split(',')) {
        const name = part.trim().split(/\s+/)[0];
        if (name) out.push({ module: name, level: 0, names: [] });
      }
      continue;
    }
    const from = /^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]+)/.exec(line);
    if (from) {
      const names = from[3]!.replace(/[()\\]/g, ' ').split(',').map((s) => s.trim().split(/\s+/)[0]!).filter((s) => /^\w+$/.test(s));
      out.push({ module: from[2]!, level: from[1]!.length, names });
    }
  }
  return out;
}

/** A regular expression that matches whole words (for configured source names). */
export function wordsPattern(words: readonly string[]): RegExp | undefined {
  const ok = [...new Set(words)].filter((w) => /^\w+$/.test(w));
  return ok.length === 0 ? undefined : new RegExp(`\\b(?:${ok.join('|')})\\b`);
}
