import type { JClass, JExpr, JStmt } from './types.js';

/**
 * The one walker over the compact model. `intoAnonymous` also walks the bodies of anonymous
 * classes created inside (their code belongs to the same source region).
 */
export function forEachExprIn(
  body: readonly JStmt[],
  visit: (e: JExpr) => void,
  intoAnonymous = true,
): void {
  const walk = (e: JExpr | undefined): void => {
    if (!e) return;
    visit(e);
    switch (e.k) {
      case 'call':
        walk(e.target);
        e.args.forEach(walk);
        break;
      case 'new':
        e.args.forEach(walk);
        if (e.anonymous && intoAnonymous) forEachExpr(e.anonymous, (inner) => visit(inner));
        break;
      case 'field':
        walk(e.target);
        break;
      case 'assign':
        walk(e.target);
        walk(e.value);
        break;
      case 'op':
        e.args.forEach(walk);
        break;
      case 'lambda':
        e.body.forEach((s) => walk(s.k === 'local' ? s.init : s.e));
        break;
      default:
        break;
    }
  };
  for (const s of body) walk(s.k === 'local' ? s.init : s.e);
}

/** Every expression of a class (initializers, methods, constructors), with the class it belongs to. */
export function forEachExpr(cls: JClass, visit: (e: JExpr, owner: JClass) => void): void {
  const inClass = (e: JExpr): void => visit(e, cls);
  const nested = (e: JExpr): void => {
    if (e.k === 'new' && e.anonymous) forEachExpr(e.anonymous, visit);
  };
  const both = (e: JExpr): void => {
    inClass(e);
    nested(e);
  };
  // Anonymous classes are walked with their own class as owner, not this one.
  forEachExprIn(cls.fields.flatMap((f) => (f.init ? [{ k: 'expr', e: f.init }] : [])), both, false);
  forEachExprIn(cls.enumConstantArgs.map((e): JStmt => ({ k: 'expr', e })), both, false);
  for (const m of [...cls.methods, ...cls.constructors]) forEachExprIn(m.body, both, false);
  for (const b of [...cls.staticInits, ...cls.instanceInits]) forEachExprIn(b, both, false);
}
