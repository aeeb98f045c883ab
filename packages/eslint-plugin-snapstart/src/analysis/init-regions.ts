// Step 3 of the analysis: which code units run during init (the module body and, transitively,
// what it calls or instantiates), why (the chain messages print), and where an init call returns
// early (a warm-up event meeting `if (event.warmup) return`). See docs/analysis.md.
import type { InitStep } from '@snapstart/core';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import {
  className,
  constructorOf,
  functionName,
  isClassNode,
  isFunctionNode,
  memberPropertyName,
  unitName,
  unwrap,
  type ClassNode,
  type CodeUnit,
  type FunctionNode,
} from './ast.js';
import type { CallableResolver } from './callables.js';
import type { CallLike, FileFacts } from './file-facts.js';

/** Why a unit runs during init; `parent` is why the unit that triggered it runs. */
export interface InitReason {
  readonly text: string;
  readonly line?: number;
  readonly parent?: InitReason;
}

/** Array and iteration methods that call their function argument synchronously. */
const SYNC_CALLBACK_METHODS = new Set([
  'forEach', 'map', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'findLast',
  'findLastIndex', 'flatMap', 'sort', 'toSorted', 'from', 'fromAsync', 'replace', 'replaceAll',
]);
/** Promise reactions registered during init run before the snapshot when init awaits them. */
const PROMISE_METHODS = new Set(['then', 'catch', 'finally']);

const MODULE_REASON: InitReason = { text: 'at module scope' };

/** Marks a unit as init code; `cutoff`: it runs only up to this source offset (an early return). */
type Mark = (unit: CodeUnit, reason: InitReason, cutoff?: number) => void;

/** A value known from literals at an init call site, or `UNKNOWN`. */
const UNKNOWN = Symbol('unknown');
type Known = { readonly value: unknown } | { readonly object: TSESTree.ObjectExpression } | typeof UNKNOWN;

function truthy(k: Known): boolean | undefined {
  if (k === UNKNOWN) return undefined;
  return 'object' in k ? true : Boolean(k.value);
}

/** What the guard's expression is, given parameter names bound to argument expressions. */
function evaluate(node: TSESTree.Node, bindings: ReadonlyMap<string, TSESTree.Node | undefined>, depth = 0): Known {
  if (depth > 8) return UNKNOWN;
  const n = unwrap(node);
  switch (n.type) {
    case AST_NODE_TYPES.Literal:
      return n.value instanceof RegExp ? UNKNOWN : { value: n.value };
    case AST_NODE_TYPES.ObjectExpression:
      return { object: n };
    case AST_NODE_TYPES.Identifier: {
      if (!bindings.has(n.name)) return n.name === 'undefined' ? { value: undefined } : UNKNOWN;
      const bound = bindings.get(n.name);
      return bound ? evaluate(bound, new Map(), depth + 1) : { value: undefined };
    }
    case AST_NODE_TYPES.ChainExpression:
      return evaluate(n.expression, bindings, depth + 1);
    case AST_NODE_TYPES.MemberExpression: {
      const key = n.computed ? (n.property.type === AST_NODE_TYPES.Literal ? String(n.property.value) : undefined) : keyOf(n.property);
      const object = evaluate(n.object, bindings, depth + 1);
      if (key === undefined || object === UNKNOWN || !('object' in object)) return UNKNOWN;
      for (const p of object.object.properties) {
        if (p.type === AST_NODE_TYPES.SpreadElement) return UNKNOWN;
        if (!p.computed && keyOf(p.key) === key) return evaluate(p.value, new Map(), depth + 1);
      }
      return { value: undefined };
    }
    case AST_NODE_TYPES.UnaryExpression: {
      if (n.operator !== '!') return UNKNOWN;
      const t = truthy(evaluate(n.argument, bindings, depth + 1));
      return t === undefined ? UNKNOWN : { value: !t };
    }
    case AST_NODE_TYPES.LogicalExpression: {
      const left = truthy(evaluate(n.left, bindings, depth + 1));
      const right = truthy(evaluate(n.right, bindings, depth + 1));
      if (n.operator === '&&') return left === false || right === false ? { value: false } : left && right ? { value: true } : UNKNOWN;
      if (n.operator === '||') return left === true || right === true ? { value: true } : left === false && right === false ? { value: false } : UNKNOWN;
      return UNKNOWN;
    }
    case AST_NODE_TYPES.BinaryExpression: {
      if (!['===', '!==', '==', '!='].includes(n.operator)) return UNKNOWN;
      const a = evaluate(n.left, bindings, depth + 1);
      const b = evaluate(n.right, bindings, depth + 1);
      if (a === UNKNOWN || b === UNKNOWN || 'object' in a || 'object' in b) return UNKNOWN;
      const nullish = (v: unknown): boolean => v === null || v === undefined;
      // `==` between different types other than null/undefined coerces: not decided here.
      if (n.operator.length === 2 && typeof a.value !== typeof b.value && !(nullish(a.value) && nullish(b.value))) return UNKNOWN;
      const equal = n.operator.length === 3 ? a.value === b.value : a.value === b.value || (nullish(a.value) && nullish(b.value));
      return { value: n.operator.startsWith('!') ? !equal : equal };
    }
    default:
      return UNKNOWN;
  }
}

