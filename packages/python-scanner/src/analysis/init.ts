// The Python analysis's first half: interprets, abstractly, what one handler module does at import
// (its top level and the project modules it imports, class bodies, decorators, calls from there,
// a warm-up call of the handler, before-snapshot hooks) and records which values came from a
// source. scan.ts runs one InitRun per handler module; reach.ts reads its result.
// See docs/python.md, "What runs during init".
import type { PythonSourceEntry } from '@snapstart/core';
import { importsOf, isMainGuard, lineOf, parameterNames, type PyFile, type PyImport } from '../model/module.js';
import type { Node } from '../parse.js';
import type { PyProject } from './project.js';
import { sourceLabel, type PythonSources } from './sources.js';
import { EMPTY, Obj, merge, taintsOnly, valOf, type ClassInfo, type FnVal, type ModState, type Scope, type Site, type Slot, type Step, type Taint, type Val } from './values.js';

/** Classes whose instances route events to decorated functions (those functions are entry points). */
export const APP_CLASSES = new Set([
  'APIGatewayRestResolver', 'APIGatewayHttpResolver', 'ALBResolver', 'LambdaFunctionUrlResolver', 'VPCLatticeResolver', 'VPCLatticeV2Resolver',
  'BedrockAgentResolver', 'BedrockAgentFunctionResolver', 'AppSyncResolver', 'AppSyncEventsResolver', 'ApiGatewayResolver', 'Router', 'APIRouter',
  'Chalice', 'Blueprint', 'FastAPI', 'Flask', 'Starlette', 'Quart',
]);

const CACHE_DECORATOR = /(^|\.)(lru_cache|cache|cached)$/;
const HOOK_MODULE = 'snapshot_restore_py';
/**
 * Work limits, in evaluation steps: per top-level statement (with what it calls; one huge call is
 * cut short, the next statement goes on) and per run (a pathological project stops, never hangs
 * the scan).
 */
const MODULE_BUDGET = 30_000;
const BUDGET = 2_000_000;
const MAX_DEPTH = 12;

/** A `register_after_restore`/`register_before_snapshot` registration. */
export interface HookRegistration {
  readonly kind: 'after_restore' | 'before_snapshot';
  readonly fns: readonly FnVal[];
  readonly file: string;
  readonly line: number;
}

/** What the program does during init, for one handler module (one Lambda function). */
export class InitRun {
  readonly mods = new Map<PyFile, ModState>();
  /** Functions that frameworks call per event (route handlers), found while running init. */
  readonly appEntries: FnVal[] = [];
  readonly hooks: HookRegistration[] = [];
  /** Module generators (`random`, `numpy.random`) seeded with a constant during init: deterministic on purpose. */
  readonly constantSeed = new Set<string>();
  /** Modules outside the project imported during init (`random` → where). */
  readonly extImports = new Map<string, { file: string; line: number }>();
  /** `os.environ`: values put there during init are read back by `os.environ[…]`/`os.getenv()`. */
  readonly environ = new Obj('`os.environ`', undefined, true);
  /** What each project function returned when init called it (`get_client()` → the client it made). */
  readonly returns = new Map<number, Val>();
  /** Module generators an after-restore hook reseeds. */
  readonly restoredStates = new Set<string>();
  private work = 0;
  private moduleWork = 0;
  /** Modules whose top level was cut short by MODULE_BUDGET. */
  readonly truncated = new Set<string>();
  private readonly active = new Set<number>();
  exhausted = false;

  constructor(
    private readonly project: PyProject<PyFile>,
    private readonly sources: PythonSources,
  ) {}

  modState(file: PyFile): ModState {
    let ms = this.mods.get(file);
    if (!ms) {
      ms = { file, globals: new Map(), state: 'new' };
      this.mods.set(file, ms);
    }
    return ms;
  }

  /** Runs a module's top level (once), as `import` does. */
  execModule(file: PyFile, steps: readonly Step[]): ModState {
    const ms = this.modState(file);
    if (ms.state !== 'new') return ms;
    ms.state = 'running';
    const scope = newScope({ vars: ms.globals, mod: ms, isModule: true, steps });
    const outer = this.moduleWork;
    this.moduleWork = 0;
    try {
      for (const s of file.root.namedChildren) {
        this.moduleWork = 0;
        this.execStmt(s, scope);
        if (this.moduleWork > MODULE_BUDGET) this.truncated.add(file.path);
      }
    } finally {
      this.moduleWork = outer;
      ms.state = 'done';
    }
    return ms;
  }

