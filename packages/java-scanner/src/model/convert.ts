// java-parser CST → the compact model (model/types.ts) the analysis runs on, in worker threads:
// statements flattened in source order, branches merged except those decided by constants or
// off-by-default debug switches. See docs/java.md.
import { columnOf, findAll, hasToken, isToken, kid, kids, lineOf, ordered, text, tokens, type CstElement, type CstNode } from './cst.js';
import type { JAnnotation, JClass, JExpr, JField, JFile, JImport, JMethod, JParam, JStmt } from './types.js';

const EXPRESSION = new Set(['expression']);

interface Ctx {
  readonly pkg: string;
  readonly classes: JClass[];
  anonymousCount: number;
  /** `static final boolean` constants of the classes being converted, innermost last. */
  readonly constants: Array<{ readonly className: string; readonly values: ReadonlyMap<string, boolean> }>;
  /** Set after `if (ALWAYS) return;`: the rest of the body never runs. */
  unreachable: boolean;
}

/** Converts a java-parser CST into the compact model. */
export function convertCompilationUnit(path: string, cst: CstNode): JFile {
  const unit = kid(cst, 'ordinaryCompilationUnit');
  if (!unit) return { path, pkg: '', imports: [], classes: [] }; // module-info.java
  const pkgDecl = kid(unit, 'packageDeclaration');
  const pkg = pkgDecl ? tokens(pkgDecl).filter((t) => t.tokenType.name === 'Identifier').map((t) => t.image).join('.') : '';
  const imports: JImport[] = kids(unit, 'importDeclaration').map((imp) => {
    const name = kid(imp, 'packageOrTypeName');
    return {
      name: name ? text(name) : '',
      isStatic: hasToken(imp, 'Static'),
      onDemand: hasToken(imp, 'Star'),
    };
  });
  const ctx: Ctx = { pkg, classes: [], anonymousCount: 0, constants: [], unreachable: false };
  for (const decl of kids(unit, 'typeDeclaration')) convertTypeDeclaration(decl, pkg ? `${pkg}.` : '', ctx);
  return { path, pkg, imports, classes: ctx.classes };
}

function convertTypeDeclaration(decl: CstNode, prefix: string, ctx: Ctx): void {
  const cls = kid(decl, 'classDeclaration');
  if (cls) convertClassDeclaration(cls, prefix, ctx);
  const iface = kid(decl, 'interfaceDeclaration');
  if (iface) convertInterfaceDeclaration(iface, prefix, ctx);
}

function annotationsOf(modifiers: readonly CstNode[]): JAnnotation[] {
  const out: JAnnotation[] = [];
  for (const m of modifiers) {
    for (const a of kids(m, 'annotation')) {
      const typeName = kid(a, 'typeName');
      const name = typeName ? text(typeName) : '';
      const argNodes = [...kids(a, 'elementValue'), ...kids(a, 'elementValuePairList')];
      out.push({ name: name.split('.').at(-1) ?? name, args: argNodes.map(text).join(',') });
    }
  }
  return out;
}

function modifierTokens(modifiers: readonly CstNode[]): Set<string> {
  const out = new Set<string>();
  for (const m of modifiers) for (const e of ordered(m)) if (isToken(e)) out.add(e.image);
  return out;
}

function typeIdentifier(node: CstNode): string {
  const id = kid(node, 'typeIdentifier');
  return id ? text(id) : '?';
}

interface ClassParts {
  name: string;
  kind: JClass['kind'];
  modifiers: CstNode[];
  superclass?: string;
  interfaces: string[];
  bodyDecls: CstNode[];
  enumConstants: CstNode[];
  recordComponents: JParam[];
  at: CstElement;
}

