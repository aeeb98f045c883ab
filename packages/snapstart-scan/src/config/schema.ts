// The scan config (`snapstart.config.json` and friends, loaded by load.ts): its type and defaults,
// validateConfig with errors that name the file and the key (and the closest known name), rule
// levels and renamed rule ids, and the handler list split by language. See docs/cli.md,
// "Configuration".
import { RENAMED_RULE_IDS, reportedRuleId, RULES, SOURCE_CATEGORIES, type Category, type RuleMeta, type Severity } from '@snapstart/core';

/** A rule's level in the config: a finding's severity, or off. ESLint's spellings are accepted too. */
export type RuleLevel = Severity | 'off';

/** A source of unique values for TypeScript/JavaScript (module export) or Java (static or instance method). */
export type ConfiguredSource =
  | { readonly language: 'javascript'; readonly module?: string; readonly name: string; readonly category: Category; readonly noArgs?: boolean }
  | { readonly language: 'java'; readonly owner: string; readonly method: string; readonly category: Category }
  | { readonly language: 'python'; readonly name: string; readonly category: Category };

/** The validated configuration, shared by both languages. */
export interface ScanConfig {
  /** Globs (relative to the scan root) a file must match to be scanned; empty: every source file. */
  readonly include: readonly string[];
  /** Globs of files and directories not to scan, on top of the defaults and `.gitignore`. */
  readonly exclude: readonly string[];
  /** Scan test files too (skipped by default: tests do not run in the snapshot). */
  readonly tests: boolean;
  /** Lambda handler settings: `index.handler` (JS export `handler`), `com.acme.Handler::handleRequest` (Java). */
  readonly handlers: readonly string[];
  readonly sources: readonly ConfiguredSource[];
  /** Functions that register an after-restore callback (TS/JS). */
  readonly afterRestoreFunctions: readonly string[];
  /** Methods that are after-restore callbacks (TS/JS classes; Java uses CRaC's `afterRestore`). */
  readonly afterRestoreMethods: readonly string[];
  /** Regular expressions: a value stored in a binding or property whose name matches is not reported (TS/JS). */
  readonly ignore: readonly string[];
  /** Per-rule level, by rule id (`no-init-time`, `snapstart/no-init-time` and `java/no-init-time` alike). */
  readonly rules: Readonly<Record<string, RuleLevel>>;
  /** Files larger than this are reported and skipped. */
  readonly maxFileSize: number;
  /** Seconds one file's analysis may take before it is stopped and reported as skipped. */
  readonly maxFileSeconds: number;
  /** Heap (MiB) one file's analysis may use before it is stopped and reported as skipped. */
  readonly maxFileMemoryMb: number;
  /** What the file should change though it still works (a rule under its pre-rename id), printed by the scan. */
  readonly notices?: readonly string[];
}

export const DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024;
export const DEFAULT_MAX_FILE_SECONDS = 60;
export const DEFAULT_MAX_FILE_MEMORY_MB = 768;

export const DEFAULT_CONFIG: ScanConfig = {
  include: [],
  exclude: [],
  tests: false,
  handlers: [],
  sources: [],
  afterRestoreFunctions: [],
  afterRestoreMethods: [],
  ignore: [],
  rules: {},
  maxFileSize: DEFAULT_MAX_FILE_SIZE,
  maxFileSeconds: DEFAULT_MAX_FILE_SECONDS,
  maxFileMemoryMb: DEFAULT_MAX_FILE_MEMORY_MB,
};

/** A configuration problem, naming the file and the key. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'ConfigError';
  }
}

const KEYS = [
  '$schema', 'include', 'exclude', 'tests', 'handlers', 'sources', 'afterRestoreFunctions', 'afterRestoreMethods', 'ignore', 'rules', 'maxFileSize', 'maxFileSeconds', 'maxFileMemoryMb',
] as const;

const LEVELS: Readonly<Record<string, RuleLevel>> = {
  off: 'off', error: 'error', warning: 'warning', warn: 'warning', note: 'note',
  '0': 'off', '1': 'warning', '2': 'error',
};

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return `${typeof value === 'object' ? 'an' : 'a'} ${typeof value}${typeof value === 'number' || typeof value === 'boolean' ? ` (${String(value)})` : ''}`;
}

/** Levenshtein distance, to suggest the key a typo meant. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** Every rule id the config may name, in the spellings users know. */
export function knownRuleIds(): string[] {
  return Object.values(RULES).flatMap((r: RuleMeta) => [...new Set([r.id, reportedRuleId(r)])]);
}