  /** Runs the `register_before_snapshot` hooks: they run after init, before the snapshot. */
  runBeforeSnapshotHooks(): void {
    for (const h of this.hooks) {
      if (h.kind !== 'before_snapshot') continue;
      for (const fn of h.fns) {
        const steps: Step[] = [{ description: `in the register_before_snapshot hook \`${fn.name}\``, file: h.file, line: h.line }];
        this.callFunction(fn, [], new Map(), newScope({ vars: new Map(), mod: fn.mod, isModule: false, steps }), undefined);
      }
    }
  }

  /**
   * Runs the `register_after_restore` hooks in restore mode: what they assign replaces the init
   * value (values they make are fresh: made after restore), and an object whose method they
   * call, or whose attribute they set, counts as re-initialised.
   */
  runAfterRestoreHooks(): void {
    for (const h of this.hooks) {
      if (h.kind !== 'after_restore') continue;
      for (const fn of h.fns) {
        const steps: Step[] = [{ description: `in the register_after_restore hook \`${fn.name}\``, file: h.file, line: h.line }];
        this.callFunction(fn, [], new Map(), newScope({ vars: new Map(), mod: fn.mod, isModule: false, steps, restore: true }), undefined);
      }
    }
  }

  private tick(): boolean {
    if (++this.work > BUDGET) this.exhausted = true;
    return !this.exhausted && ++this.moduleWork <= MODULE_BUDGET;
  }

  execBlock(block: Node | null, sc: Scope): void {
    if (!block) return;
    for (const s of block.namedChildren) this.execStmt(s, sc);
  }

  private branch(sc: Scope, run: () => void): void {
    sc.branch++;
    try {
      run();
    } finally {
      sc.branch--;
    }
  }

  execStmt(s: Node, sc: Scope): void {
    if (!this.tick()) return;
    switch (s.type) {
      case 'expression_statement':
        for (const e of s.namedChildren) this.evalStatementExpr(e, sc);
        return;
      case 'import_statement':
      case 'import_from_statement':
        for (const imp of importsOf(s)) this.bindImport(imp, sc);
        return;
      case 'function_definition':
        this.defineFunction(s, [], sc);
        return;
      case 'class_definition':
        this.defineClass(s, [], sc);
        return;
      case 'decorated_definition': {
        const decorators = s.namedChildren.filter((c) => c.type === 'decorator');
        const def = s.childForFieldName('definition');
        if (def?.type === 'function_definition') this.defineFunction(def, decorators, sc);
        else if (def?.type === 'class_definition') this.defineClass(def, decorators, sc);
        return;
      }
      case 'if_statement': {
        if (isMainGuard(s)) return; // runs only as a script, never in Lambda
        this.evalExpr(s.childForFieldName('condition'), sc);
        this.branch(sc, () => {
          this.execBlock(s.childForFieldName('consequence'), sc);
          for (const alt of s.childrenForFieldName('alternative')) {
            if (alt.type === 'elif_clause') {
              this.evalExpr(alt.childForFieldName('condition'), sc);
              this.execBlock(alt.childForFieldName('consequence'), sc);
            } else this.execBlock(alt.childForFieldName('body'), sc);
          }
        });
        return;
      }
      case 'for_statement': {
        const items = this.evalExpr(s.childForFieldName('right'), sc);
        this.branch(sc, () => {
          this.assignTarget(s.childForFieldName('left'), itemsOf(items), sc);
          this.execBlock(s.childForFieldName('body'), sc);
          const alt = s.childForFieldName('alternative');
          if (alt) this.execBlock(alt.childForFieldName('body'), sc);
        });
        return;
      }
      case 'while_statement':
        this.evalExpr(s.childForFieldName('condition'), sc);
        this.branch(sc, () => this.execBlock(s.childForFieldName('body'), sc));
        return;
      case 'try_statement':
        this.branch(sc, () => {
          this.execBlock(s.childForFieldName('body'), sc);
          for (const c of s.namedChildren) {
            if (c.type === 'except_clause' || c.type === 'except_group_clause') this.execBlock(c.namedChildren.find((n) => n.type === 'block') ?? null, sc);
            else if (c.type === 'else_clause') this.execBlock(c.childForFieldName('body'), sc);
          }
        });
        for (const c of s.namedChildren) if (c.type === 'finally_clause') this.execBlock(c.namedChildren.find((n) => n.type === 'block') ?? null, sc);
        return;
      case 'with_statement': {
        const clause = s.namedChildren.find((c) => c.type === 'with_clause');
        for (const item of clause?.namedChildren ?? []) {
          const value = item.childForFieldName('value');
          if (value?.type === 'as_pattern') {
            const v = this.evalExpr(value.namedChildren[0] ?? null, sc);
            const alias = value.childForFieldName('alias');
            this.assignTarget(alias?.namedChildren[0] ?? alias, v, sc);
          } else this.evalExpr(value, sc);
        }
        this.execBlock(s.childForFieldName('body'), sc);
        return;
      }
      case 'return_statement':
        sc.returns.push(this.evalExpr(s.namedChildren[0] ?? null, sc));
        return;
      case 'global_statement':
        for (const id of s.namedChildren) sc.globalNames.add(id.text);
        return;
      case 'nonlocal_statement':
        for (const id of s.namedChildren) sc.nonlocalNames.add(id.text);
        return;
      default:
        return;
    }
  }