function convertClassDeclaration(node: CstNode, prefix: string, ctx: Ctx): JClass | undefined {
  const modifiers = kids(node, 'classModifier');
  const normal = kid(node, 'normalClassDeclaration');
  const en = kid(node, 'enumDeclaration');
  const rec = kid(node, 'recordDeclaration');
  const implementsOf = (n: CstNode): string[] => {
    const impl = kid(n, 'classImplements');
    const list = impl ? kid(impl, 'interfaceTypeList') : undefined;
    return list ? kids(list, 'interfaceType').map(text) : [];
  };
  let parts: ClassParts | undefined;
  if (normal) {
    const ext = kid(normal, 'classExtends');
    const body = kid(normal, 'classBody');
    parts = {
      name: typeIdentifier(normal),
      kind: 'class',
      modifiers,
      ...(ext ? { superclass: text(kid(ext, 'classType') ?? ext) } : {}),
      interfaces: implementsOf(normal),
      bodyDecls: body ? kids(body, 'classBodyDeclaration') : [],
      enumConstants: [],
      recordComponents: [],
      at: normal,
    };
  } else if (en) {
    const body = kid(en, 'enumBody');
    const constants = body ? kids(kid(body, 'enumConstantList') ?? body, 'enumConstant') : [];
    const decls = body ? kid(body, 'enumBodyDeclarations') : undefined;
    parts = {
      name: typeIdentifier(en),
      kind: 'enum',
      modifiers,
      interfaces: implementsOf(en),
      bodyDecls: decls ? kids(decls, 'classBodyDeclaration') : [],
      enumConstants: constants,
      recordComponents: [],
      at: en,
    };
  } else if (rec) {
    const body = kid(rec, 'recordBody');
    const header = kid(rec, 'recordHeader');
    const components = header ? findAll(header, new Set(['recordComponent'])) : [];
    parts = {
      name: typeIdentifier(rec),
      kind: 'record',
      modifiers,
      interfaces: implementsOf(rec),
      bodyDecls: body ? kids(body, 'recordBodyDeclaration').flatMap((d) => kids(d, 'classBodyDeclaration')) : [],
      enumConstants: [],
      recordComponents: components.map((c) => {
        const ids = tokens(c).filter((t) => t.tokenType.name === 'Identifier');
        return { name: ids.at(-1)?.image ?? '?', type: ids.slice(0, -1).map((t) => t.image).join('.') };
      }),
      at: rec,
    };
  }
  return parts ? buildClass(parts, prefix, ctx) : undefined;
}

function convertInterfaceDeclaration(node: CstNode, prefix: string, ctx: Ctx): void {
  const normal = kid(node, 'normalInterfaceDeclaration');
  if (!normal) return;
  const ext = kid(normal, 'interfaceExtends');
  const list = ext ? kid(ext, 'interfaceTypeList') : undefined;
  const body = kid(normal, 'interfaceBody');
  const name = typeIdentifier(normal);
  const fqn = `${prefix}${name}`;
  const fields: JField[] = [];
  const methods: JMethod[] = [];
  const members = body ? kids(body, 'interfaceMemberDeclaration') : [];
  ctx.constants.push({ className: name, values: booleanConstants(members.flatMap((m) => kids(m, 'constantDeclaration')), () => true) });
  for (const member of members) {
    const constant = kid(member, 'constantDeclaration');
    if (constant) fields.push(...fieldsOf(constant, kids(constant, 'constantModifier'), true, ctx));
    const method = kid(member, 'interfaceMethodDeclaration');
    if (method) methods.push(methodOf(method, kids(method, 'interfaceMethodModifier'), ctx));
    convertNestedTypes(member, fqn, ctx);
  }
  ctx.constants.pop();
  ctx.classes.push({
    name,
    fqn,
    kind: 'interface',
    annotations: annotationsOf(kids(node, 'interfaceModifier')),
    isAbstract: true,
    interfaces: list ? kids(list, 'interfaceType').map(text) : [],
    fields,
    methods,
    constructors: [],
    staticInits: [],
    instanceInits: [],
    enumConstantArgs: [],
    line: lineOf(normal),
    column: columnOf(normal),
  });
}