/** The rule id as findings carry it: `snapstart/no-init-uuid`, `java/no-init-uuid`. */
export function canonicalRuleId(id: string): string {
  return id in RULES ? reportedRuleId(RULES[id as keyof typeof RULES]) : id;
}

function strings(file: string, key: string, value: unknown): string[] {
  if (!Array.isArray(value)) throw new ConfigError(file, `"${key}" must be an array of strings, got ${describe(value)}`);
  value.forEach((v, i) => {
    if (typeof v !== 'string') throw new ConfigError(file, `"${key}[${i}]" must be a string, got ${describe(v)}`);
  });
  return value as string[];
}

function source(file: string, at: string, value: unknown): ConfiguredSource {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(file, `"${at}" must be an object like {"module": "ids", "name": "make", "category": "uuid"} or {"owner": "com.acme.Ids", "method": "next", "category": "uuid"}, got ${describe(value)}`);
  }
  const entry = value as Record<string, unknown>;
  const java = 'owner' in entry || 'method' in entry;
  const python = !java && 'python' in entry;
  const allowed = java ? ['owner', 'method', 'category'] : python ? ['python', 'category'] : ['module', 'name', 'category', 'noArgs'];
  for (const key of Object.keys(entry)) {
    if (!allowed.includes(key)) {
      const hint = closest(key, allowed);
      throw new ConfigError(file, `unknown key "${at}.${key}"${hint ? ` (did you mean "${hint}"?)` : ''}; a ${java ? 'Java' : python ? 'Python' : 'JavaScript'} source takes ${allowed.map((k) => `"${k}"`).join(', ')}`);
    }
  }
  if (!(SOURCE_CATEGORIES as readonly unknown[]).includes(entry['category'])) {
    throw new ConfigError(file, `"${at}.category" must be one of ${SOURCE_CATEGORIES.map((c) => `"${c}"`).join(', ')}, got ${describe(entry['category'])}`);
  }
  const category = entry['category'] as Category;
  const str = (key: string, required: boolean): string | undefined => {
    const v = entry[key];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string') throw new ConfigError(file, `"${at}.${key}" must be a string, got ${describe(v)}`);
    return v;
  };
  if (java) return { language: 'java', owner: str('owner', true)!, method: str('method', true)!, category };
  if (python) return { language: 'python', name: str('python', true)!, category };
  const module = str('module', false);
  const noArgs = entry['noArgs'];
  if (noArgs !== undefined && typeof noArgs !== 'boolean') throw new ConfigError(file, `"${at}.noArgs" must be a boolean, got ${describe(noArgs)}`);
  return { language: 'javascript', ...(module !== undefined ? { module } : {}), name: str('name', true)!, category, ...(noArgs ? { noArgs: true } : {}) };
}