  private evalStatementExpr(e: Node, sc: Scope): void {
    if (e.type === 'assignment') this.assign(e, sc);
    else if (e.type === 'augmented_assignment') {
      const left = e.childForFieldName('left');
      const v = merge(this.evalExpr(left, sc), this.evalExpr(e.childForFieldName('right'), sc));
      this.assignTarget(left, taintsOnly(v), sc, e);
    } else this.evalExpr(e, sc);
  }

  private assign(e: Node, sc: Scope): Val {
    const right = e.childForFieldName('right');
    if (!right) return EMPTY; // `x: int` declares, assigns nothing
    const v = right.type === 'assignment' ? this.assign(right, sc) : this.evalExpr(right, sc);
    this.assignTarget(e.childForFieldName('left'), v, sc, e);
    return v;
  }

  /** Binds `v` to an assignment target (name, attribute, subscript, tuple). */
  assignTarget(t: Node | null, v: Val, sc: Scope, stmt?: Node): void {
    if (!t) return;
    switch (t.type) {
      case 'identifier':
        this.storeName(t.text, v, sc, t);
        return;
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'tuple':
      case 'list':
        for (const c of t.namedChildren) this.assignTarget(c, itemsOf(v), sc, stmt);
        return;
      case 'list_splat_pattern':
        this.assignTarget(t.namedChildren[0] ?? null, v, sc, stmt);
        return;
      case 'attribute': {
        const base = this.evalExpr(t.childForFieldName('object'), sc);
        const name = t.childForFieldName('attribute')!.text;
        const site = this.site(t, sc, (o) => o);
        for (const obj of base.objs) {
          const label = obj.cls ? `attribute \`${name}\` of a \`${obj.cls.name}\` made during init` : `attribute \`${name}\` of ${obj.label}`;
          obj.attrs.set(name, { val: sc.branch > 0 ? merge(obj.attrs.get(name)?.val ?? EMPTY, v) : v, site: { ...site, what: `\`${t.text}\` (${label})` } });
          if (sc.restore) obj.refreshed = true;
        }
        for (const cls of base.classes) cls.attrs.set(name, { val: v, site: { ...site, what: `\`${cls.name}.${name}\` (class attribute)` } });
        for (const m of base.mods) m.globals.set(name, { val: v, site: { ...site, what: `\`${name}\` (module global of \`${m.file.path}\`)` } });
        return;
      }
      case 'subscript': {
        const base = this.evalExpr(t.childForFieldName('value'), sc);
        const site = this.site(t, sc, (o) => o);
        for (const obj of base.objs) {
          const prev = obj.attrs.get('[]')?.val ?? EMPTY;
          obj.attrs.set('[]', { val: merge(prev, v), site: { ...site, what: `\`${t.text}\` (an entry of ${obj.label})` } });
          if (sc.restore) obj.refreshed = true;
        }
        return;
      }
      default:
        return;
    }
  }

  private site(n: Node, sc: Scope, what: (o: string) => string): Site {
    return {
      file: sc.mod.file.path,
      line: n.startPosition.row + 1,
      column: n.startPosition.column + 1,
      endLine: n.endPosition.row + 1,
      endColumn: n.endPosition.column + 1,
      what: what(n.text),
      steps: sc.steps,
    };
  }

