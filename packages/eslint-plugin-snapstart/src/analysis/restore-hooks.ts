import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { isFunctionNode, keyName, memberPropertyName, unitOf, unwrap, type ClassNode, type FunctionNode } from './ast.js';
import type { CallableResolver } from './callables.js';
import { walkSubtree, type FileFacts } from './file-facts.js';
import type { ScopeIndex, Variable } from './scope-index.js';

export interface HookNames {
  /** Functions that register an after-restore callback: `registerAfterRestore(fn)`. */
  readonly functions: readonly string[];
  /** Methods that are after-restore callbacks themselves: CRaC's `afterRestore()`. */
  readonly methods: readonly string[];
}

/** A member chain rooted at a variable: `config.db.id` → root config, path ['db', 'id']. */
export function memberChain(node: TSESTree.Node): { root: TSESTree.Node; path: string[] } | undefined {
  const path: string[] = [];
  let current = unwrap(node);
  while (current.type === AST_NODE_TYPES.MemberExpression) {
    const name = memberPropertyName(current);
    if (name === undefined) return undefined;
    path.unshift(name);
    current = unwrap(current.object);
  }
  return { root: current, path };
}

/**
 * What after-restore hooks write: variables, member paths of variables, and properties of class
 * instances. A unique value stored in one of these is regenerated in every clone, so it is fine.
 */
export class RestoredTargets {
  private readonly variables = new Set<Variable>();
  private readonly memberPaths = new Map<Variable, Set<string>>();
  private readonly classProps = new Map<ClassNode, Set<string>>();
  private readonly objectProps = new Map<TSESTree.ObjectExpression, Set<string>>();

  constructor(
    facts: FileFacts,
    private readonly scopes: ScopeIndex,
    private readonly callables: CallableResolver,
    visitorKeys: TSESLint.SourceCode.VisitorKeys,
    names: HookNames,
  ) {
    const hookFns = new Set<FunctionNode>();
    const fnNames = new Set(names.functions);
    const methodNames = new Set(names.methods);
    for (const call of facts.calls) {
      const callee = unwrap(call.callee);
      const name =
        callee.type === AST_NODE_TYPES.Identifier
          ? callee.name
          : callee.type === AST_NODE_TYPES.MemberExpression
            ? memberPropertyName(callee)
            : undefined;
      if (name === undefined || !fnNames.has(name)) continue;
      for (const arg of call.arguments) {
        const fn = callables.resolve(arg);
        if (fn && isFunctionNode(fn)) hookFns.add(fn);
        // `register({ afterRestore() { … } })`: an object literal resource.
        const object = unwrap(arg);
        if (object.type === AST_NODE_TYPES.ObjectExpression) {
          for (const prop of object.properties) {
            if (prop.type === AST_NODE_TYPES.Property && methodNames.has(keyName(prop.key, prop.computed) ?? '')) {
              const value = unwrap(prop.value);
              if (isFunctionNode(value)) hookFns.add(value);
            }
          }
        }
      }
    }
    for (const units of facts.classesByUnit.values()) {
      for (const cls of units) {
        for (const member of cls.body.body) {
          if (
            member.type === AST_NODE_TYPES.MethodDefinition &&
            member.value.type === AST_NODE_TYPES.FunctionExpression &&
            methodNames.has(keyName(member.key, member.computed) ?? '')
          ) {
            hookFns.add(member.value);
          }
        }
      }
    }

    // Follow local calls made by hooks one level (`registerAfterRestore(() => refresh())`).
    const bodies = new Set<FunctionNode>(hookFns);
    for (const fn of hookFns) {
      walkSubtree(fn.body, visitorKeys, (node) => {
        if (node.type !== AST_NODE_TYPES.CallExpression) return;
        const target = callables.resolve(node.callee);
        if (target && isFunctionNode(target)) bodies.add(target);
      });
    }
    for (const fn of bodies) {
      walkSubtree(fn.body, visitorKeys, (node) => {
        if (node.type === AST_NODE_TYPES.AssignmentExpression) this.recordWrite(node.left);
      });
    }
  }

  isVariableRestored(variable: Variable): boolean {
    return this.variables.has(variable);
  }

  isMemberRestored(variable: Variable, path: readonly string[]): boolean {
    if (this.variables.has(variable)) return true;
    const paths = this.memberPaths.get(variable);
    if (!paths) return false;
    for (let k = 1; k <= path.length; k++) if (paths.has(path.slice(0, k).join('.'))) return true;
    return false;
  }

  isClassPropRestored(cls: ClassNode, prop: string): boolean {
    return this.classProps.get(cls)?.has(prop) ?? false;
  }

  isObjectPropRestored(object: TSESTree.ObjectExpression, prop: string): boolean {
    return this.objectProps.get(object)?.has(prop) ?? false;
  }

  private recordWrite(target: TSESTree.Node): void {
    const t = unwrap(target);
    if (t.type === AST_NODE_TYPES.Identifier) {
      const variable = this.scopes.variableOf(t);
      if (variable) this.variables.add(variable);
      return;
    }
    const chain = memberChain(t);
    if (!chain || chain.path.length === 0) return;
    if (chain.root.type === AST_NODE_TYPES.ThisExpression) {
      const ctx = this.callables.thisContext(unitOf(chain.root));
      const prop = chain.path[0]!;
      if (ctx?.kind === 'instance' || ctx?.kind === 'class') addTo(this.classProps, ctx.cls, prop);
      else if (ctx?.kind === 'object') addTo(this.objectProps, ctx.object, prop);
      return;
    }
    if (chain.root.type === AST_NODE_TYPES.Identifier) {
      const variable = this.scopes.variableOf(chain.root);
      if (variable) addTo(this.memberPaths, variable, chain.path.join('.'));
    }
  }
}

function addTo<K>(map: Map<K, Set<string>>, key: K, value: string): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}
