// Step 2 of the analysis: the source catalogue (@snapstart/core SOURCE_CATALOGUE) as matchable
// symbol keys, the text pre-filter, and the conditions under which a call is a source (no args,
// unseeded, missing or present options). See docs/sources.md.
import { SOURCE_CATALOGUE, type Category, type SourceCondition, type SourceEntry, type SourceState } from '@snapstart/core';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { unwrap } from './ast.js';
import { isNeverReassigned, type ScopeIndex } from './scope-index.js';
import { CALL, moduleRoot, symbolKey, type SymbolResolver } from './symbols.js';

export interface SourceSpec {
  /** Symbol key of the callee, see `symbolKey`; may hold `*` / `**` wildcards (catalogue patterns). */
  readonly key: string;
  /** What the value is; undefined for a call that only creates state (an SDK request). */
  readonly category?: Category;
  /**
   * How the source is written in messages, e.g. "crypto.randomUUID()"; undefined for a catalogue
   * pattern without a label (any SDK method), which messages name by the call as written.
   */
  readonly label?: string;
  readonly when?: SourceCondition;
  /** Per-process state the call creates (reported by no-init-entropy-cache). */
  readonly state?: SourceState;
}

/** A user-declared source, from rule options or `settings.snapstart.sources`. */
export interface CustomSource {
  /** Module specifier; omit for a global (e.g. "myApp.newId"). */
  readonly module?: string;
  /** Dotted export path inside the module, '' for the module itself (a default-export function). */
  readonly name: string;
  readonly category: Category;
  readonly noArgs?: boolean;
}

function labelOf(module: string | undefined, path: string): string {
  const text = module === undefined ? path : path === '' ? module : `${module}.${path}`;
  return `${text}()`.replaceAll('.()', '()').replace(/^\(\)/, '');
}

function keyOf(module: string | undefined, path: string): string {
  return module === undefined ? `global:${path}` : `${moduleRoot(module)}:${path}`;
}

/** A catalogue entry (see `SOURCE_CATALOGUE` in @snapstart/core) as the matcher uses it. */
export function catalogueSpec(entry: SourceEntry): SourceSpec {
  const module = entry.module === 'global' ? undefined : entry.module;
  return {
    key: keyOf(module, entry.path),
    ...(entry.label !== undefined ? { label: entry.label } : entry.path.includes('*') ? {} : { label: labelOf(module, entry.path) }),
    ...(entry.category ? { category: entry.category } : {}),
    ...(entry.when ? { when: entry.when } : {}),
    ...(entry.state ? { state: entry.state } : {}),
  };
}

/** Every built-in source: the shared catalogue. */
export const BUILTIN_SOURCES: readonly SourceSpec[] = SOURCE_CATALOGUE.map(catalogueSpec);

export function customSourceSpec(source: CustomSource): SourceSpec {
  return {
    key: keyOf(source.module, source.name),
    label: labelOf(source.module, source.name),
    category: source.category,
    ...(source.noArgs ? { when: 'no-args' as const } : {}),
  };
}

/** A source key split back into its module (if any) and the last named path segment. */
function keyParts(key: string): { module?: string; lastName: string } {
  const isModule = key.startsWith('module:');
  const module = isModule ? key.slice(7, key.indexOf(':', 7)) : undefined;
  const path = key.slice(key.indexOf(':', isModule ? 7 : 0) + 1);
  const lastName = path.split('.').filter((s) => s !== CALL).at(-1) ?? '';
  return module === undefined ? { lastName } : { module, lastName };
}

/** How a message names the source a call matched: its label, or the call as written. */
export function sourceLabel(spec: SourceSpec, call: TSESTree.CallExpression | TSESTree.NewExpression, sourceCode: { getText(node: TSESTree.Node): string }): string {
  return spec.label ?? `${sourceCode.getText(call.callee)}()`;
}

/** Text fragments of which at least one must occur in a file for it to contain a source (pre-filter). */
export function sourceTriggers(specs: readonly SourceSpec[]): string[] {
  const out = new Set<string>();
  for (const spec of specs) {
    const { module, lastName } = keyParts(spec.key);
    // For a default-export function the only reliable text is the module specifier.
    if (lastName && !lastName.includes('*')) out.add(lastName);
    if (module) out.add(module.replace(/\*.*$/, ''));
  }
  return [...out].filter((s) => s.length > 0);
}

