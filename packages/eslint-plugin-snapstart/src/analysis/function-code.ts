import { INFRASTRUCTURE_MODULES, isTestPath, moduleMatches } from '@snapstart/core';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { isAbsolute, relative, resolve } from 'node:path';
import { keyName, unwrap } from './ast.js';
import type { HandlerFile } from './options.js';

/** Why a file is not code that runs in a function's init, if it is not. */
export type NotFunctionCode = 'test' | 'script' | 'cli' | 'infrastructure';

type Location = { readonly filename?: string | undefined; readonly cwd?: string | undefined };

/** What the repository says about files (snapstart-scan reads it from CI and deployment descriptors). */
interface RepositoryFacts {
  readonly scriptFiles: readonly string[];
  readonly handlerFiles: readonly HandlerFile[];
}

/** The file's absolute path, when it has a real one. */
function absoluteOf(location: Location): string | undefined {
  const { filename, cwd } = location;
  if (!filename || filename.startsWith('<')) return undefined;
  return isAbsolute(filename) ? filename : cwd ? resolve(cwd, filename) : undefined;
}

function samePath(entry: string, abs: string, cwd: string | undefined): boolean {
  return (isAbsolute(entry) ? entry : cwd ? resolve(cwd, entry) : entry) === abs;
}

/** The exported handler a deployment descriptor names in this file, if one does. */
export function descriptorHandler(location: Location, facts: RepositoryFacts): string | undefined {
  if (facts.handlerFiles.length === 0) return undefined;
  const abs = absoluteOf(location);
  return abs === undefined ? undefined : facts.handlerFiles.find((h) => samePath(h.file, abs, location.cwd))?.handler;
}

/**
 * Named like a benchmark or a hand-run script: `bench.js`, `benchmark.mjs`, `x.bench.ts`, anything
 * under a `bench/`, `benchmark(s)/` or `scripts/` folder.
 */
function namedLikeScript(relPath: string): boolean {
  const parts = relPath.split(/[\\/]/);
  const base = parts.at(-1) ?? '';
  if (/^bench(?:mark)?s?\.[cm]?[jt]sx?$/.test(base) || /\.bench(?:mark)?\.[cm]?[jt]sx?$/.test(base)) return true;
  return parts.slice(0, -1).some((d) => /^(?:bench(?:mark)?s?|scripts)$/.test(d));
}

/**
 * Files that never run inside a snapshotted function: tests (under any ESLint config), scripts with
 * a shebang, files the repository runs as scripts (`scriptFiles`: CI steps, package.json scripts),
 * files named like benchmarks or scripts that export no handler, CLI entry points
 * (`require.main === module`) that export nothing — a handler module (whatever its handler is
 * called) may also be runnable from a shell —, and CDK/Pulumi/SST apps that export no handler.
 * A file a deployment descriptor names as a handler (`handlerFiles`) is function code, whatever
 * its name or shape (tests excepted).
 */
export function notFunctionCode(
  program: TSESTree.Program,
  text: string,
  location: Location,
  options: { readonly handlerNames: readonly string[]; readonly tests: boolean } & RepositoryFacts,
): NotFunctionCode | undefined {
  const { filename, cwd } = location;
  const handlerNames = options.handlerNames;
  const rel = filename && !filename.startsWith('<') ? (cwd && isAbsolute(filename) ? relative(cwd, filename) : filename) : undefined;
  if (rel !== undefined && !options.tests && !rel.startsWith('..') && isTestPath(rel)) return 'test';
  if (descriptorHandler(location, options) !== undefined) return undefined;
  const abs = absoluteOf(location);
  if (abs !== undefined && options.scriptFiles.some((s) => samePath(s, abs, cwd))) return 'script';
  if (text.startsWith('#!')) return 'script';
  if (rel !== undefined && namedLikeScript(rel) && !exportsHandler(program, new Set(handlerNames))) return 'script';
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
