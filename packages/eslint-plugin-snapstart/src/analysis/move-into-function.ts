import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { isFunctionNode, isInside, unitName, unitOf, type FunctionNode } from './ast.js';
import { isGlobalVariable, isModuleLevel, type Variable } from './scope-index.js';

export interface MoveIntoFunction {
  readonly name: string;
  readonly target: string;
  readonly fix: (fixer: TSESLint.RuleFixer) => TSESLint.RuleFix[];
}

/**
 * "Move the creation into the handler": for `const x = <source>` at module scope whose every
 * read is in one function, move the declaration to the top of that function. Offered as a
 * suggestion (it changes behaviour: one value per invocation instead of one per snapshot), and
 * only where the moved expression still means the same thing inside the function.
 */
export function moveIntoFunction(
  sourceCode: Readonly<TSESLint.SourceCode>,
  variable: Variable | undefined,
  sourceNode: TSESTree.Node,
): MoveIntoFunction | undefined {
  if (!variable || !isModuleLevel(variable) || variable.defs.length !== 1) return undefined;
  const def = variable.defs[0]!;
  if (String(def.type) !== 'Variable') return undefined;
  const declarator = def.node as TSESTree.VariableDeclarator;
  const declaration = declarator.parent;
  if (
    declarator.id.type !== AST_NODE_TYPES.Identifier ||
    !declarator.init ||
    !isInside(sourceNode, declarator.init) ||
    declaration.declarations.length !== 1 ||
    declaration.parent?.type !== AST_NODE_TYPES.Program
  ) {
    return undefined;
  }
  let target: FunctionNode | undefined;
  for (const ref of variable.references) {
    if (ref.init) continue;
    if (ref.isWrite()) return undefined;
    const unit = unitOf(ref.identifier);
    if (!isFunctionNode(unit) || (target && unit !== target)) return undefined;
    target = unit;
  }
  if (!target || target.body.type !== AST_NODE_TYPES.BlockStatement) return undefined;

  // Every name the initializer uses must resolve the same way inside the target function.
  const scopeManager = sourceCode.scopeManager;
  if (!scopeManager) return undefined;
  const innerNames = new Set<string>();
  for (const scope of scopeManager.scopes) {
    if (isInside(scope.block, target)) for (const name of scope.set.keys()) innerNames.add(name);
  }
  if (innerNames.has(variable.name)) return undefined;
  for (const scope of scopeManager.scopes) {
    for (const ref of scope.references) {
      if (!isInside(ref.identifier, declarator.init)) continue;
      const resolved: Variable | null = ref.resolved;
      if (resolved && !isGlobalVariable(resolved) && !isModuleLevel(resolved)) return undefined;
      if (innerNames.has(ref.identifier.name)) return undefined;
    }
  }

  const body = target.body;
  const first = body.body[0];
  const lines = sourceCode.lines;
  const leading = (lineNo: number): string => (lines[lineNo - 1] ?? '').match(/^\s*/)?.[0] ?? '';
  // Match the body's own indentation when it starts on a line of its own.
  const indent =
    first && first.loc.start.line !== body.loc.start.line
      ? leading(first.loc.start.line)
      : `${leading(body.loc.start.line)}  `;
  const text = `${declaration.kind} ${sourceCode.getText(declarator)};`;
  const fn = target;
  let removeEnd = declaration.range[1];
  if (sourceCode.text[removeEnd] === '\n') removeEnd += 1;
  return {
    name: variable.name,
    target: unitName(fn),
    fix: (fixer) => [
      fixer.removeRange([declaration.range[0], removeEnd]),
      fixer.insertTextAfterRange([body.range[0], body.range[0] + 1], `\n${indent}${text}`),
    ],
  };
}
