import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

export type Variable = TSESLint.Scope.Variable;
export type Reference = TSESLint.Scope.Reference;

/**
 * Constant-time lookups over ESLint's scope manager: which reference an identifier is, and which
 * variable a declaring identifier declares. Works with typescript-eslint's scope manager and with
 * eslint-scope (espree), whose shapes agree on everything used here.
 */
export class ScopeIndex {
  private readonly refs = new Map<TSESTree.Identifier | TSESTree.JSXIdentifier, Reference>();
  private readonly decls = new Map<TSESTree.Node, Variable>();

  constructor(scopeManager: TSESLint.Scope.ScopeManager) {
    for (const scope of scopeManager.scopes) {
      for (const ref of scope.references) this.refs.set(ref.identifier, ref);
      for (const variable of scope.variables) {
        for (const id of variable.identifiers) this.decls.set(id, variable);
      }
    }
  }

  reference(id: TSESTree.Node): Reference | undefined {
    return id.type === AST_NODE_TYPES.Identifier ? this.refs.get(id) : undefined;
  }

  /** The variable an identifier refers to or declares; null for an unresolved (global) name. */
  variableOf(id: TSESTree.Identifier): Variable | null | undefined {
    const declared = this.decls.get(id);
    if (declared) return declared;
    const ref = this.refs.get(id);
    if (!ref) return undefined;
    return ref.resolved;
  }

  declaredVariable(id: TSESTree.Identifier): Variable | undefined {
    return this.decls.get(id);
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
