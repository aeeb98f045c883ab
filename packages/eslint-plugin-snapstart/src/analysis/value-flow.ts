// Step 4 of the analysis: follows a value made at init to a place that outlives init (a variable
// read after restore, an export, a long-lived object), minus reads that cannot see it (age checks,
// reads after an overwrite, also through helpers). See docs/analysis.md.
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import {
  className,
  constructorOf,
  isClassNode,
  isFunctionNode,
  keyName,
  memberPropertyName,
  patternIdentifiers,
  patternTargets,
  unitName,
  unwrap,
  type ClassNode,
  type CodeUnit,
  type FunctionNode,
} from './ast.js';
import type { CallableResolver } from './callables.js';
import type { CallLike, FileFacts } from './file-facts.js';
import type { InitRegions } from './init-regions.js';
import { memberChain, type RestoredTargets } from './restore-hooks.js';
import { isGlobalVariable, isModuleLevel, isNeverReassigned, type ScopeIndex, type Variable } from './scope-index.js';

/** Where a value created during init ends up, so that it outlives init. */
export interface Escape {
  /** Completes "… during init, and <description>". */
  readonly description: string;
  /** The module-scope variable it is stored in, when that is how it escapes (for suggestions). */
  readonly variable?: Variable;
}

/** Methods that store their argument into the receiver (collections filled at init). */
const MUTATOR_METHODS = new Set([
  'push', 'unshift', 'splice', 'set', 'add', 'append', 'put', 'setItem', 'fill', 'assign', 'concat', 'enqueue',
  // Middleware registration (`app.use(session({ secret }))`): the app now holds the value.
  'use',
]);
/** Unary operators whose result does not carry the operand's uniqueness. */
const OPAQUE_UNARY = new Set(['typeof', 'void', 'delete', '!']);

const MAX_CALL_DEPTH = 4;
const STEP_BUDGET = 4000;

interface FlowState {
  /** A time value: differences of two clock readings taken during init are durations, not timestamps. */
  readonly isTime: boolean;
  /** Call sites entered through a parameter; a `return` goes back to the innermost one. */
  readonly stack: readonly CallLike[];
  readonly visited: Set<string>;
  budget: { steps: number };
}

export interface FlowOptions {
  readonly handlerNames: ReadonlySet<string>;
  readonly ignore: readonly RegExp[];
  /** Whether an expression is a clock reading (a time source call, or a const initialized by one). */
  readonly isClockReading: (node: TSESTree.Node) => boolean;
}

function line(node: TSESTree.Node): number {
  return node.loc.start.line;
}

let nextId = 0;
const ids = new WeakMap<object, number>();
function idOf(value: object): number {
  let id = ids.get(value);
  if (id === undefined) {
    id = nextId++;
    ids.set(value, id);
  }
  return id;
}

/**
 * Follows a value from the expression that creates it to a place that outlives init: a
 * module-scope binding read after init, an export, a class static, a property of a long-lived
 * object or instance, a global, or a closure that runs later. Values used only during init
 * (`log(Date.now() - t0)`) never reach such a place and are not reported.
 */
export class ValueFlow {
  private readonly instanceEscapes = new Map<ClassNode, Escape | null>();

  constructor(
    private readonly scopes: ScopeIndex,
    private readonly facts: FileFacts,
    private readonly init: InitRegions,
    private readonly callables: CallableResolver,
    private readonly restored: RestoredTargets,
    private readonly options: FlowOptions,
  ) {}

  escapeOf(node: TSESTree.Node, isTime = false): Escape | undefined {
    return this.followExpr(node, { isTime, stack: [], visited: new Set(), budget: { steps: STEP_BUDGET } });
  }

  private isIgnored(name: string): boolean {
    return this.options.ignore.some((re) => re.test(name));
  }