  /** Python's scoping for a store: `global`/`nonlocal` declarations, else the current scope. */
  storeName(name: string, v: Val, sc: Scope, at: Node): void {
    let target = sc;
    let what: string;
    if (sc.globalNames.has(name) && !sc.isModule) {
      target = newScope({ vars: sc.mod.globals, mod: sc.mod, isModule: true, steps: sc.steps });
      what = `\`${name}\` (module global of \`${sc.mod.file.path}\`)`;
    } else if (sc.nonlocalNames.has(name)) {
      let p = sc.parent;
      while (p && !p.vars.has(name)) p = p.parent;
      if (p) target = p;
      what = `\`${name}\` (variable of \`${target.fn?.name ?? '?'}\`, captured by a closure)`;
    } else if (sc.isModule) what = `\`${name}\` (module global of \`${sc.mod.file.path}\`)`;
    else if (sc.cls) what = `\`${sc.cls.name}.${name}\` (class attribute)`;
    else what = `\`${name}\` (variable of \`${sc.fn?.name ?? '?'}\`, captured by a closure)`;
    if (sc.cls && v.factory) {
      sc.cls.factories.set(name, { val: valOf({ taints: v.taints }), site: this.site(at, sc, () => `\`${name}\` (field of \`${sc.cls!.name}\`, default_factory)`) });
      return;
    }
    const prev = target.vars.get(name)?.val ?? EMPTY;
    // In a branch the store may not happen: keep what was there. A restore hook's store replaces it.
    const val = sc.branch > 0 && !sc.restore ? merge(prev, v) : v;
    target.vars.set(name, { val, site: this.site(at, sc, () => what) });
  }

  lookup(name: string, sc: Scope): Slot | undefined {
    if (!sc.globalNames.has(name)) {
      const own = sc.vars.get(name);
      if (own) return own;
      for (let p = sc.parent; p; p = p.parent) {
        if (p.isModule) break;
        const s = p.vars.get(name);
        if (s) return s;
      }
    }
    return sc.mod.globals.get(name);
  }

  bindImport(imp: PyImport, sc: Scope): void {
    const from = sc.mod.file;
    const line = lineOf(imp.node);
    const stepsFor = (f: PyFile): Step[] => [{ description: `top level of \`${f.path}\`` }, { description: 'imported', file: from.path, line }, ...sc.steps];
    const project = (module: string): PyFile | undefined => this.project.resolveModule(from, module, imp.level);
    const bind = (v: Val): void => this.storeName(imp.local, v, sc, imp.node);
    const extName = (name: string): void => {
      const root = name.split('.')[0]!;
      if (!this.extImports.has(name)) this.extImports.set(name, { file: from.path, line });
      if (!this.extImports.has(root)) this.extImports.set(root, { file: from.path, line });
    };
    if (imp.name === undefined) {
      const file = imp.level === 0 ? project(imp.module) : undefined;
      if (!file) {
        extName(imp.module);
        bind(valOf({ ext: imp.bindsTop ? imp.module.split('.')[0]! : imp.module }));
        return;
      }
      const ms = this.execModule(file, stepsFor(file));
      if (imp.bindsTop && imp.module.includes('.')) {
        const top = project(imp.module.split('.')[0]!);
        if (top) {
          const topMs = this.execModule(top, stepsFor(top));
          const parts = imp.module.split('.');
          topMs.globals.set(parts[1]!, { val: valOf({ mods: [ms] }) });
          bind(valOf({ mods: [topMs] }));
          return;
        }
      }
      bind(valOf({ mods: [ms] }));
      return;
    }
    const file = project(imp.module);
    if (!file) {
      if (imp.level > 0) return bind(EMPTY);
      extName(imp.module);
      if (imp.name !== '*') bind(valOf({ ext: `${imp.module}.${imp.name}` }));
      return;
    }
    const sub = imp.name === '*' ? undefined : project(imp.module ? `${imp.module}.${imp.name}` : imp.name);
    if (sub && sub !== file) {
      bind(valOf({ mods: [this.execModule(sub, stepsFor(sub))] }));
      return;
    }
    const ms = this.execModule(file, stepsFor(file));
    if (imp.name === '*') {
      for (const [k, slot] of ms.globals) if (!k.startsWith('_')) sc.vars.set(k, slot);
      return;
    }
    const slot = ms.globals.get(imp.name);
    // The same slot: the value keeps the site where the imported module made it.
    if (slot && !sc.globalNames.has(imp.local)) sc.vars.set(imp.local, slot);
    else bind(slot?.val ?? EMPTY);
  }

