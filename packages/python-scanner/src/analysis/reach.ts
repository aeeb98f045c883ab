// The Python analysis's second half: walks the code that runs per invocation (the handler, what it
// calls, methods of objects made at init, callbacks) over an InitRun's result and collects each read
// of a value made during init and each draw from a module's generator (`random.randint()`); scan.ts turns
// them into python/* findings. See docs/python.md, "What runs during init".
import type { PythonSourceEntry } from '@snapstart/core';
import { lineOf, parameterNames } from '../model/module.js';
import type { Node } from '../parse.js';
import { findMethod, mro, type InitRun } from './init.js';
import type { PythonSources } from './sources.js';
import { EMPTY, valOf, type FnVal, type Scope, type Site, type Slot, type Taint, type Val } from './values.js';

/** A value made during init that code running per invocation reads. */
export interface InitRead {
  readonly site: Site;
  readonly taint: Taint;
  /** The function that reads it, and where. */
  readonly reader: string;
  readonly file: string;
  readonly line: number;
}

/** A draw from a module's generator (`random.randint()`) in code running per invocation. */
export interface StateDraw {
  readonly entry: PythonSourceEntry;
  readonly label: string;
  readonly reader: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

const FUNCTION_NODES = new Set(['function_definition', 'lambda', 'class_definition']);

const localsCache = new WeakMap<Node, Set<string>>();
const paramsCache = new WeakMap<Node, string[]>();

/** A function's parameter names (cached: asked for every name the reach walk resolves). */
function paramsOf(fn: Node): string[] {
  let p = paramsCache.get(fn);
  if (!p) {
    p = parameterNames(fn.childForFieldName('parameters'));
    paramsCache.set(fn, p);
  }
  return p;
}

/** Names a function body binds (its locals), not descending into nested functions; cached per node. */
function localNames(fn: Node): Set<string> {
  let cached = localsCache.get(fn);
  if (!cached) {
    cached = computeLocalNames(fn);
    localsCache.set(fn, cached);
  }
  return cached;
}

function computeLocalNames(fn: Node): Set<string> {
  const out = new Set(parameterNames(fn.childForFieldName('parameters')));
  const globals = new Set<string>();
  const addTarget = (t: Node | null): void => {
    if (!t) return;
    if (t.type === 'identifier') out.add(t.text);
    else if (['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list', 'list_splat_pattern', 'as_pattern_target'].includes(t.type)) for (const c of t.namedChildren) addTarget(c);
  };
  const visit = (n: Node): void => {
    for (const c of n.namedChildren) {
      switch (c.type) {
        case 'function_definition':
        case 'class_definition':
          addTarget(c.childForFieldName('name'));
          continue;
        case 'lambda':
          continue;
        case 'global_statement':
        case 'nonlocal_statement':
          for (const id of c.namedChildren) globals.add(id.text);
          continue;
        case 'assignment':
        case 'augmented_assignment':
          addTarget(c.childForFieldName('left'));
          break;
        case 'for_statement':
        case 'for_in_clause':
          addTarget(c.childForFieldName('left'));
          break;
        case 'named_expression':
          addTarget(c.childForFieldName('name'));
          break;
        case 'as_pattern':
          addTarget(c.childForFieldName('alias'));
          break;
        case 'import_statement':
        case 'import_from_statement':
          for (const n2 of c.childrenForFieldName('name')) {
            if (n2.type === 'aliased_import') out.add(n2.childForFieldName('alias')!.text);
            else out.add(n2.text.split('.')[0]!);
          }
          continue;
        default:
          break;
      }
      visit(c);
    }
  };
  const body = fn.childForFieldName('body');
  if (body) {
    if (fn.type === 'lambda') visit(fn);
    else visit(body);
  }
  for (const g of globals) out.delete(g);
  return out;
}

/** Whether an identifier is read (not a name being bound or an attribute's field). */
function isRead(id: Node): boolean {
  const p = id.parent;
  if (!p) return false;
  const field = (name: string): boolean => p.childForFieldName(name)?.id === id.id;
  switch (p.type) {
    case 'attribute':
      return !field('attribute');
    case 'keyword_argument':
      return !field('name');
    case 'function_definition':
    case 'class_definition':
      return !field('name');
    case 'parameters':
    case 'default_parameter':
    case 'typed_default_parameter':
    case 'typed_parameter':
      return p.type === 'default_parameter' || p.type === 'typed_default_parameter' ? field('value') : false;
    case 'assignment':
    case 'augmented_assignment':
      return !field('left') || p.type === 'augmented_assignment';
    case 'for_statement':
    case 'for_in_clause':
      return !field('left');
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
    case 'as_pattern_target':
    case 'global_statement':
    case 'nonlocal_statement':
    case 'dotted_name':
    case 'aliased_import':
    case 'import_prefix':
      return false;
    case 'named_expression':
      return !field('name');
    default:
      return true;
  }
}

interface Unit {
  readonly fn: FnVal;
  readonly reader: string;
}

/**
 * Walks the code that runs per invocation — the handler, what it calls (functions, methods of
 * objects made during init, functions passed as callbacks) — and collects every read of a value
 * made during init and every draw from a module generator.
 */
export class Reach {
  readonly reads: InitRead[] = [];
  readonly draws: StateDraw[] = [];
  /** Module generators reseeded in code that runs per invocation. */
  readonly reseeded = new Set<string>();
  private readonly seen = new Set<string>();
  private readonly queue: Unit[] = [];
  private readonly objIds = new Map<object, number>();