  private followExpr(start: TSESTree.Node, st: FlowState): Escape | undefined {
    let node = start;
    for (;;) {
      if (--st.budget.steps <= 0) return undefined;
      const p = node.parent;
      if (!p) return undefined;
      switch (p.type) {
        case AST_NODE_TYPES.TSAsExpression:
        case AST_NODE_TYPES.TSSatisfiesExpression:
        case AST_NODE_TYPES.TSNonNullExpression:
        case AST_NODE_TYPES.TSTypeAssertion:
        case AST_NODE_TYPES.TSInstantiationExpression:
        case AST_NODE_TYPES.ChainExpression:
        case AST_NODE_TYPES.AwaitExpression:
        case AST_NODE_TYPES.TemplateLiteral:
        case AST_NODE_TYPES.SpreadElement:
        case AST_NODE_TYPES.ArrayExpression:
        case AST_NODE_TYPES.ObjectExpression:
        case AST_NODE_TYPES.LogicalExpression:
        case AST_NODE_TYPES.MemberExpression:
          node = p;
          continue;
        case AST_NODE_TYPES.BinaryExpression: {
          // `performance.now() - t0` during init measures a duration; it is the same kind of value in
          // every clone as on a normal cold start, not the snapshot's clock.
          const other = node === p.left ? p.right : p.left;
          if (st.isTime && p.operator === '-' && this.options.isClockReading(other)) return undefined;
          node = p;
          continue;
        }
        case AST_NODE_TYPES.TaggedTemplateExpression:
        case AST_NODE_TYPES.ConditionalExpression:
          if (p.type === AST_NODE_TYPES.ConditionalExpression && node === p.test) return undefined;
          node = p;
          continue;
        case AST_NODE_TYPES.SequenceExpression:
          if (node !== p.expressions.at(-1)) return undefined;
          node = p;
          continue;
        case AST_NODE_TYPES.UnaryExpression:
          if (OPAQUE_UNARY.has(p.operator)) return undefined;
          node = p;
          continue;
        case AST_NODE_TYPES.Property:
          if (p.parent.type !== AST_NODE_TYPES.ObjectExpression) return undefined;
          node = p.parent;
          continue;
        case AST_NODE_TYPES.CallExpression:
        case AST_NODE_TYPES.NewExpression: {
          if (node === p.callee) {
            // `generateKey(…).then((key) => …)`: the reaction's parameter receives the value.
            const escape = this.followPromiseReaction(p, st);
            if (escape) return escape;
            node = p;
            continue;
          }
          const handled = this.followArgument(p, node, st);
          if (handled === 'continue') {
            node = p;
            continue;
          }
          return handled;
        }
        case AST_NODE_TYPES.VariableDeclarator:
          if (node !== p.init) return undefined;
          return this.followPattern(p.id, st);
        case AST_NODE_TYPES.AssignmentExpression: {
          if (node !== p.right) return undefined;
          const escape = this.followTarget(p.left, st);
          if (escape) return escape;
          node = p;
          continue;
        }
        case AST_NODE_TYPES.AssignmentPattern:
          if (node !== p.right) return undefined;
          if (p.parent.type === AST_NODE_TYPES.TSParameterProperty) return this.parameterPropertyEscape(p.parent);
          return this.followPattern(p.left, st);
        case AST_NODE_TYPES.PropertyDefinition:
          if (node !== p.value) return undefined;
          return this.fieldEscape(p);
        case AST_NODE_TYPES.ReturnStatement: {
          const fn = this.facts.unitOfNode(p);
          return isFunctionNode(fn) ? this.followReturn(fn, st) : undefined;
        }
        case AST_NODE_TYPES.ArrowFunctionExpression:
          return node === p.body ? this.followReturn(p, st) : undefined;
        case AST_NODE_TYPES.ExportDefaultDeclaration:
          return { description: "it is the module's default export" };
        case AST_NODE_TYPES.ExportSpecifier:
          return { description: `it is exported as \`${keyName(p.exported, false) ?? 'default'}\`` };
        case AST_NODE_TYPES.ForOfStatement:
          if (node !== p.right) return undefined;
          return p.left.type === AST_NODE_TYPES.VariableDeclaration
            ? this.followPattern(p.left.declarations[0].id, st)
            : this.followTarget(p.left, st);
        case AST_NODE_TYPES.TSEnumMember:
          return { description: `it initializes the enum member \`${keyName(p.id, false) ?? '?'}\`` };
        default:
          return undefined;
      }
    }
  }