function keyOf(node: TSESTree.Node): string | undefined {
  if (node.type === AST_NODE_TYPES.Identifier) return node.name;
  if (node.type === AST_NODE_TYPES.Literal && (typeof node.value === 'string' || typeof node.value === 'number')) return String(node.value);
  return undefined;
}

function exits(stmt: TSESTree.Statement): boolean {
  if (stmt.type === AST_NODE_TYPES.ReturnStatement || stmt.type === AST_NODE_TYPES.ThrowStatement) return true;
  if (stmt.type !== AST_NODE_TYPES.BlockStatement) return false;
  const last = stmt.body.at(-1);
  return last !== undefined && exits(last);
}

/**
 * Where a call leaves the function early, by what it passes: a top-level `if (…) return` whose
 * test is decided by the call's literal arguments (`processEvent({ warmup: true })` meeting
 * `if (event.warmup) return`). The offset is the end of that `if`: nothing after it runs for this call.
 */
function earlyReturn(fn: FunctionNode, call: CallLike): number | undefined {
  if (call.type !== AST_NODE_TYPES.CallExpression || fn.body?.type !== AST_NODE_TYPES.BlockStatement) return undefined;
  const bindings = new Map<string, TSESTree.Node | undefined>();
  fn.params.forEach((param, i) => {
    const arg = call.arguments[i];
    if (arg?.type === AST_NODE_TYPES.SpreadElement) return;
    if (param.type === AST_NODE_TYPES.Identifier) bindings.set(param.name, arg);
    else if (param.type === AST_NODE_TYPES.ObjectPattern) {
      const unwrapped = arg ? unwrap(arg) : undefined;
      if (unwrapped && unwrapped.type !== AST_NODE_TYPES.ObjectExpression) return;
      const properties = unwrapped?.type === AST_NODE_TYPES.ObjectExpression ? unwrapped.properties : [];
      if (properties.some((q) => q.type === AST_NODE_TYPES.SpreadElement)) return;
      for (const p of param.properties) {
        if (p.type !== AST_NODE_TYPES.Property || p.computed || p.value.type !== AST_NODE_TYPES.Identifier) continue;
        const key = keyOf(p.key);
        const value = properties.find((q) => q.type === AST_NODE_TYPES.Property && !q.computed && keyOf(q.key) === key);
        bindings.set(p.value.name, value?.type === AST_NODE_TYPES.Property ? value.value : undefined);
      }
    }
  });
  if (bindings.size === 0) return undefined;
  for (const stmt of fn.body.body) {
    if (stmt.type === AST_NODE_TYPES.IfStatement && exits(stmt.consequent) && truthy(evaluate(stmt.test, bindings)) === true) return stmt.range[1];
    // A parameter written before a later guard (`event = normalize(event)`): the arguments no longer decide it.
    if (writesAny(stmt, bindings)) return undefined;
  }
  return undefined;
}