  private defineFunction(node: Node, decorators: Node[], sc: Scope): void {
    const name = node.childForFieldName('name')!.text;
    const defaults = new Map<string, Slot>();
    const fn: FnVal = {
      name: sc.cls ? `${sc.cls.name}.${name}` : name,
      node,
      mod: sc.mod,
      ...(!sc.isModule && !sc.cls ? { closure: sc } : {}),
      ...(sc.cls ? { cls: sc.cls } : {}),
      defaults,
      cache: { cached: false },
    };
    // Default arguments are evaluated once, when `def` runs.
    for (const p of node.childForFieldName('parameters')?.namedChildren ?? []) {
      if (p.type !== 'default_parameter' && p.type !== 'typed_default_parameter') continue;
      const pname = p.childForFieldName('name')!.text;
      const value = p.childForFieldName('value');
      const v = this.evalExpr(value, sc);
      if (v.taints.length > 0 && value) {
        defaults.set(pname, { val: v, site: this.site(value, sc, () => `the default value of parameter \`${pname}\` of \`${fn.name}\``) });
      }
    }
    let bound: Val = valOf({ fns: [fn] });
    for (const d of [...decorators].reverse()) {
      const expr = d.namedChildren[0] ?? null;
      const callee = expr?.type === 'call' ? expr.childForFieldName('function') : expr;
      const dv = this.evalExpr(expr?.type === 'call' ? expr : callee, sc);
      const calleeVal = expr?.type === 'call' ? this.evalExpr(callee, sc) : dv;
      const q = calleeVal.ext ?? callee?.text ?? '';
      if (CACHE_DECORATOR.test(q)) {
        fn.cache.cached = true;
        continue;
      }
      if (q.endsWith('register_after_restore') || q.endsWith('register_before_snapshot')) {
        this.hooks.push({ kind: q.endsWith('register_after_restore') ? 'after_restore' : 'before_snapshot', fns: [fn], file: sc.mod.file.path, line: lineOf(d) });
        continue;
      }
      const appMethod = calleeVal.fns.some((f) => f.self?.cls && mro(f.self.cls).some((c) => APP_CLASSES.has(c.name)));
      if (calleeVal.app || dv.app || appMethod) {
        this.appEntries.push(fn);
        continue;
      }
      const wrappers = expr?.type === 'call' ? dv.fns : calleeVal.fns;
      if (wrappers.length > 0) {
        // A project decorator runs now, at def time; what it returns replaces the function.
        const applied = merge(...wrappers.map((w) => this.callFunction(w, [bound], new Map(), sc, d)));
        bound = merge(bound, applied);
      }
    }
    this.storeName(name, bound, sc, node.childForFieldName('name')!);
    if (sc.cls) sc.cls.methods.set(name, fn);
  }

  private defineClass(node: Node, decorators: Node[], sc: Scope): void {
    for (const d of decorators) this.evalExpr(d.namedChildren[0] ?? null, sc);
    const name = node.childForFieldName('name')!.text;
    const bases: ClassInfo[] = [];
    for (const b of node.childForFieldName('superclasses')?.namedChildren ?? []) {
      if (b.type === 'keyword_argument') continue;
      bases.push(...this.evalExpr(b, sc).classes);
    }
    const cls: ClassInfo = { name, node, mod: sc.mod, attrs: new Map(), methods: new Map(), factories: new Map(), bases };
    const body = newScope({ vars: cls.attrs, mod: sc.mod, isModule: false, steps: sc.steps, cls });
    this.execBlock(node.childForFieldName('body'), body);
    this.storeName(name, valOf({ classes: [cls] }), sc, node.childForFieldName('name')!);
  }

  evalExpr(e: Node | null, sc: Scope): Val {
    if (!e || !this.tick()) return EMPTY;
    switch (e.type) {
      case 'identifier':
        return this.lookup(e.text, sc)?.val ?? EMPTY;
      case 'attribute':
        return this.attribute(this.evalExpr(e.childForFieldName('object'), sc), e.childForFieldName('attribute')!.text);
      case 'call':
        return this.evalCall(e, sc);
      case 'integer':
      case 'float':
      case 'true':
      case 'false':
      case 'none':
      case 'ellipsis':
      case 'comment':
        return EMPTY;
      case 'comparison_operator':
      case 'not_operator':
        for (const c of e.namedChildren) this.evalExpr(c, sc);
        return EMPTY;
      case 'lambda': {
        const fn: FnVal = { name: 'lambda', node: e, mod: sc.mod, ...(sc.isModule ? {} : { closure: sc }), defaults: new Map(), cache: { cached: false } };
        return valOf({ fns: [fn] });
      }
      case 'named_expression': {
        const v = this.evalExpr(e.childForFieldName('value'), sc);
        const n = e.childForFieldName('name');
        if (n) this.storeName(n.text, v, sc, n);
        return v;
      }
      case 'list':
      case 'tuple':
      case 'set':
      case 'dictionary': {
        const items = merge(...e.namedChildren.map((c) => (c.type === 'pair' ? this.evalExpr(c.childForFieldName('value'), sc) : this.evalExpr(c, sc))));
        const obj = new Obj(`the ${e.type === 'dictionary' ? 'dict' : e.type}`, undefined, true);
        if (items !== EMPTY) obj.attrs.set('[]', { val: items });
        return valOf({ objs: [obj], taints: items.taints, fns: items.fns });
      }
      case 'subscript': {
        const base = this.evalExpr(e.childForFieldName('value'), sc);
        for (const s of e.childrenForFieldName('subscript')) this.evalExpr(s, sc);
        return itemsOf(base);
      }
      case 'parenthesized_expression':
      case 'await':
        return this.evalExpr(e.namedChildren[0] ?? null, sc);
      case 'conditional_expression':
      case 'boolean_operator':
        return merge(...e.namedChildren.map((c) => this.evalExpr(c, sc)));
      default:
        // Operators, strings with interpolations, comprehensions: the result carries what went in.
        return taintsOnly(merge(...e.namedChildren.map((c) => this.evalExpr(c, sc))));
    }
  }

