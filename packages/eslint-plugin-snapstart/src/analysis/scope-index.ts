import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

export type Variable = TSESLint.Scope.Variable;
export type Reference = TSESLint.Scope.Reference;
type Scope = TSESLint.Scope.Scope;

/**
 * Lookups over ESLint's scope manager: which variable an identifier refers to or declares.
 * Built lazily, one scope at a time: most files need a handful of lookups, and indexing every
 * reference of every file up front showed up as allocation and GC time in the benchmark.
 * Works with typescript-eslint's scope manager and with eslint-scope (espree).
 */
export class ScopeIndex {
  private readonly refsByScope = new Map<Scope, Map<TSESTree.Node, Reference>>();

  constructor(private readonly sourceCode: Readonly<TSESLint.SourceCode>) {}

  private scopeOf(node: TSESTree.Node): Scope {
    return this.sourceCode.getScope(node);
  }

  reference(id: TSESTree.Identifier): Reference | undefined {
    // An identifier's reference lives in the innermost scope around it, or (for a class or
    // function name, or a parameter default) in an enclosing one.
    for (let scope: Scope | null = this.scopeOf(id); scope; scope = scope.upper) {
      let refs = this.refsByScope.get(scope);
      if (!refs) {
        refs = new Map();
        for (const ref of scope.references) refs.set(ref.identifier, ref);
        this.refsByScope.set(scope, refs);
      }
      const ref = refs.get(id);
      if (ref) return ref;
    }
    return undefined;
  }

  /** The variable an identifier refers to or declares; null for an unresolved (global) name. */
  variableOf(id: TSESTree.Identifier): Variable | null | undefined {
    const declared = this.declaredVariable(id);
    if (declared) return declared;
    const ref = this.reference(id);
    return ref ? ref.resolved : undefined;
  }

  declaredVariable(id: TSESTree.Identifier): Variable | undefined {
    for (let scope: Scope | null = this.scopeOf(id); scope; scope = scope.upper) {
      const variable = scope.set.get(id.name);
      if (variable && variable.identifiers.includes(id)) return variable;
      // A class's inner name binding lives in the class scope; keep looking outward.
    }
    return undefined;
  }
}

/** True for variables that live as long as the module: top level of the file or of a TS namespace. */
export function isModuleLevel(variable: Variable): boolean {
  const block = variable.scope.variableScope.block;
  return block.type === AST_NODE_TYPES.Program || block.type === AST_NODE_TYPES.TSModuleDeclaration;
}

/** A binding that is written only by its declaration (so an alias we can see through). */
export function isNeverReassigned(variable: Variable): boolean {
  return variable.references.every((ref) => !ref.isWrite() || ref.init === true);
}

export function isGlobalVariable(variable: Variable): boolean {
  return variable.defs.length === 0;
}