  /** A tainted value passed as an argument. 'continue' means: the call's result carries it. */
  private followArgument(call: CallLike, arg: TSESTree.Node, st: FlowState): Escape | undefined | 'continue' {
    const callee = unwrap(call.callee);
    const index = call.arguments.indexOf(arg as TSESTree.CallExpressionArgument);
    if (callee.type === AST_NODE_TYPES.MemberExpression) {
      const name = memberPropertyName(callee);
      if (name === 'assign' && isObjectBuiltin(callee.object, this.scopes)) {
        return index > 0 && call.arguments[0] ? this.followTarget(call.arguments[0], st) : 'continue';
      }
      if (name !== undefined && MUTATOR_METHODS.has(name)) {
        // `cache.set('id', randomUUID())`: the collection now holds the value.
        const escape = this.followTarget(callee.object, st);
        if (escape) return escape;
        return 'continue';
      }
    }
    const target = this.callables.resolve(callee);
    if (!target) return 'continue';
    if (st.stack.length >= MAX_CALL_DEPTH) return undefined;
    const fn = isClassNode(target) ? constructorOf(target) : target;
    if (!fn) return undefined;
    const param = fn.params[index];
    if (!param) return undefined;
    const inner: FlowState = { ...st, stack: [...st.stack, call] };
    if (param.type === AST_NODE_TYPES.TSParameterProperty) return this.parameterPropertyEscape(param);
    return this.followPattern(param, inner);
  }

  private followPromiseReaction(call: CallLike, st: FlowState): Escape | undefined {
    const callee = unwrap(call.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression || memberPropertyName(callee) !== 'then') return undefined;
    const reaction = call.arguments[0] ? this.callables.resolve(call.arguments[0]) : undefined;
    const param = reaction && isFunctionNode(reaction) ? reaction.params[0] : undefined;
    return param ? this.followPattern(param, st) : undefined;
  }

  /** Node-style callback sources (`randomBytes(16, (err, buf) => …)`) deliver the value to the callback. */
  escapeOfCallback(call: CallLike): Escape | undefined {
    const last = call.arguments.at(-1);
    const callback = last ? this.callables.resolve(last) : undefined;
    if (!callback || !isFunctionNode(callback)) return undefined;
    const st: FlowState = { isTime: false, stack: [], visited: new Set(), budget: { steps: STEP_BUDGET } };
    for (const param of callback.params.slice(1)) {
      const escape = this.followPattern(param, st);
      if (escape) return escape;
    }
    return undefined;
  }

  private followReturn(fn: FunctionNode, st: FlowState): Escape | undefined {
    if (st.stack.length > 0) {
      const call = st.stack.at(-1)!;
      return this.followExpr(call, { ...st, stack: st.stack.slice(0, -1) });
    }
    for (const site of this.init.initCallSites(fn)) {
      const escape = this.followExpr(site, st);
      if (escape) return escape;
    }
    return undefined;
  }

  private followPattern(pattern: TSESTree.Node, st: FlowState): Escape | undefined {
    for (const id of patternIdentifiers(pattern)) {
      const variable = this.scopes.declaredVariable(id);
      if (!variable) continue;
      const escape = this.followVariable(variable, st);
      if (escape) return escape;
    }
    return undefined;
  }

  private followVariable(variable: Variable, st: FlowState): Escape | undefined {
    const key = `${idOf(variable)}@${st.stack.length > 0 ? idOf(st.stack.at(-1)!) : '-'}`;
    if (st.visited.has(key)) return undefined;
    st.visited.add(key);
    if (this.restored.isVariableRestored(variable) || this.isIgnored(variable.name)) return undefined;
    if (isExportedDeclaration(variable)) return { description: `it is exported as \`${variable.name}\``, variable };
    for (const ref of variable.references) {
      if (!ref.isRead()) continue;
      if ((ref as { isTypeReference?: boolean }).isTypeReference && !(ref as { isValueReference?: boolean }).isValueReference) continue;
      const unit = this.facts.unitOfNode(ref.identifier);
      const later = isModuleLevel(variable) && isFunctionNode(unit) && this.init.isInit(unit) ? this.laterUse(unit) : undefined;
      if (later) {
        // A function that runs during init *and* afterwards (a lazy cache, a warm-up call) hands the
        // init-time value to the handler.
        return { description: `module-scope \`${variable.name}\` is read by ${unitName(unit)}, which also ${later}`, variable };
      }
      if (!this.init.isInit(unit)) {
        // A refresh that becomes due after restore is correct: `Date.now() - loadedAt > TTL`.
        if (st.isTime && this.isAgeCheck(ref.identifier as TSESTree.Identifier)) continue;
        // Overwritten by the later code before this read, on every path.
        if (isFunctionNode(unit) && (this.isKilledBefore(variable, ref.identifier, unit) || this.isKilledInEveryCaller(variable, unit))) continue;
        const where = isModuleLevel(variable) ? `module-scope \`${variable.name}\`` : `\`${variable.name}\``;
        return {
          description: `${where} is read by ${this.describeLater(unit)} (line ${line(ref.identifier)}), which runs after restore`,
          variable,
        };
      }
      const escape = this.followExpr(ref.identifier, st);
      if (escape) return escape;
    }
    return undefined;
  }

