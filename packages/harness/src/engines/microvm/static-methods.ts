import ts from 'typescript';

/**
 * Class semantics define static methods (like Object.defineProperty); TypeScript's ES5 output
 * assigns them (`C[Symbol.hasInstance] = function …`). Assigning fails in strict code when the
 * name is a non-writable property C inherits from Function.prototype: `Symbol.hasInstance`
 * (which @smithy/core's schemas define), `name` and `length`. This transformer turns such static
 * methods into static blocks that define the property, which TypeScript then lowers correctly.
 */
function shadowsFunctionPrototype(name: ts.PropertyName): boolean {
  if (ts.isComputedPropertyName(name)) {
    const e = name.expression;
    return ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'Symbol' && e.name.text === 'hasInstance';
  }
  return (ts.isIdentifier(name) || ts.isStringLiteral(name)) && (name.text === 'name' || name.text === 'length');
}

export function definedStaticMethods(context: ts.TransformationContext): (sf: ts.SourceFile) => ts.SourceFile {
  const f = context.factory;
  const isStatic = (m: ts.ClassElement): boolean => (ts.canHaveModifiers(m) ? (ts.getModifiers(m) ?? []).some((x) => x.kind === ts.SyntaxKind.StaticKeyword) : false);
  const rewrite = (member: ts.ClassElement): ts.ClassElement => {
    if (!ts.isMethodDeclaration(member) || !member.body || !isStatic(member) || !shadowsFunctionPrototype(member.name)) return member;
    const key = ts.isComputedPropertyName(member.name) ? member.name.expression : f.createStringLiteral((member.name as ts.Identifier | ts.StringLiteral).text);
    const asyncOnly = (ts.getModifiers(member) ?? []).filter((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
    const fn = f.createFunctionExpression(asyncOnly, member.asteriskToken, undefined, undefined, member.parameters, undefined, member.body);
    const define = f.createCallExpression(f.createPropertyAccessExpression(f.createIdentifier('Object'), 'defineProperty'), undefined, [
      f.createThis(),
      key,
      f.createObjectLiteralExpression([
        f.createPropertyAssignment('value', fn),
        f.createPropertyAssignment('writable', f.createTrue()),
        f.createPropertyAssignment('configurable', f.createTrue()),
      ]),
    ]);
    return f.createClassStaticBlockDeclaration(f.createBlock([f.createExpressionStatement(define)], true));
  };
  const visit = (node: ts.Node): ts.Node => {
    const next = ts.visitEachChild(node, visit, context);
    if (ts.isClassDeclaration(next) && next.members.some((m) => rewrite(m) !== m)) {
      return f.updateClassDeclaration(next, ts.getModifiers(next), next.name, next.typeParameters, next.heritageClauses, next.members.map(rewrite));
    }
    if (ts.isClassExpression(next) && next.members.some((m) => rewrite(m) !== m)) {
      return f.updateClassExpression(next, ts.getModifiers(next), next.name, next.typeParameters, next.heritageClauses, next.members.map(rewrite));
    }
    return next;
  };
  return (sf) => ts.visitNode(sf, visit) as ts.SourceFile;
}
