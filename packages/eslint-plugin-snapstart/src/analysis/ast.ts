// AST vocabulary the whole analysis shares: code units (module body, function, static block,
// field initializer), unwrapping of value-preserving wrappers, static member and key names, and
// destructuring-pattern paths. Pure helpers over typescript-estree nodes, used by every step of
// analyze.ts. See docs/analysis.md.
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';

export type FunctionNode =
  | TSESTree.FunctionDeclaration
  | TSESTree.FunctionExpression
  | TSESTree.ArrowFunctionExpression;

export type ClassNode = TSESTree.ClassDeclaration | TSESTree.ClassExpression;

/**
 * A unit of code that runs as a whole when it runs: the module body, a function body, a static
 * block, or one class field initializer. Init analysis decides, per unit, whether it runs at init.
 */
export type CodeUnit = TSESTree.Program | FunctionNode | TSESTree.StaticBlock | TSESTree.PropertyDefinition;

export function isFunctionNode(node: TSESTree.Node): node is FunctionNode {
  return (
    node.type === AST_NODE_TYPES.FunctionDeclaration ||
    node.type === AST_NODE_TYPES.FunctionExpression ||
    node.type === AST_NODE_TYPES.ArrowFunctionExpression
  );
}

export function isClassNode(node: TSESTree.Node): node is ClassNode {
  return node.type === AST_NODE_TYPES.ClassDeclaration || node.type === AST_NODE_TYPES.ClassExpression;
}

/** Strips wrappers that do not change the value: TS assertions, `!`, optional chains. */
export function unwrap(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  for (;;) {
    switch (current.type) {
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSSatisfiesExpression:
      case AST_NODE_TYPES.TSNonNullExpression:
      case AST_NODE_TYPES.TSTypeAssertion:
      case AST_NODE_TYPES.TSInstantiationExpression:
        current = current.expression;
        break;
      case AST_NODE_TYPES.ChainExpression:
        current = current.expression;
        break;
      default:
        return current;
    }
  }
}

/** The static name of a member's property (`a.b`, `a['b']`), or undefined when computed. */
export function memberPropertyName(node: TSESTree.MemberExpression): string | undefined {
  if (!node.computed && node.property.type === AST_NODE_TYPES.Identifier) return node.property.name;
  if (node.computed && node.property.type === AST_NODE_TYPES.Literal && typeof node.property.value === 'string') {
    return node.property.value;
  }
  if (node.property.type === AST_NODE_TYPES.PrivateIdentifier) return `#${node.property.name}`;
  return undefined;
}

/** Static name of an object/class member key. */
export function keyName(key: TSESTree.Node, computed: boolean): string | undefined {
  if (!computed && key.type === AST_NODE_TYPES.Identifier) return key.name;
  if (key.type === AST_NODE_TYPES.PrivateIdentifier) return `#${key.name}`;
  if (key.type === AST_NODE_TYPES.Literal && (typeof key.value === 'string' || typeof key.value === 'number')) {
    return String(key.value);
  }
  return undefined;
}

/** The code unit a node executes in. */
export function unitOf(node: TSESTree.Node): CodeUnit {
  let child: TSESTree.Node = node;
  let parent = node.parent;
  while (parent) {
    if (isFunctionNode(parent)) {
      // Parameters and the body both run when the function is called; the name does not.
      if (child !== parent.id) return parent;
    } else if (parent.type === AST_NODE_TYPES.StaticBlock) {
      return parent;
    } else if (parent.type === AST_NODE_TYPES.PropertyDefinition && child === parent.value) {
      return parent;
    }
    child = parent;
    parent = parent.parent;
  }
  return child as TSESTree.Program;
}

/** Class a unit belongs to as a member (constructor, method, field, static block), if any. */
export function classOfMember(unit: CodeUnit): { cls: ClassNode; isStatic: boolean; member: TSESTree.Node } | undefined {
  if (unit.type === AST_NODE_TYPES.StaticBlock) {
    return { cls: unit.parent.parent, isStatic: true, member: unit };
  }
  if (unit.type === AST_NODE_TYPES.PropertyDefinition) {
    return { cls: unit.parent.parent, isStatic: unit.static, member: unit };
  }
  if (unit.type === AST_NODE_TYPES.FunctionExpression) {
    const member = unit.parent;
    if (member?.type === AST_NODE_TYPES.MethodDefinition && member.value === unit) {
      return { cls: member.parent.parent, isStatic: member.static, member };
    }
  }
  return undefined;
}

export function constructorOf(cls: ClassNode): TSESTree.FunctionExpression | undefined {
  for (const member of cls.body.body) {
    if (member.type === AST_NODE_TYPES.MethodDefinition && member.kind === 'constructor') {
      return member.value.type === AST_NODE_TYPES.FunctionExpression ? member.value : undefined;
    }
  }
  return undefined;
}