  /** `clock`, or `clock ± x`: a point in time read now. */
  private isClockExpr(node: TSESTree.Node): boolean {
    const n = unwrap(node);
    if (this.options.isClockReading(n)) return true;
    return n.type === AST_NODE_TYPES.BinaryExpression && (n.operator === '+' || n.operator === '-') && this.isClockExpr(n.left);
  }

  /**
   * A read of an init-time timestamp used only to decide whether something has aged:
   * `now - t > ttl`, `const age = now - t; if (age > ttl)`, `now > t + ttl`, `expires < now`.
   */
  private isAgeCheck(read: TSESTree.Identifier): boolean {
    let node: TSESTree.Node = read;
    let p = node.parent;
    while (p && (p.type === AST_NODE_TYPES.TSAsExpression || p.type === AST_NODE_TYPES.TSNonNullExpression)) {
      node = p;
      p = p.parent;
    }
    if (p?.type !== AST_NODE_TYPES.BinaryExpression) return false;
    if (COMPARISONS.has(p.operator)) return this.isClockExpr(node === p.left ? p.right : p.left);
    if (p.operator !== '-' && p.operator !== '+') return false;
    if (p.operator === '-' && node === p.right && this.isClockExpr(p.left)) {
      // An age: compared with anything, or kept in a const that is only compared.
      const use = p.parent;
      if (use?.type === AST_NODE_TYPES.BinaryExpression && COMPARISONS.has(use.operator)) return true;
      if (use?.type === AST_NODE_TYPES.VariableDeclarator && use.init === p && use.id.type === AST_NODE_TYPES.Identifier) {
        const age = this.scopes.declaredVariable(use.id);
        const reads = age?.references.filter((r) => r.isRead()) ?? [];
        return reads.length > 0 && reads.every((r) => r.identifier.parent?.type === AST_NODE_TYPES.BinaryExpression && COMPARISONS.has(r.identifier.parent.operator));
      }
      return false;
    }
    // A deadline `t + ttl`, compared with a clock reading.
    const use = p.parent;
    if (node !== p.left || use?.type !== AST_NODE_TYPES.BinaryExpression || !COMPARISONS.has(use.operator)) return false;
    return this.isClockExpr(use.left === p ? use.right : use.left);
  }

  /**
   * Whether `fn` assigns `variable` a new value before `read` on every path: a plain assignment in
   * a statement of the function body that comes before the statement holding the read.
   */
  private isKilledBefore(variable: Variable, read: TSESTree.Node, fn: FunctionNode): boolean {
    if (fn.body.type !== AST_NODE_TYPES.BlockStatement) return false;
    for (const stmt of fn.body.body) {
      if (stmt.range[0] <= read.range[0] && read.range[1] <= stmt.range[1]) return false;
      if (stmt.type !== AST_NODE_TYPES.ExpressionStatement) continue;
      const e = stmt.expression;
      if (e.type !== AST_NODE_TYPES.AssignmentExpression || e.operator !== '=' || e.left.type !== AST_NODE_TYPES.Identifier) continue;
      if (this.scopes.variableOf(e.left) !== variable) continue;
      const readsItself = variable.references.some((r) => r.isRead() && e.right.range[0] <= r.identifier.range[0] && r.identifier.range[1] <= e.right.range[1]);
      if (!readsItself) return true;
    }
    return false;
  }

