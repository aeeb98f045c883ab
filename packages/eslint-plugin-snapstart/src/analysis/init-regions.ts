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

  constructor(
    program: TSESTree.Program,
    private readonly facts: FileFacts,
    private readonly callables: CallableResolver,
  ) {
    const queue: CodeUnit[] = [];
    const mark = (unit: CodeUnit, reason: InitReason): void => {
      if (this.reasons.has(unit)) return;
      this.reasons.set(unit, reason);
      queue.push(unit);
    };
    mark(program, MODULE_REASON);
    while (queue.length > 0) {
      const unit = queue.shift()!;
      const reason = this.reasons.get(unit)!;
      for (const cls of facts.classesByUnit.get(unit) ?? []) this.markStatics(cls, reason, mark);
      for (const call of facts.callsByUnit.get(unit) ?? []) this.visitCall(call, unit, reason, mark);
      for (const read of facts.getterReadsByUnit.get(unit) ?? []) this.visitGetterRead(read, unit, reason, mark);
    }
  }

  isInit(unit: CodeUnit): boolean {
    return this.reasons.has(unit);
  }

  reasonOf(unit: CodeUnit): InitReason | undefined {
    return this.reasons.get(unit);
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

  private markStatics(cls: ClassNode, reason: InitReason, mark: (u: CodeUnit, r: InitReason) => void): void {
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
    mark: (u: CodeUnit, r: InitReason) => void,
  ): void {
    const seen = new Set<ClassNode>();
    for (let current: ClassNode | undefined = cls; current && !seen.has(current); current = this.callables.superClassOf(current)) {
      seen.add(current);
      const list = this.instantiations.get(current);
      if (list) list.push(site);
      else this.instantiations.set(current, [site]);
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
  private visitGetterRead(read: TSESTree.MemberExpression, unit: CodeUnit, reason: InitReason, mark: (u: CodeUnit, r: InitReason) => void): void {
    const getter = this.callables.resolveGetter(read);
    if (!getter) return;
    this.addCallSite(getter, read);
    mark(getter, { text: `getter \`${memberPropertyName(read)}\` is read from ${unitName(unit)}`, line: line(read), parent: reason });
  }

  private addCallSite(fn: FunctionNode, call: TSESTree.Node): void {
    const list = this.callSites.get(fn);
    if (list) list.push(call);
    else this.callSites.set(fn, [call]);
  }

  private visitCall(call: CallLike, unit: CodeUnit, reason: InitReason, mark: (u: CodeUnit, r: InitReason) => void): void {
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
      mark(target, { text, line: line(call), parent: reason });
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
    mark: (u: CodeUnit, r: InitReason) => void,
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