/** Whether a statement assigns (or increments) one of the bound names anywhere inside it. */
function writesAny(root: TSESTree.Node, bindings: ReadonlyMap<string, unknown>): boolean {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    if (Array.isArray(node)) {
      stack.push(...(node as unknown[]));
      continue;
    }
    const n = node as TSESTree.Node;
    if (typeof n.type !== 'string') continue;
    const target = n.type === AST_NODE_TYPES.AssignmentExpression ? n.left : n.type === AST_NODE_TYPES.UpdateExpression ? n.argument : undefined;
    if (target?.type === AST_NODE_TYPES.Identifier && bindings.has(target.name)) return true;
    for (const [key, value] of Object.entries(n)) if (key !== 'parent' && key !== 'loc' && key !== 'range') stack.push(value);
  }
  return false;
}

function line(node: TSESTree.Node): number {
  return node.loc.start.line;
}

/**
 * Decides which code units run during init: the module body, and from it, transitively, what it
 * calls (local functions, methods, IIFEs, synchronous callbacks), the constructors and field
 * initializers of classes it instantiates, and the static initializers of classes it defines.
 */
export class InitRegions {
  private readonly reasons = new Map<CodeUnit, InitReason>();
  /** Call sites, in init code, of each local function: where its return value goes. */
  private readonly callSites = new Map<FunctionNode, TSESTree.Node[]>();
  /** `new C()` expressions in init code, per class (and per local superclass). */
  private readonly instantiations = new Map<ClassNode, TSESTree.NewExpression[]>();
  /**
   * Functions that every init call leaves early (a warm-up event meeting `if (event.warmup) return`):
   * the source offset after which their code does not run during init.
   */
  private readonly cutoffs = new Map<CodeUnit, number>();

  constructor(
    program: TSESTree.Program,
    private readonly facts: FileFacts,
    private readonly callables: CallableResolver,
  ) {
    const queue: CodeUnit[] = [];
    const mark: Mark = (unit, reason, cutoff) => {
      if (!this.reasons.has(unit)) {
        this.reasons.set(unit, reason);
        if (cutoff !== undefined) this.cutoffs.set(unit, cutoff);
        queue.push(unit);
        return;
      }
      const previous = this.cutoffs.get(unit);
      if (previous === undefined || cutoff === previous) return;
      // Another init call runs more of it (all of it, or past a later guard): visit it again.
      if (cutoff === undefined || cutoff > previous) {
        if (cutoff === undefined) this.cutoffs.delete(unit);
        else this.cutoffs.set(unit, cutoff);
        // The reason printed is the call that runs the code, not the warm-up call.
        this.reasons.set(unit, reason);
        queue.push(unit);
      }
    };
    mark(program, MODULE_REASON);
    while (queue.length > 0) {
      const unit = queue.shift()!;
      const reason = this.reasons.get(unit)!;
      const cutoff = this.cutoffs.get(unit);
      const runs = (node: TSESTree.Node): boolean => cutoff === undefined || node.range[0] < cutoff;
      for (const cls of facts.classesByUnit.get(unit) ?? []) if (runs(cls)) this.markStatics(cls, reason, mark);
      for (const call of facts.callsByUnit.get(unit) ?? []) if (runs(call)) this.visitCall(call, unit, reason, mark);
      for (const read of facts.getterReadsByUnit.get(unit) ?? []) if (runs(read)) this.visitGetterRead(read, unit, reason, mark);
    }
  }

  isInit(unit: CodeUnit): boolean {
    return this.reasons.has(unit);
  }

  reasonOf(unit: CodeUnit): InitReason | undefined {
    return this.reasons.get(unit);
  }

  /** Why `node` (in `unit`) runs during init: its unit does, and no init call returns before it. */
  reasonAt(node: TSESTree.Node, unit: CodeUnit): InitReason | undefined {
    const cutoff = this.cutoffs.get(unit);
    return cutoff !== undefined && node.range[0] >= cutoff ? undefined : this.reasons.get(unit);
  }

  /** Where an init-time call (or getter read) of `fn` is: its result is the function's return value. */
  initCallSites(fn: FunctionNode): readonly TSESTree.Node[] {
    return this.callSites.get(fn) ?? [];
  }

  initInstantiations(cls: ClassNode): readonly TSESTree.NewExpression[] {
    return this.instantiations.get(cls) ?? [];
  }

  /** The reason chain as steps, innermost first; module scope is left implicit unless alone. */
  static steps(reason: InitReason): InitStep[] {
    const steps: InitStep[] = [];
    for (let r: InitReason | undefined = reason; r && r !== MODULE_REASON; r = r.parent) {
      steps.push(r.line === undefined ? { description: r.text } : { description: r.text, line: r.line });
    }
    return steps.length > 0 ? steps : [{ description: MODULE_REASON.text }];
  }