/** Classes and interfaces declared inside a member list, named `Outer$Inner`. */
function convertNestedTypes(member: CstNode, outerFqn: string, ctx: Ctx): void {
  const nestedClass = kid(member, 'classDeclaration');
  if (nestedClass) convertClassDeclaration(nestedClass, `${outerFqn}$`, ctx);
  const nestedIface = kid(member, 'interfaceDeclaration');
  if (nestedIface) convertInterfaceDeclaration(nestedIface, `${outerFqn}$`, ctx);
}

function buildClass(parts: ClassParts, prefix: string, ctx: Ctx): JClass {
  const fqn = `${prefix}${parts.name}`;
  const fields: JField[] = parts.recordComponents.map((c) => ({
    name: c.name,
    type: c.type,
    isStatic: false,
    isPrivate: true,
    annotations: [],
    line: lineOf(parts.at),
    column: columnOf(parts.at),
  }));
  const methods: JMethod[] = [];
  const constructors: JMethod[] = [];
  const staticInits: JStmt[][] = [];
  const instanceInits: JStmt[][] = [];
  const fieldDecls = parts.bodyDecls.flatMap((d) => kids(d, 'classMemberDeclaration')).flatMap((m) => kids(m, 'fieldDeclaration'));
  // One look at each field's modifiers: `static final` constants, and `private static` switch candidates.
  const staticFinal: CstNode[] = [];
  const privateStatic: CstNode[] = [];
  for (const f of fieldDecls) {
    const mods = modifierTokens(kids(f, 'fieldModifier'));
    if (!mods.has('static')) continue;
    if (mods.has('final')) staticFinal.push(f);
    else if (mods.has('private')) privateStatic.push(f);
  }
  const constants = booleanConstants(staticFinal, () => true);
  for (const name of offSwitches(privateStatic, parts.bodyDecls)) constants.set(name, false);
  ctx.constants.push({ className: parts.name, values: constants });
  for (const decl of parts.bodyDecls) {
    const member = kid(decl, 'classMemberDeclaration');
    if (member) {
      const field = kid(member, 'fieldDeclaration');
      if (field) {
        const mods = kids(field, 'fieldModifier');
        const words = modifierTokens(mods);
        fields.push(...fieldsOf(field, mods, words.has('static'), ctx, words.has('private')));
      }
      const method = kid(member, 'methodDeclaration');
      if (method) methods.push(methodOf(method, kids(method, 'methodModifier'), ctx));
      convertNestedTypes(member, fqn, ctx);
    }
    const ctor = kid(decl, 'constructorDeclaration');
    if (ctor) constructors.push(constructorOf(ctor, ctx));
    const staticInit = kid(decl, 'staticInitializer');
    if (staticInit) staticInits.push(bodyOf(staticInit, ctx));
    const instanceInit = kid(decl, 'instanceInitializer');
    if (instanceInit) instanceInits.push(bodyOf(instanceInit, ctx));
  }
  ctx.constants.pop();
  const mods = modifierTokens(parts.modifiers);
  const cls: JClass = {
    name: parts.name,
    fqn,
    kind: parts.kind,
    annotations: annotationsOf(parts.modifiers),
    isAbstract: mods.has('abstract'),
    ...(parts.superclass ? { superclass: parts.superclass } : {}),
    interfaces: parts.interfaces,
    fields,
    methods,
    constructors,
    staticInits,
    instanceInits,
    enumConstantArgs: parts.enumConstants.flatMap((c) => {
      const args = kid(c, 'argumentList');
      return args ? kids(args, 'expression').map((e) => expr(e, ctx)) : [];
    }),
    line: lineOf(parts.at),
    column: columnOf(parts.at),
  };
  ctx.classes.push(cls);
  return cls;
}

