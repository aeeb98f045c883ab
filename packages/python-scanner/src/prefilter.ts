/**
 * Text-level work done on every file before any parse: which modules it imports, whether it may
 * call a source, declare a handler or register hooks. Parsing is the expensive step; a file that
 * mentions no source and leads to none through its imports cannot contribute a finding.
 */

/** Words of a source call (`uuid4(`, `random.`, `time.time(`, key generation, …). */
export const SOURCE_TRIGGER =
  /\b(?:uuid[14]|random|getrandbits|default_rng|RandomState|urandom|getrandom|secrets|token_(?:bytes|hex|urlsafe)|utcnow|mkdtemp|mkstemp|NamedTemporaryFile|TemporaryDirectory|generate_key|generate_private_key|sampling_rate|default_factory|lru_cache)\b|@(?:functools\.)?cache\b|\b(?:time|time_ns|now|today|generate)\s*\(/;

/** Possible handler modules: a handler-shaped function or a framework app at the top level. */
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
  for (const m of text.matchAll(/^[ \t]*import[ \t]+([\w., \t]+)/gm)) {
    for (const part of m[1]!.split(',')) {
      const name = part.trim().split(/\s+/)[0];
      if (name) out.push({ module: name, level: 0, names: [] });
    }
  }
  for (const m of text.matchAll(/^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]+)/gm)) {
    const names = m[3]!.replace(/[()\\]/g, ' ').split(',').map((s) => s.trim().split(/\s+/)[0]!).filter((s) => /^\w+$/.test(s));
    out.push({ module: m[2]!, level: m[1]!.length, names });
  }
  return out;
}

/** A regular expression that matches whole words (for configured source names). */
export function wordsPattern(words: readonly string[]): RegExp | undefined {
  const ok = [...new Set(words)].filter((w) => /^\w+$/.test(w));
  return ok.length === 0 ? undefined : new RegExp(`\\b(?:${ok.join('|')})\\b`);
}
