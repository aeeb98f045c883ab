/**
 * Cheap text-level work done on every file: a class index (names, extends, implements) for
 * handler discovery, and the decision whether a file needs a full parse at all. Parsing is by far
 * the most expensive step (java-parser: ~60k lines/s, far less on long generic lines).
 */

export interface IndexedClass {
  readonly name: string;
  readonly superclass?: string;
  readonly interfaces: readonly string[];
}

/** Blanks out comments, string and char literals and text blocks, keeping offsets and newlines. */
export function stripCommentsAndStrings(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|"""[\s\S]*?"""|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'/g, (m) =>
    m.replace(/[^\n]/g, ' '),
  );
}

const DECL = /\b(class|interface|enum|record)\s+([A-Za-z_$][\w$]*)(?:\s*<[^{]*?>)?(?:\s*\([^)]*\))?\s*((?:extends|implements|permits)[^{]*)?\{/g;

/** Removes generic arguments: `Map<String, List<X>>` → `Map`. */
export function stripGenerics(type: string): string {
  let depth = 0;
  let out = '';
  for (const ch of type) {
    if (ch === '<') depth++;
    else if (ch === '>') depth--;
    else if (depth === 0) out += ch;
  }
  return out;
}

function typeList(text: string | undefined): string[] {
  if (!text) return [];
  return stripGenerics(text)
    .split(',')
    .map((s) => s.trim().split(/\s+/).at(-1) ?? '')
    .map((s) => s.split('.').at(-1) ?? '')
    .filter((s) => /^[A-Za-z_$][\w$]*$/.test(s));
}

export function indexClasses(stripped: string): IndexedClass[] {
  const out: IndexedClass[] = [];
  for (const m of stripped.matchAll(DECL)) {
    const tail = m[3] ?? '';
    const ext = /extends\s+([\s\S]*?)(?=\bimplements\b|\bpermits\b|$)/.exec(tail)?.[1];
    const impl = /implements\s+([\s\S]*?)(?=\bpermits\b|$)/.exec(tail)?.[1];
    const isInterface = m[1] === 'interface';
    const supers = typeList(ext);
    out.push({
      name: m[2]!,
      ...(!isInterface && supers[0] ? { superclass: supers[0] } : {}),
      interfaces: isInterface ? supers : typeList(impl),
    });
  }
  return out;
}

/**
 * Patterns whose presence means a file may create unique values (or deal with CRaC). `Random`
 * is matched anywhere so that SecureRandom, ThreadLocalRandom and RandomStringUtils count.
 */
export const BUILTIN_TRIGGERS = [
  'Random', 'random', 'UUID', 'currentTimeMillis', 'nanoTime', '\\bnow\\s*\\(', '\\bDate\\b', 'Calendar',
  '\\.instant\\s*\\(', '\\.millis\\s*\\(', 'generateKey', 'genKeyPair', 'generateSeed', '\\bResource\\b',
  'afterRestore', 'beforeCheckpoint', '\\.next[A-Z]\\w*\\s*\\(',
];

/** A regular expression from trigger patterns (already regex source) and plain words (matched whole). */
export function triggerPattern(patterns: readonly string[], words: readonly string[] = []): RegExp {
  const bounded = [...new Set(words)].filter((w) => /^[\w$]+$/.test(w)).map((w) => `\\b${w}\\b`);
  return new RegExp([...new Set(patterns), ...bounded].join('|'));
}

/**
 * Files that may declare a handler or a DI bean. They are parsed even without a source, because
 * they decide which other classes run during init (injected dependencies, superclasses).
 */
export const HANDLER_TRIGGER =
  /RequestHandler|RequestStreamHandler|handleRequest|lambda\.runtime|MicronautRequest|SpringBoot\w*Handler|FunctionInvoker|implements[^{]*\b(?:Function|Supplier|Consumer|BiFunction|BiConsumer)\b|@(?:Component|Service|Repository|Configuration|SpringBootApplication|Named|Singleton|ApplicationScoped|Dependent|Factory|Bean)\b/;
