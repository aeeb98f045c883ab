// The whole-file analysis every snapstart rule shares: skip files that are not function code
// (function-code.ts), find source calls (sources.ts), decide what runs at init (init-regions.ts),
// follow each value to where it outlives init (value-flow.ts). One result per file and options.
// See docs/analysis.md.
import type { Category, InitStep } from '@snapstart/core';
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { unwrap } from './ast.js';
import { CallableResolver } from './callables.js';
import { collectFileFacts, mayDeclareGetters, type CallLike } from './file-facts.js';
import { InitRegions } from './init-regions.js';
import { descriptorHandler, notFunctionCode } from './function-code.js';
import { DEFAULT_OPTIONS, resolveOptions, type ResolvedOptions } from './options.js';
import { RestoredTargets } from './restore-hooks.js';
import { isNeverReassigned, ScopeIndex } from './scope-index.js';
import { BUILTIN_SOURCES, creatingCall, customSourceSpec, SourceMatcher, type SourceSpec } from './sources.js';
import { SymbolResolver } from './symbols.js';
import { ValueFlow, type Escape } from './value-flow.js';

/** A unique value created during init that outlives it. */
export interface UniqueValueReport {
  readonly node: CallLike;
  readonly spec: SourceSpec;
  readonly initPath: readonly InitStep[];
  readonly escape: Escape;
  /**
   * Set when the value is drawn after init from a generator made during init: then `node` is the
   * init-time call that creates the generator's state (where the bug is, and where it is reported)
   * and `draw` the first draw from it after restore.
   */
  readonly generator?: { readonly draw: CallLike; readonly line: number };
}

/** An init-time call that fills an in-heap entropy cache (reported whether or not the value escapes). */
export interface EntropyCacheReport {
  readonly node: CallLike;
  readonly spec: SourceSpec;
  readonly initPath: readonly InitStep[];
}

export interface FileAnalysis {
  readonly values: readonly UniqueValueReport[];
  readonly entropyCaches: readonly EntropyCacheReport[];
}

const EMPTY: FileAnalysis = { values: [], entropyCaches: [] };

/** Per-program cache: every snapstart rule on a file shares one analysis (per distinct options). */
const cache = new WeakMap<TSESTree.Program, Map<string, FileAnalysis>>();
/** Source tables per distinct options, built once per process. */
const matchers = new Map<string, SourceMatcher>();

function optionsKey(options: ResolvedOptions): string {
  return options === DEFAULT_OPTIONS ? 'default' : JSON.stringify(options);
}

function matcherFor(options: ResolvedOptions, key: string): SourceMatcher {
  let matcher = matchers.get(key);
  if (!matcher) {
    matcher = new SourceMatcher([...BUILTIN_SOURCES, ...options.sources.map(customSourceSpec)]);
    matchers.set(key, matcher);
  }
  return matcher;
}

/**
 * The analysis's own text pre-filter, for tools that can skip parsing altogether: false means no
 * snapstart rule can report anything in this text (with these `settings.snapstart` options).
 */
export function mayContainSource(text: string, settings?: unknown): boolean {
  return sourcePrefilter(settings)(text);
}

/** `mayContainSource` with the options resolved once, for tools that test many files. */
export function sourcePrefilter(settings?: unknown): (text: string) => boolean {
  const options = resolveOptions(settings, undefined);
  const trigger = matcherFor(options, optionsKey(options)).trigger;
  return (text) => trigger.test(text);
}

/** Where the file is: test files and other code that never runs in a function are skipped. */
export interface FileLocation {
  readonly filename?: string;
  readonly cwd?: string;
}

export function analyzeFile(sourceCode: Readonly<TSESLint.SourceCode>, options: ResolvedOptions, location: FileLocation = {}): FileAnalysis {
  const program = sourceCode.ast;
  const key = optionsKey(options);
  let perOptions = cache.get(program);
  if (!perOptions) {
    perOptions = new Map();
    cache.set(program, perOptions);
  }
  const cached = perOptions.get(key);
  if (cached) return cached;
  const named = descriptorHandler(location, options);
  // A deployment descriptor's handler export is a handler name in its file (`exports.processOrder`).
  const fileOptions = named === undefined || options.handlerNames.includes(named) ? options : { ...options, handlerNames: [...options.handlerNames, named] };
  const result = notFunctionCode(sourceCode.ast, sourceCode.text, location, options)
    ? EMPTY
    : runAnalysis(sourceCode, matcherFor(options, key), fileOptions);
  perOptions.set(key, result);
  return result;
}