export function className(cls: ClassNode): string {
  if (cls.id) return cls.id.name;
  const parent = cls.parent;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier) {
    return parent.id.name;
  }
  return '(anonymous class)';
}

/** A readable name for a unit: `init`, `Svc.constructor`, `static block of Foo`, `module scope`. */
export function unitName(unit: CodeUnit): string {
  switch (unit.type) {
    case AST_NODE_TYPES.Program:
      return 'module scope';
    case AST_NODE_TYPES.StaticBlock:
      return `static block of \`${className(unit.parent.parent)}\``;
    case AST_NODE_TYPES.PropertyDefinition: {
      const cls = className(unit.parent.parent);
      const name = keyName(unit.key, unit.computed) ?? '[computed]';
      return `field initializer \`${cls}.${name}\``;
    }
    default:
      return `\`${functionName(unit)}\``;
  }
}

export function functionName(fn: FunctionNode): string {
  if (fn.type !== AST_NODE_TYPES.ArrowFunctionExpression && fn.id) return fn.id.name;
  const parent = fn.parent;
  if (!parent) return '(anonymous function)';
  if (parent.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier) {
    return parent.id.name;
  }
  if (parent.type === AST_NODE_TYPES.MethodDefinition) {
    const cls = className(parent.parent.parent);
    return `${cls}.${keyName(parent.key, parent.computed) ?? '[computed]'}`;
  }
  if (parent.type === AST_NODE_TYPES.Property) return keyName(parent.key, parent.computed) ?? '(anonymous function)';
  if (parent.type === AST_NODE_TYPES.PropertyDefinition) return keyName(parent.key, parent.computed) ?? '(anonymous function)';
  if (parent.type === AST_NODE_TYPES.AssignmentExpression) {
    const left = parent.left;
    if (left.type === AST_NODE_TYPES.Identifier) return left.name;
    if (left.type === AST_NODE_TYPES.MemberExpression) return memberPropertyName(left) ?? '(anonymous function)';
  }
  if (parent.type === AST_NODE_TYPES.ExportDefaultDeclaration) return 'default export';
  return '(anonymous function)';
}

/**
 * The leaves a pattern writes to (`{ a, b: [c.x] }` → a, c.x): identifiers in declarations, also
 * member expressions in assignments.
 */
export function patternTargets(pattern: TSESTree.Node, out: TSESTree.Node[] = []): TSESTree.Node[] {
  switch (pattern.type) {
    case AST_NODE_TYPES.ObjectPattern:
      for (const prop of pattern.properties) patternTargets(prop.type === AST_NODE_TYPES.RestElement ? prop.argument : prop.value, out);
      break;
    case AST_NODE_TYPES.ArrayPattern:
      for (const element of pattern.elements) if (element) patternTargets(element, out);
      break;
    case AST_NODE_TYPES.RestElement:
      patternTargets(pattern.argument, out);
      break;
    case AST_NODE_TYPES.AssignmentPattern:
      patternTargets(pattern.left, out);
      break;
    case AST_NODE_TYPES.TSParameterProperty:
      patternTargets(pattern.parameter, out);
      break;
    default:
      out.push(pattern);
  }
  return out;
}

/** Identifiers bound by a declaration pattern (`{ a, b: [c] }` → a, c). */
export function patternIdentifiers(pattern: TSESTree.Node): TSESTree.Identifier[] {
  return patternTargets(pattern).filter((n): n is TSESTree.Identifier => n.type === AST_NODE_TYPES.Identifier);
}

/**
 * The property path from a destructuring pattern's root to `target`:
 * `{ webcrypto: { subtle } }` → ['webcrypto', 'subtle']. Undefined when not a plain object path.
 */
export function patternPath(pattern: TSESTree.Node, target: TSESTree.Identifier): string[] | undefined {
  if (pattern === target) return [];
  if (pattern.type === AST_NODE_TYPES.AssignmentPattern) return patternPath(pattern.left, target);
  if (pattern.type !== AST_NODE_TYPES.ObjectPattern) return undefined;
  for (const prop of pattern.properties) {
    if (prop.type !== AST_NODE_TYPES.Property) continue;
    const name = keyName(prop.key, prop.computed);
    if (name === undefined) continue;
    const rest = patternPath(prop.value, target);
    if (rest) return [name, ...rest];
  }
  return undefined;
}

export function isInside(node: TSESTree.Node, ancestor: TSESTree.Node): boolean {
  return node.range[0] >= ancestor.range[0] && node.range[1] <= ancestor.range[1];
}