/** `static final boolean NAME = true|false` declarations among `decls` (which `isConstant` accepts). */
function booleanConstants(decls: readonly CstNode[], isConstant: (decl: CstNode) => boolean): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const decl of decls) {
    if (!isConstant(decl)) continue;
    const type = kid(decl, 'unannType');
    if (!type || text(type) !== 'boolean') continue;
    const list = kid(decl, 'variableDeclaratorList');
    for (const d of list ? kids(list, 'variableDeclarator') : []) {
      const id = kid(d, 'variableDeclaratorId');
      const init = kid(d, 'variableInitializer');
      const value = init ? text(init) : '';
      if (id && (value === 'true' || value === 'false')) out.set(tokens(id)[0]?.image ?? '?', value === 'true');
    }
  }
  return out;
}

/**
 * Debug switches that are off by default (among `private static` non-final fields):
 * `private static boolean enabled = false` written only
 * as `enabled = true|false` (by `enable()`/`disable()` methods that callers outside the class use,
 * as serverless-java-container's `Timer` does). Init code sees them off, so `if (!enabled) return;`
 * ends the method there. Not seen: a call of the switch's setter made by init code itself.
 */
function offSwitches(privateStaticFields: readonly CstNode[], bodyDecls: readonly CstNode[]): string[] {
  if (privateStaticFields.length === 0) return [];
  const candidates = booleanConstants(privateStaticFields, () => true);
  const off = [...candidates].filter(([, value]) => !value).map(([name]) => name);
  if (off.length === 0) return [];
  const images = bodyDecls.flatMap((d) => tokens(d).map((t) => t.image));
  return off.filter((name) => {
    let declared = false;
    for (let i = 0; i < images.length; i++) {
      if (images[i] !== name || images[i + 1] !== '=') continue;
      if (!declared && images[i + 2] === 'false') {
        declared = true; // the declaration itself
        continue;
      }
      if (images[i + 2] !== 'true' && images[i + 2] !== 'false') return false;
      if (images[i - 1] === '.' && images[i - 2] !== 'this') return false;
    }
    return true;
  });
}

/**
 * The value of a condition when it is decided by boolean literals and same-class constants:
 * `false`, `!ENABLED`, `PROFILE && t0 == 0`, `H.DEBUG || x` with `static final boolean` flags.
 * Undefined when it depends on anything else. javac drops `if (false)` blocks; the others are
 * not compiled away but can never run either.
 */
function constantCondition(node: CstNode, ctx: Ctx): boolean | undefined {
  return decide(tokens(node).map((t) => t.image), ctx);
}

/** Splits `toks` at `sep` outside parentheses. */
function splitTopLevel(toks: readonly string[], sep: string): string[][] {
  const out: string[][] = [[]];
  let depth = 0;
  for (const t of toks) {
    if (t === '(') depth++;
    else if (t === ')') depth--;
    if (t === sep && depth === 0) out.push([]);
    else out.at(-1)!.push(t);
  }
  return out;
}

function decide(toks: readonly string[], ctx: Ctx): boolean | undefined {
  // Three-valued: one false conjunct decides an `&&`, one true disjunct decides an `||`.
  const disjuncts = splitTopLevel(toks, '||').map((d) => {
    const conjuncts = splitTopLevel(d, '&&').map((c) => atom(c, ctx));
    return conjuncts.includes(false) ? false : conjuncts.every((c) => c === true) ? true : undefined;
  });
  return disjuncts.includes(true) ? true : disjuncts.every((d) => d === false) ? false : undefined;
}