function runAnalysis(sourceCode: Readonly<TSESLint.SourceCode>, matcher: SourceMatcher, options: ResolvedOptions): FileAnalysis {
  // Cheap pre-filter: most files mention no source at all, and then nothing else needs to run.
  if (!sourceCode.scopeManager || !matcher.trigger.test(sourceCode.text)) return EMPTY;

  const scopes = new ScopeIndex(sourceCode);
  const resolver = new SymbolResolver(scopes);
  const facts = collectFileFacts(sourceCode.ast, sourceCode.visitorKeys, mayDeclareGetters(sourceCode.text));

  const found: Array<{ node: CallLike; spec: SourceSpec }> = [];
  const anyMemberName = matcher.wildcardModules.some((m) => sourceCode.text.includes(m));
  for (const call of facts.calls) {
    const spec = matcher.match(call, resolver, scopes, anyMemberName);
    if (spec) found.push({ node: call, spec });
  }
  if (found.length === 0) return EMPTY;

  const callables = new CallableResolver(scopes);
  const init = new InitRegions(sourceCode.ast, facts, callables);
  const restored = new RestoredTargets(facts, scopes, callables, sourceCode.visitorKeys, {
    functions: options.afterRestoreFunctions,
    methods: options.afterRestoreMethods,
  });
  const clockCalls = new Set(found.filter((f) => f.spec.category === 'time').map((f) => f.node as TSESTree.Node));
  const isClockReading = (node: TSESTree.Node): boolean => {
    const n = unwrap(node);
    if (clockCalls.has(n)) return true;
    if (n.type !== AST_NODE_TYPES.Identifier) return false;
    // A const (or never reassigned binding) initialized with a clock reading: `const t0 = Date.now()`.
    const variable = scopes.variableOf(n);
    const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
    if (!variable || !def || String(def.type) !== 'Variable' || !isNeverReassigned(variable)) return false;
    const init = (def.node as TSESTree.VariableDeclarator).init;
    return init !== null && init !== undefined && clockCalls.has(unwrap(init));
  };
  const flow = new ValueFlow(scopes, facts, init, callables, restored, {
    handlerNames: new Set(options.handlerNames),
    ignore: options.ignore.map((p) => new RegExp(p)),
    isClockReading,
  });

  const values: UniqueValueReport[] = [];
  const entropyCaches: EntropyCacheReport[] = [];
  /** Generators already reported: one report per generator, however many draws. */
  const generators = new Set<CallLike>();
  for (const { node, spec } of found) {
    const reason = init.reasonAt(node, facts.unitOfNode(node));
    if (!reason) {
      // A draw after init from a generator seeded during init replays the snapshot's sequence.
      const factory = (spec.when === 'factory' || spec.when === 'unseeded-factory') && spec.category ? creatingCall(node.callee, scopes) : undefined;
      const factoryReason = factory ? init.reasonAt(factory, facts.unitOfNode(factory)) : undefined;
      if (factory && factoryReason && !generators.has(factory) && !generatorRestored(factory, scopes, restored)) {
        generators.add(factory);
        values.push({ node: factory, spec, initPath: InitRegions.steps(factoryReason), escape: { description: '' }, generator: { draw: node, line: node.loc.start.line } });
      }
      continue;
    }
    const initPath = InitRegions.steps(reason);
    if (spec.state) entropyCaches.push({ node, spec, initPath });
    if (!spec.category) continue;
    const escape = flow.escapeOf(node, spec.category === 'time') ?? flow.escapeOfCallback(node);
    if (escape) values.push({ node, spec, initPath, escape });
  }
  return { values, entropyCaches };
}

/** `const gen = new Chance()` re-created in an after-restore hook: its draws are fresh in every clone. */
function generatorRestored(factory: CallLike, scopes: ScopeIndex, restored: RestoredTargets): boolean {
  const parent = factory.parent;
  if (parent?.type !== AST_NODE_TYPES.VariableDeclarator || parent.id.type !== AST_NODE_TYPES.Identifier) return false;
  const variable = scopes.declaredVariable(parent.id);
  return variable !== undefined && restored.isVariableRestored(variable);
}

/** What a rule needs from its context: shared settings, its own options, the file. */
interface AnalysisContext {
  readonly settings: unknown;
  readonly options: readonly unknown[];
  readonly sourceCode: Readonly<TSESLint.SourceCode>;
  readonly filename: string;
  readonly cwd: string;
}

/** The file's analysis under `settings.snapstart` merged with the rule's options (shared by every rule). */
export function analyzeContext(context: AnalysisContext): FileAnalysis {
  const settings = (context.settings as Record<string, unknown> | undefined)?.['snapstart'];
  return analyzeFile(context.sourceCode, resolveOptions(settings, context.options[0]), { filename: context.filename, cwd: context.cwd });
}

export function reportsForCategory(analysis: FileAnalysis, category: Category): UniqueValueReport[] {
  return analysis.values.filter((r) => r.spec.category === category);
}