  private markStatics(cls: ClassNode, reason: InitReason, mark: Mark): void {
    const why: InitReason = { text: `static initializer of class \`${className(cls)}\``, line: line(cls), parent: reason };
    for (const member of cls.body.body) {
      if (member.type === AST_NODE_TYPES.StaticBlock) mark(member, why);
      else if (member.type === AST_NODE_TYPES.PropertyDefinition && member.static && member.value) mark(member, why);
    }
  }

  private instantiate(
    cls: ClassNode,
    site: TSESTree.NewExpression,
    reason: InitReason,
    mark: Mark,
  ): void {
    const seen = new Set<ClassNode>();
    for (let current: ClassNode | undefined = cls; current && !seen.has(current); current = this.callables.superClassOf(current)) {
      seen.add(current);
      const list = this.instantiations.get(current);
      if (list) {
        if (!list.includes(site)) list.push(site);
      } else {
        this.instantiations.set(current, [site]);
      }
      const why: InitReason = {
        text: `\`${className(current)}\` is instantiated from ${unitName(this.facts.unitOfNode(site))}`,
        line: line(site),
        parent: reason,
      };
      const ctor = constructorOf(current);
      if (ctor) mark(ctor, why);
      for (const member of current.body.body) {
        if (member.type === AST_NODE_TYPES.PropertyDefinition && !member.static && member.value) mark(member, why);
      }
    }
  }

  /** `config.id` where `id` is a local `get` accessor: reading it runs the getter. */
  private visitGetterRead(read: TSESTree.MemberExpression, unit: CodeUnit, reason: InitReason, mark: Mark): void {
    const getter = this.callables.resolveGetter(read);
    if (!getter) return;
    this.addCallSite(getter, read);
    mark(getter, { text: `getter \`${memberPropertyName(read)}\` is read from ${unitName(unit)}`, line: line(read), parent: reason });
  }

  private addCallSite(fn: FunctionNode, call: TSESTree.Node): void {
    const list = this.callSites.get(fn);
    if (list) {
      if (!list.includes(call)) list.push(call);
    } else {
      this.callSites.set(fn, [call]);
    }
  }

  private visitCall(call: CallLike, unit: CodeUnit, reason: InitReason, mark: Mark): void {
    const callee = unwrap(call.callee);
    const from = unitName(unit);

    if (call.type === AST_NODE_TYPES.NewExpression) {
      const cls = this.callables.resolveClass(callee);
      if (cls) this.instantiate(cls, call, reason, mark);
      // `new Promise(executor)` runs the executor synchronously.
      if (callee.type === AST_NODE_TYPES.Identifier && callee.name === 'Promise') this.markCallbacks(call, 'new Promise()', unit, reason, mark);
      return;
    }

    const target = this.callables.resolve(callee);
    if (target && isFunctionNode(target)) {
      this.addCallSite(target, call);
      const text = isFunctionNode(callee)
        ? `immediately-invoked function in ${from}`
        : `\`${functionName(target)}\` is called from ${from}`;
      mark(target, { text, line: line(call), parent: reason }, earlyReturn(target, call));
    } else if (target && isClassNode(target)) {
      return;
    }

    if (callee.type === AST_NODE_TYPES.MemberExpression) {
      const name = memberPropertyName(callee);
      if (name !== undefined && (SYNC_CALLBACK_METHODS.has(name) || PROMISE_METHODS.has(name))) {
        this.markCallbacks(call, `.${name}()`, unit, reason, mark);
      }
    }
  }

  private markCallbacks(
    call: CallLike,
    label: string,
    unit: CodeUnit,
    reason: InitReason,
    mark: Mark,
  ): void {
    for (const arg of call.arguments) {
      const fn = this.callables.resolve(arg);
      if (!fn || !isFunctionNode(fn)) continue;
      // The callback's return value flows into the call's result (`ids.map(() => randomUUID())`).
      this.addCallSite(fn, call);
      mark(fn, { text: `callback of \`${label}\` in ${unitName(unit)}`, line: line(call), parent: reason });
    }
  }
}