  attribute(base: Val, name: string): Val {
    const parts: Val[] = [];
    if (base.taints.length > 0) parts.push(valOf({ taints: base.taints }));
    if (base.ext !== undefined) {
      const ext = `${base.ext}.${name}`;
      parts.push(valOf({ ext, ...(base.app ? { app: true } : {}), ...(ext === 'os.environ' ? { objs: [this.environ] } : {}) }));
    }
    else if (base.app) parts.push(valOf({ app: true }));
    for (const obj of base.objs) {
      const slot = obj.attrs.get(name);
      if (slot) parts.push(slot.val);
      const m = obj.cls && findMethod(obj.cls, name);
      if (m) parts.push(valOf({ fns: [{ ...m, self: obj }] }));
      else if (obj.cls) {
        const ca = findClassAttr(obj.cls, name);
        if (ca) parts.push(ca.val);
      }
    }
    for (const cls of base.classes) {
      const m = findMethod(cls, name);
      if (m) parts.push(valOf({ fns: [m] }));
      const ca = findClassAttr(cls, name);
      if (ca) parts.push(ca.val);
    }
    for (const m of base.mods) {
      const slot = m.globals.get(name);
      if (slot) parts.push(slot.val);
      else {
        const sub = this.project.resolveModule(m.file, `${m.file.name}.${name}`, 0);
        if (sub) parts.push(valOf({ mods: [this.modState(sub)] }));
      }
    }
    return merge(...parts);
  }

  private evalCall(call: Node, sc: Scope): Val {
    const fnNode = call.childForFieldName('function');
    const callee = this.evalExpr(fnNode, sc);
    const positional: Val[] = [];
    const keywords = new Map<string, Val>();
    const positionalNodes: Node[] = [];
    const argsNode = call.childForFieldName('arguments');
    for (const a of argsNode?.type === 'argument_list' ? argsNode.namedChildren : argsNode ? [argsNode] : []) {
      if (a.type === 'keyword_argument') keywords.set(a.childForFieldName('name')!.text, this.evalExpr(a.childForFieldName('value'), sc));
      else if (a.type === 'comment') continue;
      else {
        positional.push(this.evalExpr(a.type === 'list_splat' || a.type === 'dictionary_splat' ? (a.namedChildren[0] ?? null) : a, sc));
        positionalNodes.push(a);
      }
    }
    if (sc.restore && fnNode?.type === 'attribute') this.refresh(fnNode.childForFieldName('object'), sc);
    const results: Val[] = [];
    const q = callee.ext;
    if (q !== undefined) {
      const entry = this.sources.lookup(q);
      if (/^os\.(environ\.(setdefault|update|__setitem__)|putenv)$/.test(q)) {
        const v = merge(...positional.slice(1), ...(q.endsWith('update') ? positional : []), ...keywords.values());
        if (v.taints.length > 0) this.environ.attrs.set('[]', { val: merge(this.environ.attrs.get('[]')?.val ?? EMPTY, v), site: { ...this.site(call, sc, () => ''), what: '`os.environ`' } });
      }
      if (entry) results.push(this.sourceCall(entry, call, positional, positionalNodes, keywords, sc));
      else if (q.endsWith('register_after_restore') || q.endsWith('register_before_snapshot')) {
        if (q.startsWith(HOOK_MODULE) || fnNode?.text.startsWith('register_')) {
          this.hooks.push({ kind: q.endsWith('register_after_restore') ? 'after_restore' : 'before_snapshot', fns: positional[0]?.fns ?? [], file: sc.mod.file.path, line: lineOf(call) });
        }
      } else if (APP_CLASSES.has(q.split('.').at(-1)!)) results.push(valOf({ ext: `${q}()`, app: true }));
      else if (keywords.has('default_factory') && /(^|\.)(field|Field)$/.test(q)) {
        results.push({ ...this.callValue(keywords.get('default_factory')!, call, sc), factory: true });
      } else {
        // A call outside the project: its result carries what went in (str(uuid4()), hashlib.sha256(key)),
        // and functions passed in stay reachable (Mangum(app), logger.inject_lambda_context(handler)).
        const ins = merge(taintsOnly(callee), ...positional, ...keywords.values());
        results.push(valOf({ taints: ins.taints, fns: ins.fns, ext: `${q}()`, ...(callee.app ? { app: true } : {}) }));
      }
    } else if (callee.fns.length === 0 && callee.classes.length === 0) {
      const ins = merge(taintsOnly(callee), ...positional, ...keywords.values());
      results.push(valOf({ taints: ins.taints, fns: ins.fns }));
    } else if (callee.app) results.push(valOf({ app: true }));
    for (const fn of callee.fns) {
      // A configured source may be a project function (`myapp.ids.new_id`).
      const custom = fn.node.type === 'function_definition' ? this.sources.lookupCustom(`${fn.mod.file.name}.${fn.name}`) : undefined;
      if (custom) results.push(this.sourceCall(custom, call, positional, positionalNodes, keywords, sc));
      else results.push(this.callFunction(fn, positional, keywords, sc, call));
    }
    for (const cls of callee.classes) results.push(this.instantiate(cls, positional, keywords, sc, call));
    return merge(...results);
  }

