import { INFRASTRUCTURE_MODULES, isTestPath, moduleMatches } from '@snapstart/core';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { isAbsolute, relative } from 'node:path';
import { keyName, unwrap } from './ast.js';

/** Why a file is not code that runs in a function's init, if it is not. */
export type NotFunctionCode = 'test' | 'script' | 'cli' | 'infrastructure';

/**
 * Files that never run inside a snapshotted function: tests (under any ESLint config), scripts with
 * a shebang, CLI entry points (`require.main === module`) that export nothing — a handler module
 * (whatever its handler is called) may also be runnable from a shell —, and CDK/Pulumi/SST apps
 * that export no handler.
 */
export function notFunctionCode(
  program: TSESTree.Program,
  text: string,
  location: { readonly filename?: string | undefined; readonly cwd?: string | undefined },
  options: { readonly handlerNames: readonly string[]; readonly tests: boolean },
): NotFunctionCode | undefined {
  const { filename, cwd } = location;
  const handlerNames = options.handlerNames;
  if (filename && !filename.startsWith('<') && !options.tests) {
    const rel = cwd && isAbsolute(filename) ? relative(cwd, filename) : filename;
    if (!rel.startsWith('..') && isTestPath(rel)) return 'test';
  }
  if (text.startsWith('#!')) return 'script';
  const infrastructure = importsInfrastructure(program);
  const cli = !infrastructure && /\brequire\.main\s*===?\s*module\b|\bmodule\s*===?\s*require\.main\b|\bimport\.meta\.main\b/.test(text);
  if (infrastructure) return exportsHandler(program, new Set(handlerNames)) ? undefined : 'infrastructure';
  if (cli) return exportsAnything(program) ? undefined : 'cli';
  return undefined;
}

function isInfrastructure(specifier: string): boolean {
  return INFRASTRUCTURE_MODULES.some((p) => moduleMatches(p, specifier));
}

function importsInfrastructure(program: TSESTree.Program): boolean {
  for (const stmt of program.body) {
    if (stmt.type === AST_NODE_TYPES.ImportDeclaration && isInfrastructure(stmt.source.value)) return true;
    if (stmt.type === AST_NODE_TYPES.VariableDeclaration) {
      for (const d of stmt.declarations) {
        const init = d.init ? unwrap(d.init) : undefined;
        if (
          init?.type === AST_NODE_TYPES.CallExpression &&
          init.callee.type === AST_NODE_TYPES.Identifier &&
          init.callee.name === 'require' &&
          init.arguments[0]?.type === AST_NODE_TYPES.Literal &&
          typeof init.arguments[0].value === 'string' &&
          isInfrastructure(init.arguments[0].value)
        ) {
          return true;
        }
      }
    }
  }
  return false;
}

function isFunctionValue(node: TSESTree.Node): boolean {
  const n = unwrap(node);
  return n.type === AST_NODE_TYPES.ArrowFunctionExpression || n.type === AST_NODE_TYPES.FunctionExpression || n.type === AST_NODE_TYPES.FunctionDeclaration || n.type === AST_NODE_TYPES.Identifier || n.type === AST_NODE_TYPES.CallExpression;
}

/** Any ESM export, or any assignment to `module.exports`/`exports`. */
function exportsAnything(program: TSESTree.Program): boolean {
  return program.body.some((stmt) => {
    if (stmt.type === AST_NODE_TYPES.ExportNamedDeclaration || stmt.type === AST_NODE_TYPES.ExportDefaultDeclaration || stmt.type === AST_NODE_TYPES.ExportAllDeclaration) return true;
    if (stmt.type !== AST_NODE_TYPES.ExpressionStatement || stmt.expression.type !== AST_NODE_TYPES.AssignmentExpression) return false;
    const left = stmt.expression.left;
    if (left.type !== AST_NODE_TYPES.MemberExpression) return false;
    const root = left.object.type === AST_NODE_TYPES.MemberExpression ? left.object.object : left.object;
    return root.type === AST_NODE_TYPES.Identifier && (root.name === 'exports' || root.name === 'module');
  });
}

/** `export const handler`, `export { x as handler }`, `export default fn`, `exports.handler =`, `module.exports = { handler }`. */
function exportsHandler(program: TSESTree.Program, names: ReadonlySet<string>): boolean {
  for (const stmt of program.body) {
    if (stmt.type === AST_NODE_TYPES.ExportNamedDeclaration) {
      const d = stmt.declaration;
      if (d?.type === AST_NODE_TYPES.FunctionDeclaration && d.id && names.has(d.id.name)) return true;
      if (d?.type === AST_NODE_TYPES.VariableDeclaration && d.declarations.some((v) => v.id.type === AST_NODE_TYPES.Identifier && names.has(v.id.name))) return true;
      if (stmt.specifiers.some((s) => names.has(keyName(s.exported, false) ?? ''))) return true;
    }
    if (stmt.type === AST_NODE_TYPES.ExportDefaultDeclaration && isFunctionValue(stmt.declaration)) return true;
    if (stmt.type !== AST_NODE_TYPES.ExpressionStatement || stmt.expression.type !== AST_NODE_TYPES.AssignmentExpression) continue;
    const { left, right } = stmt.expression;
    if (left.type !== AST_NODE_TYPES.MemberExpression) continue;
    const prop = keyName(left.property, left.computed);
    const object = left.object;
    const isExports = (n: TSESTree.Node): boolean =>
      (n.type === AST_NODE_TYPES.Identifier && n.name === 'exports') ||
      (n.type === AST_NODE_TYPES.MemberExpression && n.object.type === AST_NODE_TYPES.Identifier && n.object.name === 'module' && keyName(n.property, n.computed) === 'exports');
    if (isExports(object) && prop !== undefined && names.has(prop)) return true;
    if (isExports(left)) {
      const value = unwrap(right);
      if (value.type === AST_NODE_TYPES.ObjectExpression) {
        if (value.properties.some((p) => p.type === AST_NODE_TYPES.Property && names.has(keyName(p.key, p.computed) ?? ''))) return true;
      } else if (isFunctionValue(value)) {
        return true;
      }
    }
  }
  return false;
}
