// The intra-module call graph: resolves a call's or `new`'s callee to a function or class declared
// in the same file (through variables, object literals, `this` and instances), so init-regions.ts
// can follow what init calls and value-flow.ts can follow values through helpers.
// See docs/analysis.md.
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import {
  classOfMember,
  isClassNode,
  isFunctionNode,
  keyName,
  memberPropertyName,
  unitOf,
  unwrap,
  type ClassNode,
  type CodeUnit,
  type FunctionNode,
} from './ast.js';
import { isGlobalVariable, isNeverReassigned, type ScopeIndex } from './scope-index.js';

/** What `this` is inside a unit: a class instance, the class itself, or an object literal. */
export type ThisContext =
  | { readonly kind: 'instance'; readonly cls: ClassNode }
  | { readonly kind: 'class'; readonly cls: ClassNode }
  | { readonly kind: 'object'; readonly object: TSESTree.ObjectExpression };

/** A local value a callee's receiver can be: an object literal, a class, or an instance of one. */
type LocalObject =
  | { readonly kind: 'object'; readonly object: TSESTree.ObjectExpression }
  | { readonly kind: 'class'; readonly cls: ClassNode }
  | { readonly kind: 'instance'; readonly cls: ClassNode };

const MAX_DEPTH = 8;

/** Resolves callees to functions and classes declared in the same file (the intra-module call graph). */
export class CallableResolver {
  constructor(private readonly scopes: ScopeIndex) {}

  resolve(callee: TSESTree.Node, depth = 0): FunctionNode | ClassNode | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const n = unwrap(callee);
    if (isFunctionNode(n) || isClassNode(n)) return n;
    if (n.type === AST_NODE_TYPES.Identifier) return this.resolveIdentifier(n, depth);
    if (n.type !== AST_NODE_TYPES.MemberExpression) return undefined;
    return this.member(n, 'method', depth);
  }

  /** The `get` accessor that `obj.name` runs, if `obj` is a local object, class or instance with one. */
  resolveGetter(read: TSESTree.MemberExpression): FunctionNode | undefined {
    const target = this.member(read, 'get', 0);
    return target && isFunctionNode(target) ? target : undefined;
  }

  private member(n: TSESTree.MemberExpression, kind: 'method' | 'get', depth: number): FunctionNode | ClassNode | undefined {
    const name = memberPropertyName(n);
    if (name === undefined) return undefined;
    const object = unwrap(n.object);
    const receiver =
      object.type === AST_NODE_TYPES.ThisExpression ? this.thisAsObject(unitOf(n)) : this.resolveObject(object, depth + 1);
    if (!receiver) return undefined;
    switch (receiver.kind) {
      case 'object':
        return this.objectMember(receiver.object, name, depth + 1, kind);
      case 'class':
        return this.classMember(receiver.cls, name, true, depth + 1, kind);
      case 'instance':
        return this.classMember(receiver.cls, name, false, depth + 1, kind);
    }
  }

  /** The class a `new` callee denotes, if local. */
  resolveClass(callee: TSESTree.Node): ClassNode | undefined {
    const target = this.resolve(callee);
    return target && isClassNode(target) ? target : undefined;
  }

  superClassOf(cls: ClassNode): ClassNode | undefined {
    return cls.superClass ? this.resolveClass(cls.superClass) : undefined;
  }

  /** `this` in a unit, looking through arrow functions, which do not bind it. */
  thisContext(unit: CodeUnit): ThisContext | undefined {
    let current: CodeUnit = unit;
    while (current.type === AST_NODE_TYPES.ArrowFunctionExpression) current = unitOf(current);
    const member = classOfMember(current);
    if (member) return member.isStatic ? { kind: 'class', cls: member.cls } : { kind: 'instance', cls: member.cls };
    if (current.type === AST_NODE_TYPES.FunctionExpression && current.parent?.type === AST_NODE_TYPES.Property) {
      const object = current.parent.parent;
      if (object?.type === AST_NODE_TYPES.ObjectExpression) return { kind: 'object', object };
    }
    return undefined;
  }

  private thisAsObject(unit: CodeUnit): LocalObject | undefined {
    return this.thisContext(unit);
  }

  private resolveIdentifier(id: TSESTree.Identifier, depth: number): FunctionNode | ClassNode | undefined {
    const variable = this.scopes.variableOf(id);
    if (!variable || isGlobalVariable(variable) || variable.defs.length !== 1) return undefined;
    const def = variable.defs[0]!;
    const node = def.node as TSESTree.Node;
    switch (String(def.type)) {
      case 'FunctionName':
        return isFunctionNode(node) ? node : undefined;
      case 'ClassName':
        return isClassNode(node) ? node : undefined;
      case 'Variable': {
        const declarator = node as TSESTree.VariableDeclarator;
        if (declarator.id.type !== AST_NODE_TYPES.Identifier || !declarator.init || !isNeverReassigned(variable)) return undefined;
        return this.resolve(declarator.init, depth + 1);
      }
      default:
        return undefined;
    }
  }

  private resolveObject(node: TSESTree.Node, depth: number): LocalObject | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const n = unwrap(node);
    if (n.type === AST_NODE_TYPES.ObjectExpression) return { kind: 'object', object: n };
    if (isClassNode(n)) return { kind: 'class', cls: n };
    if (n.type === AST_NODE_TYPES.NewExpression) {
      const cls = this.resolveClass(n.callee);
      return cls ? { kind: 'instance', cls } : undefined;
    }
    if (n.type !== AST_NODE_TYPES.Identifier) return undefined;
    const variable = this.scopes.variableOf(n);
    if (!variable || isGlobalVariable(variable) || variable.defs.length !== 1) return undefined;
    const def = variable.defs[0]!;
    if (String(def.type) === 'ClassName' && isClassNode(def.node)) return { kind: 'class', cls: def.node };
    if (String(def.type) !== 'Variable') return undefined;
    const declarator = def.node as TSESTree.VariableDeclarator;
    if (declarator.id.type !== AST_NODE_TYPES.Identifier || !declarator.init || !isNeverReassigned(variable)) return undefined;
    return this.resolveObject(declarator.init, depth + 1);
  }

  private objectMember(object: TSESTree.ObjectExpression, name: string, depth: number, kind: 'method' | 'get' = 'method'): FunctionNode | ClassNode | undefined {
    for (const prop of object.properties) {
      if (prop.type !== AST_NODE_TYPES.Property || keyName(prop.key, prop.computed) !== name) continue;
      if ((prop.kind === 'get') !== (kind === 'get')) continue;
      return this.resolve(prop.value, depth + 1);
    }
    return undefined;
  }

  /** A method (or arrow-function field) of a class, following `extends` to local superclasses. */
  classMember(cls: ClassNode, name: string, isStatic: boolean, depth = 0, kind: 'method' | 'get' = 'method'): FunctionNode | undefined {
    for (let current: ClassNode | undefined = cls, hops = 0; current && hops < MAX_DEPTH; hops++) {
      for (const member of current.body.body) {
        if (member.type === AST_NODE_TYPES.MethodDefinition && member.kind === kind && member.static === isStatic) {
          if (keyName(member.key, member.computed) === name && member.value.type === AST_NODE_TYPES.FunctionExpression) return member.value;
        } else if (kind === 'method' && member.type === AST_NODE_TYPES.PropertyDefinition && member.static === isStatic && member.value) {
          if (keyName(member.key, member.computed) === name) {
            const value = unwrap(member.value);
            if (isFunctionNode(value)) return value;
          }
        }
      }
      current = depth < MAX_DEPTH ? this.superClassOf(current) : undefined;
    }
    return undefined;
  }
}