  /** In an after-restore hook, `x.reseed()` / `x.close()`: `x` is taken to be re-initialised. */
  private refresh(target: Node | null, sc: Scope): void {
    if (!target) return;
    const v = this.evalExpr(target, sc);
    for (const o of v.objs) o.refreshed = true;
    if (target.type === 'identifier' && v.taints.length > 0) {
      const slot = sc.mod.globals.get(target.text);
      if (slot && slot.val === v) sc.mod.globals.set(target.text, { val: { ...v, taints: [] }, ...(slot.site ? { site: slot.site } : {}) });
    }
  }

  /** Calls a value as a default_factory would. */
  private callValue(v: Val, call: Node, sc: Scope): Val {
    const parts: Val[] = [];
    if (v.ext !== undefined) {
      const entry = this.sources.lookup(v.ext);
      if (entry) parts.push(this.sourceCall(entry, call, [], [], new Map(), sc));
    }
    for (const fn of v.fns) parts.push(this.callFunction(fn, [], new Map(), sc, call));
    return merge(...parts);
  }

  private sourceCall(entry: PythonSourceEntry, call: Node, positional: Val[], positionalNodes: Node[], keywords: Map<string, Val>, sc: Scope): Val {
    const label = sourceLabel(entry);
    if (sc.restore) {
      if (entry.kind === 'reseed' && entry.state) this.restoredStates.add(entry.state);
      return EMPTY;
    }
    if (entry.when === 'unseeded') {
      const seed = positional[0] ?? keywords.get('seed') ?? keywords.get('a') ?? keywords.get('x');
      const seedNode = positionalNodes[0];
      const constant = seed !== undefined && seed.taints.length === 0 && seedNode?.type !== 'none';
      if (entry.kind === 'reseed') {
        if (entry.state && constant) this.constantSeed.add(entry.state);
        else if (entry.state) this.constantSeed.delete(entry.state);
        return EMPTY;
      }
      if (constant) return EMPTY;
    } else if (entry.when !== undefined && !keywords.has(entry.when.withKeyword)) return EMPTY;
    if (entry.kind === 'module-state' && entry.state && this.constantSeed.has(entry.state)) return EMPTY;
    if (entry.kind === 'reseed') return EMPTY;
    const taint: Taint = { source: label, category: entry.category!, kind: entry.kind === 'generator' ? 'generator' : 'value', file: sc.mod.file.path, line: lineOf(call) };
    if (entry.path === 'shuffle') {
      // In place: the list's order is now the snapshot's.
      for (const o of positional[0]?.objs ?? []) {
        if (!o.container) continue;
        const what = positionalNodes[0] ? `\`${positionalNodes[0].text}\` (shuffled by ${label})` : `${o.label} (shuffled by ${label})`;
        o.attrs.set('[]', { val: merge(o.attrs.get('[]')?.val ?? EMPTY, valOf({ taints: [taint] })), site: { ...this.site(call, sc, () => ''), what } });
      }
    }
    return valOf({ taints: [taint] });
  }