/** A wildcard key as a regular expression: `*` one named path segment (or the rest of a module name), `**` any. */
function patternOf(key: string): RegExp {
  const escape = (t: string): string => t.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const isModule = key.startsWith('module:');
  const split = isModule ? key.indexOf(':', 7) : key.indexOf(':');
  const root = key.slice(0, split);
  const path = key.slice(split + 1);
  const rootRe = escape(root).replaceAll('*', '[^:]*');
  const pathRe = path
    .split('.')
    .map((seg, i, all) => (seg === '**' ? (i === all.length - 1 ? '.*' : '(?:[^]*\\.)?') : escape(seg).replaceAll('*', '[A-Za-z_$][\\w$]*') + (i < all.length - 1 ? '\\.' : '')))
    .join('');
  return new RegExp(`^${rootRe}:${pathRe}$`);
}

/** `options` where `const options = { … }` in this file, never reassigned: the object literal. */
function constObject(node: TSESTree.Node, scopes: ScopeIndex | undefined): TSESTree.Node {
  if (!scopes || node.type !== AST_NODE_TYPES.Identifier) return node;
  const variable = scopes.variableOf(node);
  const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (!variable || !def || String(def.type) !== 'Variable' || !isNeverReassigned(variable)) return node;
  const declarator = def.node as TSESTree.VariableDeclarator;
  const init = declarator.id.type === AST_NODE_TYPES.Identifier && declarator.init ? unwrap(declarator.init) : undefined;
  // Mutated later (`options.clientId = …`): it is not the literal any more.
  const mutated = variable.references.some((r) => r.identifier.parent?.type === AST_NODE_TYPES.MemberExpression && r.identifier.parent.parent?.type === AST_NODE_TYPES.AssignmentExpression && r.identifier.parent.parent.left === r.identifier.parent);
  return init?.type === AST_NODE_TYPES.ObjectExpression && !mutated ? init : node;
}

/** The object argument of a call, if it is a literal we can read (inline, or a const of this file). */
function objectArguments(call: TSESTree.CallExpression | TSESTree.NewExpression, scopes?: ScopeIndex): { literal: TSESTree.ObjectExpression[]; opaque: boolean } {
  const literal: TSESTree.ObjectExpression[] = [];
  let opaque = false;
  for (const arg of call.arguments) {
    const a = constObject(unwrap(arg), scopes);
    if (a.type === AST_NODE_TYPES.ObjectExpression) literal.push(a);
    else if (a.type === AST_NODE_TYPES.Literal || a.type === AST_NODE_TYPES.TemplateLiteral) continue;
    else opaque = true;
  }
  return { literal, opaque };
}

function hasKey(object: TSESTree.ObjectExpression, key: string): boolean | undefined {
  for (const p of object.properties) {
    if (p.type === AST_NODE_TYPES.SpreadElement) return undefined;
    if (!p.computed && ((p.key.type === AST_NODE_TYPES.Identifier && p.key.name === key) || (p.key.type === AST_NODE_TYPES.Literal && p.key.value === key))) return true;
  }
  return false;
}

/** The object sets `key` to something other than `0`, `false`, `null` or `undefined` (a spread may: not counted). */
function setsKey(object: TSESTree.ObjectExpression, key: string): boolean {
  return object.properties.some((p) => {
    if (p.type !== AST_NODE_TYPES.Property || p.computed) return false;
    if (!((p.key.type === AST_NODE_TYPES.Identifier && p.key.name === key) || (p.key.type === AST_NODE_TYPES.Literal && p.key.value === key))) return false;
    const v = unwrap(p.value);
    return !(v.type === AST_NODE_TYPES.Literal && (v.value === 0 || v.value === false || v.value === null)) && !isAbsent(v);
  });
}

function hasTrueKey(object: TSESTree.ObjectExpression, key: string): boolean {
  return object.properties.some(
    (p) => p.type === AST_NODE_TYPES.Property && !p.computed && p.key.type === AST_NODE_TYPES.Identifier && p.key.name === key && p.value.type === AST_NODE_TYPES.Literal && p.value.value === true,
  );
}

function isAbsent(node: TSESTree.Node | undefined): boolean {
  if (!node) return true;
  const n = unwrap(node);
  return (n.type === AST_NODE_TYPES.Identifier && n.name === 'undefined') || (n.type === AST_NODE_TYPES.Literal && n.value === null);
}