  constructor(
    private readonly run: InitRun,
    private readonly sources: PythonSources,
  ) {}

  private idOf(o: object | undefined): number {
    if (!o) return 0;
    let id = this.objIds.get(o);
    if (id === undefined) {
      id = this.objIds.size + 1;
      this.objIds.set(o, id);
    }
    return id;
  }

  enqueue(fn: FnVal): void {
    const key = `${fn.node.id}|${this.idOf(fn.self)}|${this.idOf(fn.closure)}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.queue.push({ fn, reader: fn.name });
  }

  drain(): void {
    while (this.queue.length > 0) {
      const unit = this.queue.shift()!;
      this.walkFunction(unit.fn, unit.fn.node, [], unit);
    }
  }

  private walkFunction(fn: FnVal, node: Node, outer: readonly Set<string>[], unit: Unit): void {
    const locals = [localNames(node), ...outer];
    const body = node.childForFieldName('body');
    // Reads of a parameter whose default was evaluated at init.
    for (const [name, slot] of fn.defaults) {
      if (node !== fn.node) break;
      if (body && containsRead(body, name)) this.report(slot, body, unit, name);
    }
    if (body) this.walk(body, fn, locals, unit);
  }

  private walk(n: Node, fn: FnVal, locals: readonly Set<string>[], unit: Unit): void {
    for (const c of n.namedChildren) {
      if (c.type === 'function_definition' || c.type === 'lambda') {
        // A nested function: its free names resolve through this function's (runtime) locals.
        for (const p of c.childForFieldName('parameters')?.namedChildren ?? []) {
          const v = p.childForFieldName('value');
          if (v) this.walk(v, fn, locals, unit);
        }
        this.walkFunction(fn, c, locals, unit);
        continue;
      }
      if (c.type === 'class_definition') continue;
      if (c.type === 'identifier') {
        if (isRead(c)) this.readName(c, fn, locals, unit);
        continue;
      }
      if (c.type === 'attribute' && isReadAttribute(c)) this.readAttribute(c, fn, locals, unit);
      if (c.type === 'call') this.call(c, fn, locals, unit);
      this.walk(c, fn, locals, unit);
    }
  }

  /** The slot a name read resolves to at run time, or 'local' for a runtime local. */
  private resolve(name: string, fn: FnVal, locals: readonly Set<string>[]): Slot | 'local' | undefined {
    for (const l of locals) if (l.has(name)) return 'local';
    for (let s: Scope | undefined = fn.closure; s && !s.isModule; s = s.parent) {
      const slot = s.vars.get(name);
      if (slot) return slot;
    }
    return fn.mod.globals.get(name);
  }

  /** What a name or attribute chain stands for, without running calls. */
  private staticVal(n: Node, fn: FnVal, locals: readonly Set<string>[]): Val {
    if (n.type === 'identifier') {
      const params = paramsOf(fn.node);
      if (fn.self && params[0] === n.text && locals.length > 0 && locals[locals.length - 1]!.has(n.text)) return valOf({ objs: [fn.self] });
      const r = this.resolve(n.text, fn, locals);
      return r === 'local' || r === undefined ? EMPTY : r.val;
    }
    if (n.type === 'attribute') {
      const base = this.staticVal(n.childForFieldName('object')!, fn, locals);
      return base === EMPTY ? EMPTY : this.run.attribute(base, n.childForFieldName('attribute')!.text);
    }
    if (n.type === 'call') {
      // `get_client().call(…)`: what the function returned when init called it (a singleton made then).
      const callee = this.staticVal(n.childForFieldName('function')!, fn, locals);
      const returned = callee.fns.map((f) => this.run.returns.get(f.node.id) ?? EMPTY);
      return returned.length === 0 ? EMPTY : valOf({ objs: returned.flatMap((r) => r.objs.filter((o) => !o.container)) });
    }
    return EMPTY;
  }

  private readName(id: Node, fn: FnVal, locals: readonly Set<string>[], unit: Unit): void {
    const r = this.resolve(id.text, fn, locals);
    if (r === 'local' || r === undefined) return;
    this.readVal(r, id, unit);
  }

  private readVal(slot: Slot, at: Node, unit: Unit): void {
    const v = slot.val;
    if (v.taints.length > 0 && slot.site) this.report(slot, at, unit);
    for (const f of v.fns) this.enqueue(f);
    for (const cls of v.classes) for (const c of mro(cls)) for (const m of c.methods.values()) this.enqueue(m);
    for (const o of v.objs) {
      if (!o.container || o.refreshed) continue;
      const items = o.attrs.get('[]');
      if (items && items.val.taints.length > 0) this.report(items.site ? items : { val: items.val, ...(slot.site ? { site: slot.site } : {}) }, at, unit);
      for (const f of items?.val.fns ?? []) this.enqueue(f);
    }
  }

  private readAttribute(a: Node, fn: FnVal, locals: readonly Set<string>[], unit: Unit): void {
    const base = this.staticVal(a.childForFieldName('object')!, fn, locals);
    if (base === EMPTY) return;
    const name = a.childForFieldName('attribute')!.text;
    for (const o of base.objs) {
      if (o.refreshed) continue;
      const slot = o.attrs.get(name);
      if (slot) this.readVal(slot, a, unit);
      const m = o.cls && findMethod(o.cls, name);
      if (m) this.enqueue({ ...m, self: o });
    }
    for (const m of base.mods) {
      const slot = m.globals.get(name);
      if (slot) this.readVal(slot, a, unit);
    }
    if (base.ext !== undefined) {
      // `os.environ[…]`: a container outside the project that init may have filled.
      for (const o of this.run.attribute(base, name).objs) if (o.container) this.readVal({ val: valOf({ objs: [o] }) }, a, unit);
    }
    for (const cls of base.classes) {
      const slot = cls.attrs.get(name);
      if (slot && !cls.methods.has(name)) this.readVal(slot, a, unit);
      const m = findMethod(cls, name);
      if (m) this.enqueue(m);
    }
  }

  private call(c: Node, fn: FnVal, locals: readonly Set<string>[], unit: Unit): void {
    const callee = c.childForFieldName('function')!;
    const v = this.staticVal(callee, fn, locals);
    for (const f of v.fns) {
      if (f.cache.cached && f.cache.result && f.cache.site && f.cache.result.taints.length > 0) this.report({ val: f.cache.result, site: f.cache.site }, c, unit);
    }
    if (v.ext === undefined) return;
    if (v.ext === 'os.getenv' || v.ext === 'os.environ.get') this.readVal({ val: valOf({ objs: [this.run.environ] }) }, c, unit);
    const entry = this.sources.lookup(v.ext);
    if (!entry || !entry.state) return;
    if (entry.kind === 'reseed') {
      this.reseeded.add(entry.state);
      return;
    }
    if (entry.kind !== 'module-state') return;
    this.draws.push({
      entry,
      label: `${v.ext}()`,
      reader: unit.reader,
      file: fn.mod.file.path,
      line: lineOf(c),
      column: c.startPosition.column + 1,
      endLine: c.endPosition.row + 1,
      endColumn: c.endPosition.column + 1,
    });
  }

  private report(slot: Slot, at: Node, unit: Unit, param?: string): void {
    if (!slot.site) return;
    const taints = slot.val.taints;
    // `time.time() - STARTED`: a clock reading kept only as a baseline for a duration.
    if (taints.every((t) => t.category === 'time') && isDurationBaseline(at)) return;
    const taint = taints[0]!;
    this.reads.push({ site: slot.site, taint, reader: param ? `${unit.reader} (parameter \`${param}\`)` : unit.reader, file: unit.fn.mod.file.path, line: lineOf(at) });
  }
}

function isReadAttribute(a: Node): boolean {
  const p = a.parent;
  if (!p) return true;
  if ((p.type === 'assignment' || p.type === 'augmented_assignment') && p.childForFieldName('left')?.id === a.id) return false;
  return true;
}

function isDurationBaseline(at: Node): boolean {
  const p = at.parent;
  return !!p && p.type === 'binary_operator' && p.childForFieldName('operator')?.text === '-' && p.childForFieldName('right')?.id === at.id;
}

function containsRead(n: Node, name: string): boolean {
  for (const c of n.namedChildren) {
    if (c.type === 'identifier' && c.text === name && isRead(c)) return true;
    if (FUNCTION_NODES.has(c.type)) continue;
    if (containsRead(c, name)) return true;
  }
  return false;
}