  callFunction(fn: FnVal, positional: Val[], keywords: Map<string, Val>, sc: Scope, at: Node | undefined): Val {
    if (fn.cache.cached && fn.cache.result) return fn.cache.result;
    const key = fn.node.id;
    if (this.active.has(key) || this.active.size >= MAX_DEPTH || this.exhausted) return EMPTY;
    this.active.add(key);
    try {
      const where = sc.fn ? `\`${sc.fn.name}\`` : sc.isModule ? `the top level of \`${sc.mod.file.path}\`` : 'init';
      const steps: Step[] = at ? [{ description: `\`${fn.name}\` called from ${where}`, file: sc.mod.file.path, line: lineOf(at) }, ...sc.steps] : [...sc.steps];
      const inner = newScope({ vars: new Map(), mod: fn.mod, isModule: false, steps, fn, ...(fn.closure ? { parent: fn.closure } : {}), ...(sc.restore ? { restore: true } : {}) });
      const names = fn.node.type === 'lambda' ? parameterNames(fn.node.childForFieldName('parameters')) : parameterNames(fn.node.childForFieldName('parameters'));
      let i = 0;
      for (const p of names) {
        if (fn.self && p === names[0]) {
          inner.vars.set(p, { val: valOf({ objs: [fn.self] }) });
          continue;
        }
        const v = keywords.get(p) ?? positional[i++] ?? fn.defaults.get(p)?.val ?? EMPTY;
        inner.vars.set(p, { val: v });
      }
      const body = fn.node.childForFieldName('body');
      if (fn.node.type === 'lambda') inner.returns.push(this.evalExpr(body, inner));
      else this.execBlock(body, inner);
      const result = merge(...inner.returns);
      if (!sc.restore) this.returns.set(fn.node.id, merge(this.returns.get(fn.node.id) ?? EMPTY, result));
      if (fn.cache.cached && !sc.restore) {
        fn.cache.result = result;
        const nameNode = fn.node.childForFieldName('name') ?? fn.node;
        fn.cache.site = {
          file: fn.mod.file.path,
          line: lineOf(nameNode),
          column: nameNode.startPosition.column + 1,
          endLine: nameNode.endPosition.row + 1,
          endColumn: nameNode.endPosition.column + 1,
          what: `\`${fn.name}()\` (cached by lru_cache/cache, first called during init)`,
          steps,
        };
      }
      return result;
    } finally {
      this.active.delete(key);
    }
  }

  private instantiate(cls: ClassInfo, positional: Val[], keywords: Map<string, Val>, sc: Scope, at: Node): Val {
    const obj = new Obj(`a \`${cls.name}\``, cls, false);
    for (const c of mro(cls)) {
      for (const [name, slot] of c.factories) {
        if (obj.attrs.has(name) || keywords.has(name)) continue;
        obj.attrs.set(name, { val: slot.val, ...(slot.site ? { site: { ...slot.site, what: `\`${name}\` (field of a \`${cls.name}\` made during init, from its default_factory)`, steps: [{ description: `\`${cls.name}\` instantiated`, file: sc.mod.file.path, line: lineOf(at) }, ...sc.steps] } } : {}) });
      }
    }
    const init = findMethod(cls, '__init__');
    if (init) this.callFunction({ ...init, self: obj }, positional, keywords, sc, at);
    return valOf({ objs: [obj] });
  }
}

export function newScope(p: { vars: Map<string, Slot>; mod: ModState; isModule: boolean; steps: readonly Step[]; parent?: Scope; fn?: FnVal; cls?: ClassInfo; restore?: boolean }): Scope {
  return { globalNames: new Set(), nonlocalNames: new Set(), returns: [], branch: 0, ...p };
}

/** What iterating or indexing a value gives: a container's entries, plus any taint. */
export function itemsOf(v: Val): Val {
  const parts: Val[] = [taintsOnly(v)];
  for (const o of v.objs) {
    const s = o.attrs.get('[]');
    if (o.container && s) parts.push(s.val);
  }
  return merge(...parts);
}

export function mro(cls: ClassInfo, seen = new Set<ClassInfo>()): ClassInfo[] {
  if (seen.has(cls)) return [];
  seen.add(cls);
  return [cls, ...cls.bases.flatMap((b) => mro(b, seen))];
}

export function findMethod(cls: ClassInfo, name: string): FnVal | undefined {
  for (const c of mro(cls)) {
    const m = c.methods.get(name);
    if (m) return m;
  }
  return undefined;
}

function findClassAttr(cls: ClassInfo, name: string): Slot | undefined {
  for (const c of mro(cls)) {
    const s = c.attrs.get(name);
    if (s && !c.methods.has(name)) return s;
  }
  return undefined;
}