/** Validates a parsed config object; every error names the file and the key. */
export function validateConfig(raw: unknown, file: string): ScanConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(file, `the configuration must be an object, got ${describe(raw)}`);
  const obj = raw as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      const hint = closest(key, KEYS);
      throw new ConfigError(file, `unknown key "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}; known keys: ${KEYS.filter((k) => k !== '$schema').join(', ')}`);
    }
  }
  const rules: Record<string, RuleLevel> = {};
  const notices: string[] = [];
  if (obj['rules'] !== undefined) {
    const value = obj['rules'];
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(file, `"rules" must be an object of rule id → level, got ${describe(value)}`);
    const known = knownRuleIds();
    for (const [written, level] of Object.entries(value)) {
      // A config written for an earlier 0.1 build names rules by their old ids: honoured, with a notice.
      const renamed = RENAMED_RULE_IDS[written];
      if (renamed !== undefined) notices.push(`${file}: "rules.${written}" is now called "${renamed}"; rename the key (the old id is read as the new one)`);
      const id = renamed ?? written;
      if (!known.includes(id)) {
        const hint = closest(id, known);
        throw new ConfigError(file, `unknown rule "rules.${id}"${hint ? ` (did you mean "${hint}"?)` : ''}`);
      }
      const mapped = LEVELS[String(level)];
      if (mapped === undefined || (typeof level !== 'string' && typeof level !== 'number')) {
        throw new ConfigError(file, `"rules.${id}" must be one of "off", "note", "warning", "error", got ${describe(level)}`);
      }
      rules[canonicalRuleId(id)] = mapped;
    }
  }
  const list = (key: (typeof KEYS)[number]): string[] => (obj[key] === undefined ? [] : strings(file, key, obj[key]));
  for (const key of ['include', 'exclude'] as const) {
    for (const [i, glob] of list(key).entries()) {
      if (glob.trim() === '') throw new ConfigError(file, `"${key}[${i}]" is an empty pattern`);
    }
  }
  for (const [i, pattern] of list('ignore').entries()) {
    try {
      new RegExp(pattern);
    } catch (err) {
      throw new ConfigError(file, `"ignore[${i}]" is not a valid regular expression: ${(err as Error).message}`);
    }
  }
  if (obj['tests'] !== undefined && typeof obj['tests'] !== 'boolean') throw new ConfigError(file, `"tests" must be a boolean, got ${describe(obj['tests'])}`);
  const maxFileSize = obj['maxFileSize'];
  if (maxFileSize !== undefined && (typeof maxFileSize !== 'number' || !Number.isInteger(maxFileSize) || maxFileSize <= 0)) {
    throw new ConfigError(file, `"maxFileSize" must be a positive integer (bytes), got ${describe(maxFileSize)}`);
  }
  const budget = (key: 'maxFileSeconds' | 'maxFileMemoryMb', min: number, fallback: number): number => {
    const v = obj[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw new ConfigError(file, `"${key}" must be a number ≥ ${min}, got ${describe(v)}`);
    return key === 'maxFileMemoryMb' ? Math.floor(v) : v;
  };
  const maxFileSeconds = budget('maxFileSeconds', 0.1, DEFAULT_MAX_FILE_SECONDS);
  const maxFileMemoryMb = budget('maxFileMemoryMb', 64, DEFAULT_MAX_FILE_MEMORY_MB);
  const sources = obj['sources'] === undefined ? [] : obj['sources'];
  if (!Array.isArray(sources)) throw new ConfigError(file, `"sources" must be an array, got ${describe(sources)}`);
  return {
    include: list('include'),
    exclude: list('exclude'),
    tests: (obj['tests']) ?? false,
    handlers: list('handlers'),
    sources: sources.map((s, i) => source(file, `sources[${i}]`, s)),
    afterRestoreFunctions: list('afterRestoreFunctions'),
    afterRestoreMethods: list('afterRestoreMethods'),
    ignore: list('ignore'),
    rules,
    maxFileSize: (maxFileSize) ?? DEFAULT_MAX_FILE_SIZE,
    maxFileSeconds,
    maxFileMemoryMb,
    ...(notices.length > 0 ? { notices } : {}),
  };
}

/**
 * Lambda handler settings split by language: `com.acme.Handler::handleRequest` and capitalised
 * class names are Java; `index.handler` names the JS export `handler`.
 */
export function splitHandlers(handlers: readonly string[]): { javascript: string[]; java: string[]; python: string[] } {
  const javascript: string[] = [];
  const java: string[] = [];
  // Python handler settings look like JS ones (`app.lambda_handler`): each scanner takes those
  // naming a file of its language.
  const python: string[] = [];
  for (const h of handlers) {
    const last = h.split('::')[0]!.split('.').at(-1) ?? h;
    if (h.includes('::') || /^[A-Z]/.test(last)) java.push(h);
    else {
      javascript.push(h.split(/[./]/).at(-1)!);
      python.push(h);
    }
  }
  return { javascript, java, python };
}

/** The level the config gives a finding of `ruleId` (its own severity when the config says nothing). */
export function levelFor(config: ScanConfig, ruleId: string, severity: Severity): RuleLevel {
  return config.rules[ruleId] ?? severity;
}