/** Whether a call of a source is one, given the entry's condition. */
function conditionHolds(when: SourceCondition | undefined, node: TSESTree.CallExpression | TSESTree.NewExpression, scopes: ScopeIndex): boolean {
  if (when === undefined) return true;
  if (when === 'no-args') return node.arguments.length === 0;
  if (when === 'unseeded') return isAbsent(node.arguments[0]) || objectArguments(node).literal.some((o) => hasTrueKey(o, 'entropy'));
  if (when === 'unseeded-factory' || when === 'factory') {
    const factory = creatingCall(node.callee, scopes);
    return factory !== undefined && (when === 'factory' || isAbsent(factory.arguments[0]));
  }
  const { literal, opaque } = objectArguments(node, scopes);
  if ('withOption' in when) return literal.some((o) => setsKey(o, when.withOption));
  if (opaque) return false; // options built elsewhere: given the benefit of the doubt
  return literal.every((o) => hasKey(o, when.missingOption) === false);
}

/**
 * For a draw `gen.draw()` or `gen()`: the call or `new` that made `gen` (inline, or through a
 * binding with a single definition).
 */
export function creatingCall(callee: TSESTree.Node, scopes: ScopeIndex): TSESTree.CallExpression | TSESTree.NewExpression | undefined {
  const c = unwrap(callee);
  let object = c.type === AST_NODE_TYPES.MemberExpression ? unwrap(c.object) : c;
  if (object.type === AST_NODE_TYPES.Identifier) {
    const variable = scopes.variableOf(object);
    const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
    if (!def || String(def.type) !== 'Variable') return undefined;
    const declarator = def.node as TSESTree.VariableDeclarator;
    if (declarator.id.type !== AST_NODE_TYPES.Identifier || !declarator.init) return undefined;
    object = unwrap(declarator.init);
  }
  return object.type === AST_NODE_TYPES.CallExpression || object.type === AST_NODE_TYPES.NewExpression ? object : undefined;
}

/** Matches call and `new` expressions against a table of sources. */
export class SourceMatcher {
  private readonly byKey = new Map<string, SourceSpec>();
  private readonly patterns: Array<{ re: RegExp; spec: SourceSpec }> = [];
  /** Last path segments of every key: a cheap test before any resolution. */
  private readonly lastNames = new Set<string>();
  /** Module names of keys ending in a wildcard (`chance`: any method of a Chance is a draw). */
  readonly wildcardModules: readonly string[];
  /** Text pre-filter: a file that matches none of these has no source. */
  readonly trigger: RegExp;

  /** Built once per distinct options (see analyze.ts), then shared by every file. */
  constructor(readonly specs: readonly SourceSpec[]) {
    const escaped = sourceTriggers(specs).map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.trigger = new RegExp(escaped.join('|'));
    const wildcards = new Set<string>();
    for (const spec of specs) {
      if (spec.key.includes('*')) this.patterns.push({ re: patternOf(spec.key), spec });
      else this.byKey.set(spec.key, spec);
      const { module, lastName } = keyParts(spec.key);
      if (!lastName.includes('*')) this.lastNames.add(lastName);
      else if (module) wildcards.add(module.replace(/\*.*$/, ''));
    }
    this.wildcardModules = [...wildcards];
  }

  /**
   * `anyMemberName`: whether a member call of any name may be a source in this file (it mentions a
   * module whose draws are any method, see `wildcardModules`); otherwise only known names are resolved.
   */
  match(node: TSESTree.CallExpression | TSESTree.NewExpression, resolver: SymbolResolver, scopes: ScopeIndex, anyMemberName = true): SourceSpec | undefined {
    if (!this.mightMatch(node.callee, anyMemberName)) return undefined;
    const ref = resolver.resolve(node.callee);
    if (!ref) return undefined;
    const key = symbolKey(ref);
    const spec = this.byKey.get(key) ?? this.patterns.find((p) => p.re.test(key))?.spec;
    if (!spec || !conditionHolds(spec.when, node, scopes)) return undefined;
    return spec;
  }

  private mightMatch(callee: TSESTree.Node, anyMemberName: boolean): boolean {
    // Identifiers can be aliases (`const r = Math.random`), so only member names are pre-checked.
    if (!anyMemberName && callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier) {
      return this.lastNames.has(callee.property.name);
    }
    return true;
  }
}
