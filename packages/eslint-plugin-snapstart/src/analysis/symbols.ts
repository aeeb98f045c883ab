// What an expression statically denotes (`crypto.randomUUID` via import, require, destructuring or
// an alias, `Math.random` via the global object) as one symbol key, so sources.ts can match calls
// against the source catalogue whatever the spelling. Built on scope-index.ts.
// See docs/analysis.md and docs/sources.md.
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { memberPropertyName, patternPath, unwrap } from './ast.js';
import { isGlobalVariable, isNeverReassigned, type ScopeIndex, type Variable } from './scope-index.js';

/**
 * What an expression statically denotes: a path under a module's exports (`module:crypto` +
 * ['randomUUID']) or under the global object (`global` + ['Math', 'random']). A call adds '()'.
 */
export interface SymbolRef {
  readonly root: string;
  readonly path: readonly string[];
}

const GLOBAL_OBJECT_NAMES = new Set(['globalThis', 'window', 'self', 'global']);
const MAX_DEPTH = 12;
export const CALL = '()';

export function symbolKey(ref: SymbolRef): string {
  return `${ref.root}:${ref.path.join('.')}`;
}

export function moduleRoot(specifier: string): string {
  return `module:${specifier.startsWith('node:') ? specifier.slice(5) : specifier}`;
}

/** Folds equivalent spellings onto one key: `require('crypto').webcrypto` is the global `crypto`. */
function normalize(ref: SymbolRef): SymbolRef {
  let { root, path } = ref;
  if (root === 'global') {
    let start = 0;
    while (start < path.length - 1 && GLOBAL_OBJECT_NAMES.has(path[start]!)) start++;
    if (start > 0) path = path.slice(start);
  } else if (root === 'module:crypto' && path[0] === 'webcrypto') {
    root = 'global';
    path = ['crypto', ...path.slice(1)];
  } else if (root === 'module:perf_hooks' && path[0] === 'performance') {
    root = 'global';
  } else if (root === 'module:process') {
    root = 'global';
    path = ['process', ...path];
  }
  return { root, path };
}

function extend(base: SymbolRef | undefined, ...more: string[]): SymbolRef | undefined {
  return base ? normalize({ root: base.root, path: [...base.path, ...more] }) : undefined;
}

function stringLiteral(node: TSESTree.Node | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === AST_NODE_TYPES.Literal && typeof node.value === 'string') return node.value;
  if (node.type === AST_NODE_TYPES.TemplateLiteral && node.expressions.length === 0) return node.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

export class SymbolResolver {
  constructor(private readonly scopes: ScopeIndex) {}

  resolve(node: TSESTree.Node, depth = 0): SymbolRef | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const n = unwrap(node);
    switch (n.type) {
      case AST_NODE_TYPES.Identifier: {
        const variable = this.scopes.variableOf(n);
        if (variable === undefined) return undefined;
        if (variable === null) return normalize({ root: 'global', path: [n.name] });
        return this.resolveVariable(variable, depth + 1);
      }
      case AST_NODE_TYPES.MemberExpression: {
        const name = memberPropertyName(n);
        return name === undefined ? undefined : extend(this.resolve(n.object, depth + 1), name);
      }
      case AST_NODE_TYPES.CallExpression: {
        const required = this.requiredModule(n);
        if (required) return { root: moduleRoot(required), path: [] };
        // `Date.now.bind(Date)` denotes the same function as `Date.now`.
        const callee = unwrap(n.callee);
        if (callee.type === AST_NODE_TYPES.MemberExpression && memberPropertyName(callee) === 'bind') {
          return this.resolve(callee.object, depth + 1);
        }
        return extend(this.resolve(n.callee, depth + 1), CALL);
      }
      case AST_NODE_TYPES.NewExpression:
        return extend(this.resolve(n.callee, depth + 1), CALL);
      case AST_NODE_TYPES.ImportExpression: {
        const specifier = stringLiteral(n.source);
        return specifier === undefined ? undefined : { root: moduleRoot(specifier), path: [] };
      }
      case AST_NODE_TYPES.AwaitExpression:
        // `await import('node:crypto')` is the module namespace.
        return unwrap(n.argument).type === AST_NODE_TYPES.ImportExpression ? this.resolve(n.argument, depth + 1) : undefined;
      default:
        return undefined;
    }
  }

  /** `require('x')` with a literal specifier and an unshadowed `require`. */
  requiredModule(call: TSESTree.CallExpression): string | undefined {
    const callee = unwrap(call.callee);
    if (callee.type !== AST_NODE_TYPES.Identifier || callee.name !== 'require') return undefined;
    const variable = this.scopes.variableOf(callee);
    if (variable && !isGlobalVariable(variable)) return undefined;
    return stringLiteral(call.arguments[0]);
  }

  resolveVariable(variable: Variable, depth: number): SymbolRef | undefined {
    if (isGlobalVariable(variable)) return normalize({ root: 'global', path: [variable.name] });
    if (variable.defs.length !== 1) return undefined;
    const def = variable.defs[0]!;
    switch (String(def.type)) {
      case 'ImportBinding':
        return this.importBinding(def.node);
      case 'Variable': {
        const declarator = def.node as TSESTree.VariableDeclarator;
        if (!declarator.init || !isNeverReassigned(variable)) return undefined;
        const path = patternPath(declarator.id, def.name as TSESTree.Identifier);
        if (!path) return undefined;
        const base = this.resolve(declarator.init, depth + 1);
        return path.length === 0 ? base : extend(base, ...path);
      }
      default:
        return undefined;
    }
  }

  private importBinding(node: TSESTree.Node): SymbolRef | undefined {
    switch (node.type) {
      case AST_NODE_TYPES.ImportSpecifier: {
        const declaration = node.parent as TSESTree.ImportDeclaration;
        const imported = node.imported.type === AST_NODE_TYPES.Identifier ? node.imported.name : String(node.imported.value);
        const root = moduleRoot(declaration.source.value);
        // A CommonJS module's default export is its `module.exports`: treat it as the namespace.
        return normalize({ root, path: imported === 'default' ? [] : [imported] });
      }
      case AST_NODE_TYPES.ImportDefaultSpecifier:
      case AST_NODE_TYPES.ImportNamespaceSpecifier: {
        const declaration = node.parent;
        return { root: moduleRoot(declaration.source.value), path: [] };
      }
      case AST_NODE_TYPES.TSImportEqualsDeclaration: {
        const ref = node.moduleReference;
        if (ref.type === AST_NODE_TYPES.TSExternalModuleReference) {
          const specifier = stringLiteral(ref.expression);
          if (specifier !== undefined) return { root: moduleRoot(specifier), path: [] };
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }
}
