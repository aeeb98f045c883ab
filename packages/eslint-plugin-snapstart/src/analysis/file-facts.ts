// The analysis's one walk over a file (analyze.ts, after the text pre-filter): collects, per code
// unit, its calls and `new`s, the classes it declares, and the getters and reads of them, so the
// later steps (sources, init-regions, value-flow, restore-hooks) do not walk the AST again.
// See docs/analysis.md.
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { isFunctionNode, keyName, unitOf, type ClassNode, type CodeUnit } from './ast.js';

export type CallLike = TSESTree.CallExpression | TSESTree.NewExpression;

/** Keys that hold only types: nothing under them runs, so the walk skips them. */
const TYPE_ONLY_KEYS = new Set([
  'typeAnnotation',
  'typeParameters',
  'typeArguments',
  'returnType',
  'superTypeArguments',
  'implements',
]);
const TYPE_ONLY_NODES = new Set<string>([
  AST_NODE_TYPES.TSInterfaceDeclaration,
  AST_NODE_TYPES.TSTypeAliasDeclaration,
  AST_NODE_TYPES.TSDeclareFunction,
]);

/** What one walk over a file collects, grouped by the code unit each thing runs in. */
export interface FileFacts {
  readonly calls: readonly CallLike[];
  readonly callsByUnit: ReadonlyMap<CodeUnit, readonly CallLike[]>;
  readonly classesByUnit: ReadonlyMap<CodeUnit, readonly ClassNode[]>;
  /** Names of `get` accessors declared in the file (object literals and classes). */
  readonly getterNames: ReadonlySet<string>;
  /** `x.name` reads whose name is a getter's, by unit (only collected when the file has getters). */
  readonly getterReadsByUnit: ReadonlyMap<CodeUnit, readonly TSESTree.MemberExpression[]>;
  readonly unitOfNode: (node: TSESTree.Node) => CodeUnit;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** A `get` accessor may be declared in this text (`get name(`, `get [key](`, `get #name(`). */
export function mayDeclareGetters(text: string): boolean {
  return /\bget\s*(?:[#\w$]+\s*\(|\[)/.test(text);
}

/** `withGetters`: collect member reads for getter resolution (false when the text has no getter: saves the work). */
export function collectFileFacts(program: TSESTree.Program, visitorKeys: TSESLint.SourceCode.VisitorKeys, withGetters = true): FileFacts {
  const calls: CallLike[] = [];
  const callsByUnit = new Map<CodeUnit, CallLike[]>();
  const classesByUnit = new Map<CodeUnit, ClassNode[]>();
  const unitCache = new Map<TSESTree.Node, CodeUnit>();
  const getterNames = new Set<string>();
  const memberReads: Array<[TSESTree.MemberExpression, CodeUnit]> = [];

  // Iterative walk over two parallel stacks (no per-node allocation): files can nest deeply.
  const nodes: TSESTree.Node[] = [program];
  const units: CodeUnit[] = [program];
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const unit = units.pop()!;
    const type = node.type;
    if (TYPE_ONLY_NODES.has(type)) continue;
    if (type === AST_NODE_TYPES.CallExpression || type === AST_NODE_TYPES.NewExpression) {
      calls.push(node);
      push(callsByUnit, unit, node);
    } else if (type === AST_NODE_TYPES.ClassDeclaration || type === AST_NODE_TYPES.ClassExpression) {
      push(classesByUnit, unit, node);
    } else if (type === AST_NODE_TYPES.MemberExpression) {
      if (withGetters && !node.computed && node.property.type === AST_NODE_TYPES.Identifier) memberReads.push([node, unit]);
    } else if ((type === AST_NODE_TYPES.Property || type === AST_NODE_TYPES.MethodDefinition) && node.kind === 'get') {
      const key = keyName(node.key, node.computed);
      if (key !== undefined) getterNames.add(key);
    }
    const keys = visitorKeys[type];
    if (!keys) continue;
    const isFn = isFunctionNode(node);
    const record = node as unknown as Record<string, unknown>;
    for (const key of keys) {
      if (TYPE_ONLY_KEYS.has(key)) continue;
      const child = record[key];
      if (!child) continue;
      const childUnit: CodeUnit =
        (isFn && key !== 'id') ||
        type === AST_NODE_TYPES.StaticBlock ||
        (type === AST_NODE_TYPES.PropertyDefinition && key === 'value')
          ? (node)
          : unit;
      if (Array.isArray(child)) {
        for (let i = child.length - 1; i >= 0; i--) {
          const c = child[i] as TSESTree.Node | null;
          if (c && typeof c.type === 'string') {
            nodes.push(c);
            units.push(childUnit);
          }
        }
      } else if (typeof (child as TSESTree.Node).type === 'string') {
        nodes.push(child as TSESTree.Node);
        units.push(childUnit);
      }
    }
  }

  const getterReadsByUnit = new Map<CodeUnit, TSESTree.MemberExpression[]>();
  if (getterNames.size > 0) {
    for (const [member, unit] of memberReads) {
      const name = (member.property as TSESTree.Identifier).name;
      const parent = member.parent;
      // A read: not a call's callee (a method call) and not an assignment's target.
      if (!getterNames.has(name)) continue;
      if (parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === member) continue;
      if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.left === member) continue;
      push(getterReadsByUnit, unit, member);
    }
  }

  return {
    calls,
    callsByUnit,
    classesByUnit,
    getterNames,
    getterReadsByUnit,
    unitOfNode: (node) => {
      let unit = unitCache.get(node);
      if (!unit) {
        unit = unitOf(node);
        unitCache.set(node, unit);
      }
      return unit;
    },
  };
}

/** Walks a subtree (used for hook bodies), calling `visit` on every runtime node. */
export function walkSubtree(
  root: TSESTree.Node,
  visitorKeys: TSESLint.SourceCode.VisitorKeys,
  visit: (node: TSESTree.Node) => void,
): void {
  const stack: TSESTree.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (TYPE_ONLY_NODES.has(node.type)) continue;
    visit(node);
    const record = node as unknown as Record<string, unknown>;
    for (const key of visitorKeys[node.type] ?? []) {
      if (TYPE_ONLY_KEYS.has(key)) continue;
      const child = record[key];
      if (Array.isArray(child)) {
        for (const c of child as Array<TSESTree.Node | null>) if (c && typeof c.type === 'string') stack.push(c);
      } else if (child && typeof (child as TSESTree.Node).type === 'string') {
        stack.push(child as TSESTree.Node);
      }
    }
  }
}