  /**
   * Whether a helper that reads `variable` runs, after init, only from callers that have already
   * overwritten it (`requestStart = Date.now(); log('start')`, with `log` reading it): every
   * reference to the helper is a direct call from a non-init function that kills the variable
   * before the call (or is itself such a helper, up to a few levels). An exported helper, or one
   * passed around as a value, may run from anywhere: not killed.
   */
  private isKilledInEveryCaller(variable: Variable, fn: FunctionNode, depth = 0): boolean {
    if (depth > 2) return false;
    const binding = this.bindingOf(fn);
    if (!binding || isExportedDeclaration(binding)) return false;
    const reads = binding.references.filter((r) => r.isRead());
    if (reads.length === 0) return false;
    return reads.every((r) => {
      const call = r.identifier.parent;
      if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee !== r.identifier) return false;
      const caller = this.facts.unitOfNode(call);
      if (!isFunctionNode(caller) || this.init.isInit(caller)) return false;
      return this.isKilledBefore(variable, call, caller) || this.isKilledInEveryCaller(variable, caller, depth + 1);
    });
  }

  /** The binding a function is declared or stored in: `function f`, `const f = () => …`. */
  private bindingOf(fn: FunctionNode): Variable | undefined {
    if (fn.type === AST_NODE_TYPES.FunctionDeclaration && fn.id) return this.scopes.declaredVariable(fn.id);
    const parent = fn.parent;
    if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === fn && parent.id.type === AST_NODE_TYPES.Identifier) {
      const variable = this.scopes.declaredVariable(parent.id);
      return variable && isNeverReassigned(variable) ? variable : undefined;
    }
    return undefined;
  }

  private readonly laterUses = new Map<FunctionNode, string | null>();

  /** How an init-time function also runs after restore: a call from non-init code, or an export. */
  private laterUse(fn: FunctionNode): string | undefined {
    const cached = this.laterUses.get(fn);
    if (cached !== undefined) return cached ?? undefined;
    let found: string | undefined;
    for (const call of this.facts.calls) {
      const unit = this.facts.unitOfNode(call);
      if (this.init.isInit(unit) || this.callables.resolve(call.callee) !== fn) continue;
      found = `runs after restore (called from ${this.describeLater(unit)}, line ${line(call)})`;
      break;
    }
    // A getter read after init as well (a lazy `??=` cache behind an accessor).
    for (const [unit, reads] of found ? [] : this.facts.getterReadsByUnit) {
      if (this.init.isInit(unit)) continue;
      const read = reads.find((r) => this.callables.resolveGetter(r) === fn);
      if (read) {
        found = `runs after restore (read from ${this.describeLater(unit)}, line ${line(read)})`;
        break;
      }
    }
    if (!found) {
      const declared = fn.type === AST_NODE_TYPES.FunctionDeclaration && fn.id ? this.scopes.declaredVariable(fn.id) : undefined;
      const parent = fn.parent;
      const holder = declared ?? (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier ? this.scopes.declaredVariable(parent.id) : undefined);
      const exportedBySpecifier = holder?.references.some((r) => r.identifier.parent?.type === AST_NODE_TYPES.ExportSpecifier) ?? false;
      if (holder && (isExportedDeclaration(holder) || exportedBySpecifier)) found = `is exported, so other modules call it after restore`;
    }
    this.laterUses.set(fn, found ?? null);
    return found;
  }

  private describeLater(unit: CodeUnit): string {
    const name = unitName(unit);
    const plain = name.replaceAll('`', '');
    return this.options.handlerNames.has(plain) ? `the handler ${name}` : name;
  }

  /** A value written to `left`: a variable, a property of something, or a global. */
  private followTarget(left: TSESTree.Node, st: FlowState): Escape | undefined {
    const target = unwrap(left);
    if (target.type === AST_NODE_TYPES.ArrayPattern || target.type === AST_NODE_TYPES.ObjectPattern) {
      // `[a[i], a[j]] = [a[j], a[i]]` (a shuffle): every element target receives a part of the value.
      for (const element of patternTargets(target)) {
        const escape = this.followTarget(element, st);
        if (escape) return escape;
      }
      return undefined;
    }
    if (target.type === AST_NODE_TYPES.Identifier) {
      const variable = this.scopes.variableOf(target);
      if (variable === undefined) return undefined;
      if (variable === null || isGlobalVariable(variable)) {
        return this.isIgnored(target.name) ? undefined : { description: `it is stored in the global \`${target.name}\`` };
      }
      return this.followVariable(variable, st);
    }
    // `table[key] = v`: an element of whatever `table` is (its path stops at the computed member).
    const chain = memberChain(target) ?? memberChain(computedRoot(target));
    if (!chain) return undefined;
    const lastProp = chain.path.at(-1);
    if (lastProp !== undefined && this.isIgnored(lastProp)) return undefined;
    const root = chain.root;
    if (root.type === AST_NODE_TYPES.ThisExpression) return this.thisEscape(root, chain.path, st);
    if (root.type !== AST_NODE_TYPES.Identifier) return undefined;
    const variable = this.scopes.variableOf(root);
    if (variable === undefined) return undefined;
    const text = [root.name, ...chain.path].join('.');
    if (variable === null || isGlobalVariable(variable)) {
      if (root.name === 'module' || root.name === 'exports') return { description: `it is exported through \`${text}\`` };
      return { description: `it is stored in the global \`${text}\`` };
    }
    if (this.restored.isMemberRestored(variable, chain.path)) return undefined;
    const classDef = variable.defs.find((d) => String(d.type) === 'ClassName');
    if (classDef && isClassNode(classDef.node) && chain.path[0] !== undefined) {
      // `Ids.boot = …`: a static property; a class lives as long as its module.
      const cls = classDef.node;
      if (this.restored.isClassPropRestored(cls, chain.path[0])) return undefined;
      return { description: `it is stored in the static field \`${className(cls)}.${chain.path[0]}\`` };
    }
    // The container now carries the value; it escapes if the container does.
    return this.followVariable(variable, st);
  }

  private thisEscape(thisNode: TSESTree.Node, path: readonly string[], st: FlowState): Escape | undefined {
    const ctx = this.callables.thisContext(this.facts.unitOfNode(thisNode));
    const prop = path[0];
    if (!ctx || prop === undefined) return undefined;
    if (ctx.kind === 'object') {
      if (this.restored.isObjectPropRestored(ctx.object, prop)) return undefined;
      return this.followExpr(ctx.object, st);
    }
    if (this.restored.isClassPropRestored(ctx.cls, prop)) return undefined;
    if (ctx.kind === 'class') return { description: `it is stored in the static field \`${className(ctx.cls)}.${prop}\`` };
    return this.instancePropertyEscape(ctx.cls, prop);
  }

  private fieldEscape(field: TSESTree.PropertyDefinition): Escape | undefined {
    const cls = field.parent.parent;
    const prop = keyName(field.key, field.computed) ?? '[computed]';
    if (this.isIgnored(prop) || this.restored.isClassPropRestored(cls, prop)) return undefined;
    if (field.static) return { description: `it is stored in the static field \`${className(cls)}.${prop}\`` };
    return this.instancePropertyEscape(cls, prop);
  }

  private parameterPropertyEscape(param: TSESTree.TSParameterProperty): Escape | undefined {
    const ids = patternIdentifiers(param.parameter);
    const prop = ids[0]?.name;
    const ctor = param.parent;
    const cls = ctor?.parent?.parent?.parent;
    if (prop === undefined || !cls || !isClassNode(cls)) return undefined;
    if (this.isIgnored(prop) || this.restored.isClassPropRestored(cls, prop)) return undefined;
    return this.instancePropertyEscape(cls, prop);
  }

  private instancePropertyEscape(cls: ClassNode, prop: string): Escape | undefined {
    const instance = this.instanceEscape(cls);
    if (!instance) return undefined;
    return { description: `it is stored in \`this.${prop}\` of a \`${className(cls)}\` instance, and ${instance.description}` };
  }

  /** Whether some instance of the class created during init outlives init. */
  private instanceEscape(cls: ClassNode): Escape | undefined {
    if (this.instanceEscapes.has(cls)) return this.instanceEscapes.get(cls) ?? undefined;
    this.instanceEscapes.set(cls, null);
    let result: Escape | undefined;
    for (const site of this.init.initInstantiations(cls)) {
      const escape = this.followExpr(site, { isTime: false, stack: [], visited: new Set(), budget: { steps: STEP_BUDGET } });
      if (escape) {
        result = { description: `that instance (created at line ${line(site)}) survives: ${escape.description}` };
        break;
      }
    }
    this.instanceEscapes.set(cls, result ?? null);
    return result;
  }
}

const COMPARISONS = new Set(['<', '>', '<=', '>=']);

/** `a.b[k].c` → `a.b`: the part of a member chain above its first computed member. */
function computedRoot(node: TSESTree.Node): TSESTree.Node {
  let current = unwrap(node);
  let root = current;
  while (current.type === AST_NODE_TYPES.MemberExpression) {
    if (current.computed && memberPropertyName(current) === undefined) root = unwrap(current.object);
    current = unwrap(current.object);
  }
  return root;
}

function isObjectBuiltin(node: TSESTree.Node, scopes: ScopeIndex): boolean {
  const n = unwrap(node);
  if (n.type !== AST_NODE_TYPES.Identifier || n.name !== 'Object') return false;
  const variable = scopes.variableOf(n);
  return variable === null || (variable !== undefined && isGlobalVariable(variable));
}

/** `export const x = …`, `export let x`, or a `export` inside a TS namespace. */
function isExportedDeclaration(variable: Variable): boolean {
  for (const def of variable.defs) {
    let node: TSESTree.Node | undefined = def.node;
    if (node.type === AST_NODE_TYPES.VariableDeclarator) node = node.parent;
    if (node?.parent?.type === AST_NODE_TYPES.ExportNamedDeclaration) return true;
  }
  return false;
}