function atom(toks: readonly string[], ctx: Ctx): boolean | undefined {
  if (toks[0] === '!') {
    const inner = atom(toks.slice(1), ctx);
    return inner === undefined ? undefined : !inner;
  }
  if (toks[0] === '(' && toks.at(-1) === ')') return decide(toks.slice(1, -1), ctx);
  if (toks.length === 1 && (toks[0] === 'true' || toks[0] === 'false')) return toks[0] === 'true';
  // `NAME` or `Owner.NAME`, where Owner is the class being converted or one it is nested in.
  if (toks.length !== 1 && !(toks.length === 3 && toks[1] === '.')) return undefined;
  const name = toks.at(-1)!;
  const owner = toks.length === 3 ? toks[0] : undefined;
  for (let k = ctx.constants.length - 1; k >= 0; k--) {
    const scope = ctx.constants[k]!;
    if (owner !== undefined && scope.className !== owner) continue;
    const value = scope.values.get(name);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Whether a statement always leaves the method (`return …;`, `throw …;`, or a block ending in one). */
function exits(statement: CstNode): boolean {
  const inner = kid(statement, 'statementWithoutTrailingSubstatement');
  if (!inner) return false;
  if (kid(inner, 'returnStatement') || kid(inner, 'throwStatement')) return true;
  const block = kid(inner, 'block');
  const list = block ? kid(block, 'blockStatements') : undefined;
  const last = list ? kids(list, 'blockStatement').at(-1) : undefined;
  const lastStatement = last ? kid(last, 'statement') : undefined;
  return lastStatement ? exits(lastStatement) : false;
}

/** The statements of one method, lambda or initializer body (reachability is per body). */
function bodyOf(node: CstNode, ctx: Ctx): JStmt[] {
  const outer = ctx.unreachable;
  ctx.unreachable = false;
  try {
    return statementsOf(node, ctx);
  } finally {
    ctx.unreachable = outer;
  }
}

function fieldsOf(node: CstNode, modifiers: CstNode[], isStatic: boolean, ctx: Ctx, isPrivate = false): JField[] {
  const type = text(kid(node, 'unannType') ?? node);
  const list = kid(node, 'variableDeclaratorList');
  const annotations = annotationsOf(modifiers);
  return (list ? kids(list, 'variableDeclarator') : []).map((d) => {
    const id = kid(d, 'variableDeclaratorId');
    const init = kid(d, 'variableInitializer');
    const initExpr = init ? kid(init, 'expression') : undefined;
    const arrayInit = init && !initExpr ? init : undefined;
    return {
      name: id ? (tokens(id)[0]?.image ?? '?') : '?',
      type,
      isStatic,
      isPrivate,
      annotations,
      ...(initExpr ? { init: expr(initExpr, ctx) } : arrayInit ? { init: opOf(arrayInit, ctx) } : {}),
      line: lineOf(d),
      column: columnOf(d),
    };
  });
}

function paramsOf(list: CstNode | undefined): JParam[] {
  if (!list) return [];
  return kids(list, 'formalParameter').map((p) => {
    const regular = kid(p, 'variableParaRegularParameter') ?? kid(p, 'variableArityParameter') ?? p;
    const type = kid(regular, 'unannType');
    const id = kid(regular, 'variableDeclaratorId');
    const ids = tokens(regular).filter((t) => t.tokenType.name === 'Identifier');
    return { name: id ? (tokens(id)[0]?.image ?? '?') : (ids.at(-1)?.image ?? '?'), type: type ? text(type) : '' };
  });
}

function methodOf(node: CstNode, modifiers: CstNode[], ctx: Ctx): JMethod {
  const header = kid(node, 'methodHeader');
  const declarator = header ? kid(header, 'methodDeclarator') : undefined;
  const result = header ? kid(header, 'result') : undefined;
  const body = kid(node, 'methodBody');
  const mods = modifierTokens(modifiers);
  const nameTok = declarator ? tokens(declarator).find((t) => t.tokenType.name === 'Identifier') : undefined;
  return {
    name: nameTok?.image ?? '?',
    isStatic: mods.has('static'),
    isPublic: mods.has('public'),
    returnType: result ? text(result) : 'void',
    params: paramsOf(declarator ? kid(declarator, 'formalParameterList') : undefined),
    annotations: annotationsOf(modifiers),
    body: body ? bodyOf(body, ctx) : [],
    line: nameTok?.startLine ?? lineOf(node),
  };
}

function constructorOf(node: CstNode, ctx: Ctx): JMethod {
  const declarator = kid(node, 'constructorDeclarator');
  const body = kid(node, 'constructorBody');
  const modifiers = kids(node, 'constructorModifier');
  const explicit = body ? kid(body, 'explicitConstructorInvocation') : undefined;
  const statements = body ? bodyOf(body, ctx) : [];
  // `super(args)` / `this(args)`: kept as a call named <super>/<this> so the analysis can follow it.
  if (explicit) {
    const inner = kid(explicit, 'unqualifiedExplicitConstructorInvocation');
    const args = inner ? kid(inner, 'argumentList') : undefined;
    const isSuper = inner ? hasToken(inner, 'Super') : false;
    statements.unshift({
      k: 'expr',
      e: {
        k: 'call',
        qualifier: [],
        name: isSuper ? '<super>' : '<this>',
        args: args ? kids(args, 'expression').map((e) => expr(e, ctx)) : [],
        line: lineOf(explicit),
        column: columnOf(explicit),
      },
    });
  }
  return {
    name: '<init>',
    isStatic: false,
    isPublic: modifierTokens(modifiers).has('public'),
    returnType: 'void',
    params: paramsOf(declarator ? kid(declarator, 'formalParameterList') : undefined),
    annotations: annotationsOf(modifiers),
    body: statements,
    line: lineOf(node),
  };
}

const STATEMENT_STOPS = new Set([
  'ifStatement',
  'localVariableDeclaration',
  'returnStatement',
  'expression',
  'enhancedForStatement',
  'classDeclaration',
  'explicitConstructorInvocation',
]);

/** Flattens every statement under `node` in source order. */
export function statementsOf(node: CstNode, ctx: Ctx, out: JStmt[] = []): JStmt[] {
  for (const e of ordered(node)) {
    if (ctx.unreachable) break;
    if (isToken(e)) continue;
    if (!STATEMENT_STOPS.has(e.name)) {
      statementsOf(e, ctx, out);
      continue;
    }
    switch (e.name) {
      case 'ifStatement': {
        // Branches are merged, except those javac itself drops: `if (false)`, `if (!ENABLED)`
        // with `static final boolean ENABLED = false`. Disabled profiling code never runs.
        const cond = kid(e, 'expression');
        const [then, otherwise] = kids(e, 'statement');
        const value = cond ? constantCondition(cond, ctx) : undefined;
        if (cond && value === undefined) out.push({ k: 'expr', e: expr(cond, ctx) });
        if (then && value !== false) statementsOf(then, ctx, out);
        if (value === true && then && exits(then)) {
          ctx.unreachable = true;
          break;
        }
        if (otherwise && value !== true) statementsOf(otherwise, ctx, out);
        break;
      }
      case 'localVariableDeclaration': {
        const typeNode = kid(e, 'localVariableType');
        const type = typeNode ? text(typeNode) : '';
        const list = kid(e, 'variableDeclaratorList');
        for (const d of list ? kids(list, 'variableDeclarator') : []) {
          const id = kid(d, 'variableDeclaratorId');
          const init = kid(d, 'variableInitializer');
          const initExpr = init ? kid(init, 'expression') : undefined;
          out.push({
            k: 'local',
            name: id ? (tokens(id)[0]?.image ?? '?') : '?',
            type,
            ...(initExpr ? { init: expr(initExpr, ctx) } : init ? { init: opOf(init, ctx) } : {}),
            line: lineOf(d),
          });
        }
        break;
      }
      case 'returnStatement': {
        const value = kid(e, 'expression');
        out.push(value ? { k: 'return', e: expr(value, ctx), line: lineOf(e) } : { k: 'return', line: lineOf(e) });
        break;
      }
      case 'expression':
        out.push({ k: 'expr', e: expr(e, ctx) });
        break;
      case 'enhancedForStatement': {
        const decl = kid(e, 'localVariableDeclaration');
        const iterable = kid(e, 'expression');
        const id = decl ? findAll(decl, new Set(['variableDeclaratorId']))[0] : undefined;
        const typeNode = decl ? kid(decl, 'localVariableType') : undefined;
        out.push({
          k: 'local',
          name: id ? (tokens(id)[0]?.image ?? '?') : '?',
          type: typeNode ? text(typeNode) : '',
          ...(iterable ? { init: expr(iterable, ctx) } : {}),
          line: lineOf(e),
        });
        const body = kid(e, 'statement');
        if (body) statementsOf(body, ctx, out);
        break;
      }
      default:
        // Local classes and explicit constructor calls are handled elsewhere.
        break;
    }
  }
  return out;
}

function opOf(node: CstNode, ctx: Ctx): JExpr {
  return { k: 'op', args: findAll(node, EXPRESSION).map((e) => expr(e, ctx)) };
}

/** Converts an `expression` (or any expression-level node) into the compact tree. */
export function expr(node: CstNode, ctx: Ctx): JExpr {
  switch (node.name) {
    case 'expression': {
      const lambda = kid(node, 'lambdaExpression');
      if (lambda) return lambdaOf(lambda, ctx);
      const cond = kid(node, 'conditionalExpression');
      return cond ? expr(cond, ctx) : opOf(node, ctx);
    }
    case 'conditionalExpression': {
      const parts = [...kids(node, 'binaryExpression'), ...kids(node, 'expression')];
      if (parts.length === 1) return expr(parts[0]!, ctx);
      return { k: 'op', args: parts.map((p) => expr(p, ctx)) };
    }
    case 'binaryExpression': {
      const unaries = kids(node, 'unaryExpression');
      const rhs = kids(node, 'expression');
      const assignOp = (node.children['AssignmentOperator'] ?? []).find(isToken);
      if (assignOp && unaries[0] && rhs[0]) {
        return { k: 'assign', target: expr(unaries[0], ctx), value: expr(rhs[0], ctx), line: assignOp.startLine ?? 0, column: columnOf(unaries[0]) };
      }
      if (unaries.length === 1 && rhs.length === 0) return expr(unaries[0]!, ctx);
      return { k: 'op', args: [...unaries, ...rhs].map((u) => expr(u, ctx)), ops: infixOperators(node) };
    }
    case 'unaryExpression':
    case 'unaryExpressionNotPlusMinus': {
      const primary = kid(node, 'primary');
      if (primary) return primaryOf(primary, ctx);
      const inner = kid(node, 'unaryExpression') ?? kid(node, 'unaryExpressionNotPlusMinus');
      return inner ? expr(inner, ctx) : opOf(node, ctx);
    }
    case 'primary':
      return primaryOf(node, ctx);
    default:
      return opOf(node, ctx);
  }
}

/** The operators between the operands of a binary expression (`<<` arrives as two `<` tokens). */
function infixOperators(node: CstNode): string[] {
  const ops: string[] = [];
  let pending = '';
  let operands = 0;
  for (const e of ordered(node)) {
    if (isToken(e)) {
      if (operands > 0) pending += e.image;
    } else if (e.name === 'unaryExpression') {
      if (operands > 0) ops.push(pending);
      pending = '';
      operands++;
    }
  }
  return ops;
}

function lambdaOf(node: CstNode, ctx: Ctx): JExpr {
  const params = kid(node, 'lambdaParameters');
  const names = params ? tokens(params).filter((t) => t.tokenType.name === 'Identifier').map((t) => t.image) : [];
  const body = kid(node, 'lambdaBody');
  const bodyExpr = body ? kid(body, 'expression') : undefined;
  const stmts: JStmt[] = bodyExpr
    ? [{ k: 'return', e: expr(bodyExpr, ctx), line: lineOf(bodyExpr) }]
    : body
      ? bodyOf(body, ctx)
      : [];
  return { k: 'lambda', params: names, body: stmts };
}

function argsOf(node: CstNode | undefined, ctx: Ctx): JExpr[] {
  const list = node ? kid(node, 'argumentList') : undefined;
  return list ? kids(list, 'expression').map((e) => expr(e, ctx)) : [];
}

function primaryOf(node: CstNode, ctx: Ctx): JExpr {
  const prefix = kid(node, 'primaryPrefix');
  let current: JExpr = prefix ? prefixOf(prefix, ctx) : { k: 'lit' };
  for (const suffix of kids(node, 'primarySuffix')) {
    const invocation = kid(suffix, 'methodInvocationSuffix');
    if (invocation) {
      const args = argsOf(invocation, ctx);
      const column = columnOf(invocation);
      if (current.k === 'name' && current.parts.length > 0) {
        current = { k: 'call', qualifier: current.parts.slice(0, -1), name: current.parts.at(-1)!, args, line: current.line, column };
      } else if (current.k === 'field') {
        current = { k: 'call', target: current.target, qualifier: [], name: current.name, args, line: current.line, column };
      } else {
        current = { k: 'op', args: [current, ...args] };
      }
      continue;
    }
    const ident = (suffix.children['Identifier'] ?? []).find(isToken);
    if (ident) {
      current = { k: 'field', target: current, name: ident.image, line: ident.startLine ?? 0 };
      continue;
    }
    const others = findAll(suffix, EXPRESSION).map((e) => expr(e, ctx));
    current = { k: 'op', args: [current, ...others] };
  }
  return current;
}

function prefixOf(node: CstNode, ctx: Ctx): JExpr {
  if (hasToken(node, 'This')) return { k: 'this' };
  const fqn = kid(node, 'fqnOrRefType');
  if (fqn) {
    const parts = tokens(fqn)
      .filter((t) => t.tokenType.name === 'Identifier' || t.tokenType.name === 'Super' || t.tokenType.name === 'This')
      .map((t) => t.image);
    return { k: 'name', parts, line: lineOf(fqn) };
  }
  if (kid(node, 'literal')) return { k: 'lit' };
  const paren = kid(node, 'parenthesisExpression');
  if (paren) {
    const inner = kid(paren, 'expression');
    return inner ? expr(inner, ctx) : { k: 'lit' };
  }
  const cast = kid(node, 'castExpression');
  if (cast) {
    const operands = findAll(cast, new Set(['unaryExpression', 'unaryExpressionNotPlusMinus', 'lambdaExpression']));
    return operands.length === 1 ? expr(operands[0]!, ctx) : { k: 'op', args: operands.map((o) => expr(o, ctx)) };
  }
  const created = kid(node, 'newExpression');
  if (created) {
    const instance = kid(created, 'unqualifiedClassInstanceCreationExpression');
    if (instance) {
      const typeNode = kid(instance, 'classOrInterfaceTypeToInstantiate');
      const type = typeNode
        ? tokens(typeNode).filter((t) => t.tokenType.name === 'Identifier').map((t) => t.image).join('.')
        : '?';
      const body = kid(instance, 'classBody');
      const anonymous = body ? anonymousClass(type, body, ctx) : undefined;
      return { k: 'new', type, args: argsOf(instance, ctx), ...(anonymous ? { anonymous } : {}), line: lineOf(instance) };
    }
    return opOf(created, ctx);
  }
  if (hasToken(node, 'Super')) return { k: 'super' };
  return opOf(node, ctx);
}

function anonymousClass(type: string, body: CstNode, ctx: Ctx): JClass {
  ctx.anonymousCount += 1;
  const name = `${type}$anonymous${ctx.anonymousCount}`;
  // Anonymous classes are kept on the `new` expression, not in the file's class list.
  const scratch: Ctx = { pkg: ctx.pkg, classes: [], anonymousCount: ctx.anonymousCount, constants: ctx.constants, unreachable: false };
  const cls = buildClass(
    { name, kind: 'anonymous', modifiers: [], interfaces: [type], bodyDecls: kids(body, 'classBodyDeclaration'), enumConstants: [], recordComponents: [], at: body },
    ctx.pkg ? `${ctx.pkg}.` : '',
    scratch,
  );
  ctx.anonymousCount = scratch.anonymousCount;
  return cls;
}
