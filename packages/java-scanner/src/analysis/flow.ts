// The Java value flow: runs every init region of the init classes statement by statement, tracks
// which locals and fields hold values derived from a source, and records each store into a field
// that outlives init (the java/no-init-* rules report them). See docs/java.md.
import type { InitStep } from '@snapstart/core';
import type { JClass, JExpr, JField, JFile, JMethod, JStmt } from '../model/types.js';
import type { InitClass } from './handlers.js';
import { simpleType, type Project } from './project.js';
import { PRNG_TYPES, type JavaSources, type SourceHit } from './sources.js';
import { forEachExprIn } from '../model/walk.js';

/** A value derived from a source, with where the source call is. */
export interface Taint {
  readonly source: SourceHit;
  readonly line: number;
  /** The class the source call is in, when it is not the class of the store. */
  readonly in?: string;
}

/** One store of a derived value into a field that outlives init. */
export interface FieldStore {
  readonly cls: JClass;
  readonly field: string;
  readonly taint: Taint;
  readonly line: number;
  readonly column: number;
  readonly how: 'assigned' | 'filled' | 'holds' | 'bean';
  readonly initPath: readonly InitStep[];
  /** The method or initializer the store is in (for @SuppressWarnings on it). */
  readonly unit?: JMethod;
}

const COLLECTION_WRITERS = new Set([
  'add', 'addAll', 'put', 'putAll', 'putIfAbsent', 'offer', 'push', 'addFirst', 'addLast', 'set', 'computeIfAbsent', 'append',
]);
const MAX_DEPTH = 4;

function simpleOf(type: string | undefined): string | undefined {
  return type === undefined ? undefined : simpleType(type);
}

/** Two or more operands read a clock: their difference is a duration, not a timestamp. */
function isDuration(taints: readonly (Taint | undefined)[]): boolean {
  return taints.filter((t) => t?.source.category === 'time').length >= 2;
}

/**
 * Names of methods whose result is not made of their arguments: predicates and comparisons
 * (`isAfter(now)`, `hasExpired(now)`, `compareTo(now)`) and lookups that take the current time
 * only to check an expiry (`getIfNotExpired(key, now)`). Used for library methods, whose bodies
 * the scan cannot follow.
 */
function consultsOnly(name: string): boolean {
  return /^(?:is|has|can|should|equals|compareTo|contains|matches)(?:[A-Z_]\w*)?$/.test(name) || /(?:If|Unless)(?:Not)?(?:Expired|Stale|Valid|Fresh)$/.test(name);
}

/** `new Random(seed)` / `new SplittableRandom(seed)`: a generator given a seed. */
function isSeededGenerator(e: JExpr): boolean {
  if (e.k !== 'new' || e.anonymous || e.args.length === 0) return false;
  const simple = simpleType(e.type);
  return simple === 'Random' || simple === 'SplittableRandom';
}

/** An object being constructed by `new C(…)` in init code: what its fields receive is its taint. */
interface Construction {
  readonly cls: JClass;
  taint?: Taint;
}

interface Frame {
  readonly cls: JClass;
  readonly isStatic: boolean;
  /** `made`: the local holds an object constructed in this body (`Provider p = new Provider()`). */
  readonly locals: Map<string, { type: string; taint?: Taint; made?: boolean }>;
  readonly initPath: readonly InitStep[];
  readonly unit?: JMethod;
  readonly depth: number;
  readonly constructing?: Construction;
}

/**
 * Runs every init region of the init classes, statement by statement, tracking which locals and
 * fields hold values derived from a source, and records each store into a field.
 */
export class InitFlow {
  readonly stores: FieldStore[] = [];
  private readonly storeKeys = new Set<string>();
  /** Static classes reached from init code (their static initializers run during init). */
  private readonly staticReached = new Set<JClass>();
  private readonly fieldTaint = new Map<string, Taint>();
  private readonly summaries = new Map<JMethod, Taint | null>();
  private readonly visiting = new Set<string>();

  constructor(
    private readonly project: Project,
    private readonly sources: JavaSources,
    private readonly classes: ReadonlyMap<JClass, InitClass>,
  ) {}

  run(): void {
    for (const info of this.classes.values()) this.runClass(info.cls, [{ description: info.reason }]);
  }

  private runClass(cls: JClass, why: InitStep[]): void {
    const staticPath = [{ description: `static initializer of \`${cls.name}\``, line: cls.line }, ...why];
    this.runStatic(cls, staticPath);
    const instancePath = (what: string, line: number): InitStep[] => [{ description: what, line }, ...why];
    for (const field of cls.fields) {
      if (!field.isStatic && field.init) this.runFieldInit(cls, field, instancePath(`field initializer of \`${cls.name}\``, field.line));
    }
    for (const block of cls.instanceInits) this.runBody(cls, false, block, [], instancePath(`instance initializer of \`${cls.name}\``, cls.line));
    for (const ctor of cls.constructors) this.runMethod(cls, ctor, instancePath(`constructor of \`${cls.name}\``, ctor.line), [], 0);
    for (const m of cls.methods) {
      const hook =
        m.name === 'beforeCheckpoint'
          ? 'CRaC beforeCheckpoint (runs before the snapshot)'
          : m.annotations.some((a) => a.name === 'PostConstruct')
            ? '@PostConstruct method'
            : m.annotations.some((a) => a.name === 'Bean')
              ? '@Bean factory method (runs at startup)'
              : undefined;
      if (!hook) continue;
      const path = instancePath(`\`${cls.name}.${m.name}\` is a ${hook}`, m.line);
      const returned = this.runMethod(cls, m, path, [], 0);
      if (returned && m.annotations.some((a) => a.name === 'Bean')) {
        // The container keeps the bean: a function that captured an init-time value keeps it too.
        const ret = [...m.body].reverse().find((st) => st.k === 'return');
        const line = ret?.k === 'return' ? ret.line : m.line;
        const frame: Frame = { cls, isStatic: false, locals: new Map(), initPath: path, depth: 0, unit: m };
        this.recordStore(cls, `${m.name}()`, returned, line, 1, 'bean', frame);
      }
    }
  }

  private runStatic(cls: JClass, path: InitStep[]): void {
    if (this.staticReached.has(cls)) return;
    this.staticReached.add(cls);
    for (const field of cls.fields) if (field.isStatic && field.init) this.runFieldInit(cls, field, path);
    for (const block of cls.staticInits) this.runBody(cls, true, block, [], path);
    if (cls.enumConstantArgs.length > 0) {
      this.runBody(cls, true, cls.enumConstantArgs.map((e) => ({ k: 'expr', e })), [], path);
    }
  }

  private runFieldInit(cls: JClass, field: JField, path: readonly InitStep[], constructing?: Construction, depth = 0): void {
    const frame: Frame = { cls, isStatic: field.isStatic, locals: new Map(), initPath: path, depth, ...(constructing ? { constructing } : {}) };
    const taint = this.eval(field.init!, frame);
    this.storeField(cls, field.name, taint, field.init!, field.line, field.column, frame);
  }

  private runMethod(
    cls: JClass,
    method: JMethod,
    path: readonly InitStep[],
    args: readonly (Taint | undefined)[],
    depth: number,
    constructing?: Construction,
    outcome?: { followed: boolean },
  ): Taint | undefined {
    const key = `${this.project.keyOf(cls)}#${method.name}/${method.params.length}@${args.map((a) => (a ? 1 : 0)).join('')}@${path.length}@${constructing ? 'new' : ''}`;
    if (this.visiting.has(key) || depth > MAX_DEPTH) return undefined;
    this.visiting.add(key);
    if (outcome && method.body.length > 0) outcome.followed = true;
    try {
      // A generator handed to init code (injected, or passed along) is a generator whose state the snapshot captures.
      const params = method.params.map((p, i) => {
        const type = simpleType(p.type);
        const injected: Taint | undefined = PRNG_TYPES.has(type) ? { source: { label: `${type} (injected)`, category: 'random' }, line: method.line } : undefined;
        return { name: p.name, type: p.type, taint: args[i] ?? injected };
      });
      return this.runBody(cls, method.isStatic, method.body, params, path, method, depth, constructing);
    } finally {
      this.visiting.delete(key);
    }
  }

  /** Runs statements; returns the taint of what the body returns. */
  private runBody(
    cls: JClass,
    isStatic: boolean,
    body: readonly JStmt[],
    params: ReadonlyArray<{ name: string; type: string; taint?: Taint | undefined }>,
    initPath: readonly InitStep[],
    unit?: JMethod,
    depth = 0,
    constructing?: Construction,
  ): Taint | undefined {
    const frame: Frame = { cls, isStatic, locals: new Map(), initPath, depth, ...(unit ? { unit } : {}), ...(constructing ? { constructing } : {}) };
    for (const p of params) frame.locals.set(p.name, { type: p.type, ...(p.taint ? { taint: p.taint } : {}) });
    let returned: Taint | undefined;
    // Two passes: a loop can carry a value from a later statement to an earlier one.
    for (let pass = 0; pass < 2; pass++) {
      for (const stmt of body) {
        if (stmt.k === 'local') {
          const taint = stmt.init ? this.eval(stmt.init, frame) : undefined;
          const prev = frame.locals.get(stmt.name);
          const type = stmt.type === 'var' && stmt.init?.k === 'new' ? stmt.init.type : stmt.type;
          frame.locals.set(stmt.name, { type, ...(taint ?? prev?.taint ? { taint: taint ?? prev?.taint } : {}), ...(stmt.init?.k === 'new' ? { made: true } : {}) });
        } else if (stmt.k === 'expr') {
          this.eval(stmt.e, frame);
        } else if (stmt.e) {
          returned = this.eval(stmt.e, frame) ?? returned;
        }
      }
      if (pass === 0 && !body.some((s) => s.k === 'local')) break;
    }
    return returned;
  }

  private eval(e: JExpr, frame: Frame): Taint | undefined {
    switch (e.k) {
      case 'lit':
      case 'this':
      case 'super':
        return undefined;
      case 'name':
        return this.nameTaint(e.parts, frame);
      case 'field': {
        if (e.target.k === 'this') return this.fieldTaint.get(this.fieldKey(frame.cls, e.name));
        return this.eval(e.target, frame);
      }
      case 'assign': {
        const taint = this.eval(e.value, frame);
        this.store(e.target, taint, e.value, e.line, e.column, frame);
        return taint;
      }
      case 'op': {
        const taints = e.args.map((a) => this.eval(a, frame));
        // Clock minus clock (`System.nanoTime() - start`) is a duration, the same in every clone
        // only if the work it measures is: not a unique value.
        if (e.ops?.includes('-') && isDuration(taints)) return undefined;
        return taints.findLast(Boolean);
      }
      case 'lambda':
        return this.capturedTaint(e.body, frame);
      case 'new':
        return this.evalNew(e, frame);
      case 'call':
        return this.evalCall(e, frame);
    }
  }

  private evalNew(e: Extract<JExpr, { k: 'new' }>, frame: Frame): Taint | undefined {
    const argTaints = e.args.map((a) => this.eval(a, frame));
    if (e.anonymous) return undefined;
    const hit = this.sources.construction(e.type, e.args.length);
    if (hit) return { source: hit, line: e.line };
    if (isSeededGenerator(e)) {
      // `new Random(42)`, `new Random(config.seed())`: deterministic, unless the seed itself is unique.
      const seed = argTaints.find(Boolean);
      return seed ? { source: { label: `new ${simpleType(e.type)}(seed from ${seed.source.label})`, category: 'random' }, line: e.line } : undefined;
    }
    const cls = this.project.resolve(e.type, frame.cls);
    if (cls && cls.kind !== 'interface' && frame.depth < MAX_DEPTH) {
      // A project class constructed during init: its field initializers and constructor run now.
      // What they store in the new object's fields becomes the object's taint, reported where the
      // object is kept (`rngLib = new RngLib()`), not inside the class.
      const path = [{ description: `\`${cls.name}\` is constructed`, line: e.line }, ...frame.initPath];
      this.runStatic(cls, path);
      const construction: Construction = { cls };
      for (let c: JClass | undefined = cls, hops = 0; c && hops < MAX_DEPTH; c = this.project.superclassOf(c), hops++) {
        for (const field of c.fields) if (!field.isStatic && field.init) this.runFieldInit(c, field, path, construction, frame.depth + 1);
        for (const block of c.instanceInits) this.runBody(c, false, block, [], path, undefined, frame.depth + 1, construction);
      }
      for (const ctor of cls.constructors.filter((c) => c.params.length === e.args.length)) {
        this.runMethod(cls, ctor, path, argTaints, frame.depth + 1, construction);
      }
      if (construction.taint) return { ...construction.taint, in: construction.taint.in ?? cls.name };
    }
    // A wrapper object built from a derived value carries it.
    return argTaints.find(Boolean);
  }

  private evalCall(e: Extract<JExpr, { k: 'call' }>, frame: Frame): Taint | undefined {
    const argTaints = e.args.map((a) => this.eval(a, frame));
    const targetTaint = e.target ? this.eval(e.target, frame) : undefined;

    // 1. A source?
    const hit = this.matchSource(e, frame, targetTaint);
    if (hit) return { source: hit, line: e.line };
    // `Duration.between(start, now)`, `ChronoUnit.MILLIS.between(…)`, `start.until(now, unit)`: durations.
    if ((e.name === 'between' || e.name === 'until') && isDuration([targetTaint ?? this.qualifierTaint(e, frame), ...argTaints])) return undefined;

    // 2. Filling a collection held in a field.
    if (COLLECTION_WRITERS.has(e.name)) {
      const derived = argTaints.find(Boolean);
      const fieldName = this.receiverField(e, frame);
      if (derived && fieldName) this.recordField(frame.cls, fieldName, derived, e.line, e.column, 'filled', frame);
    }

    // 3. A project method: follow it (stores inside it are reported there; its return value flows back).
    const callee = this.resolveCall(e, frame);
    if (callee) {
      const [cls, methods] = callee;
      let returned: Taint | undefined;
      // A call on an object made here (`new Provider().get(…)`, or a local holding one): what the
      // method stores in that object's fields stays in the object (it dies, or is reported where
      // it is kept), instead of being reported as fields of a long-lived instance.
      const receiverLocal = !e.target && e.qualifier.length === 1 ? frame.locals.get(e.qualifier[0]!) : undefined;
      const ownObject: Construction | undefined = e.target?.k === 'new' || receiverLocal?.made === true ? { cls } : undefined;
      // Whether every candidate body was followed to its end: then what it returns is all that flows out.
      let followedAll = methods.length > 0;
      const chained = methods.some((m) => m.body.some((st) => st.k === 'return' && st.e?.k === 'this'));
      for (const m of methods) {
        const outcome = { followed: false };
        const why: InitStep = { description: `\`${cls.name}.${m.name === '<init>' ? cls.name : m.name}\` is called`, line: e.line };
        // `super(…)`/`this(…)` and calls on `this` act on the object under construction.
        const sameObject = frame.constructing && (e.name === '<super>' || e.name === '<this>' || !e.target) && !m.isStatic;
        const on = sameObject ? frame.constructing : m.isStatic ? undefined : ownObject;
        const result = this.runMethod(cls, m, [why, ...frame.initPath], argTaints, frame.depth + 1, on, outcome);
        followedAll &&= outcome.followed;
        if (result && cls !== frame.cls) returned = { ...result, in: result.in ?? cls.name };
        else returned = result ?? returned;
      }
      if (receiverLocal && ownObject?.taint) receiverLocal.taint ??= ownObject.taint;
      if (returned) return returned;
      // The bodies were followed and return nothing derived: an argument they only consult (a
      // clock reading as a cache lookup's expiry reference, `cache.getIfNotExpired(key, now())`)
      // is not in the result. The receiver still is (`holder.id()`), and so is an object that
      // kept the argument (`new Builder().withStart(now)` returning `this`).
      if (followedAll) return (chained ? ownObject?.taint : undefined) ?? targetTaint ?? this.qualifierTaint(e, frame);
    } else if (consultsOnly(e.name)) {
      // A library predicate or expiry lookup: its result is a boolean or a cached value, not the argument.
      return undefined;
    }

    // 4. Anything computed from a derived value is derived (toString, format, builders, concat helpers).
    return targetTaint ?? argTaints.find(Boolean) ?? this.qualifierTaint(e, frame);
  }

  private qualifierTaint(e: Extract<JExpr, { k: 'call' }>, frame: Frame): Taint | undefined {
    return e.qualifier.length > 0 ? this.nameTaint(e.qualifier, frame) : undefined;
  }

  /** `targetTaint`: what the receiver expression (already evaluated by the caller) carries. */
  private matchSource(e: Extract<JExpr, { k: 'call' }>, frame: Frame, targetTaint: Taint | undefined): SourceHit | undefined {
    if (this.drawsFromSeededGenerator(e, frame, targetTaint)) return undefined;
    if (!e.target) {
      if (e.qualifier.length > 0) {
        const q = e.qualifier;
        // `UUID.randomUUID()`, `java.util.UUID.randomUUID()`: the owner is a type, not a variable.
        if (!this.isVariable(q[0]!, frame)) {
          const hit = this.sources.staticCall(q.at(-1)!, e.name);
          if (hit) return hit;
        }
        return this.sources.instanceCall(simpleOf(this.typeOfName(q, frame)), e.name, e.args.length);
      }
      // Static imports: `randomUUID()` after `import static java.util.UUID.randomUUID`.
      const owner = this.staticImportOwner(e.name, frame.cls);
      if (owner) {
        const hit = this.sources.staticCall(owner, e.name);
        if (hit) return hit;
      }
      return undefined;
    }
    return this.sources.instanceCall(simpleOf(this.typeOfExpr(e.target, frame)), e.name, e.args.length);
  }

  /** `new Random(42).nextInt()`, or `rng.nextInt()` on a field initialized with a seeded generator. */
  private drawsFromSeededGenerator(e: Extract<JExpr, { k: 'call' }>, frame: Frame, targetTaint: Taint | undefined): boolean {
    // An inline `new Random(seed)` carries a taint only when its seed is unique (evalNew).
    if (e.target) return isSeededGenerator(e.target) && targetTaint === undefined;
    const q = e.qualifier;
    const name = q.length === 1 ? q[0] : q.length === 2 && q[0] === 'this' ? q[1] : undefined;
    if (!name || frame.locals.has(name)) return false;
    const owner = this.project.fieldOwner(frame.cls, name);
    const init = owner?.fields.find((f) => f.name === name)?.init;
    return init !== undefined && isSeededGenerator(init) && !this.fieldTaint.has(this.fieldKey(frame.cls, name));
  }

  private staticImportOwner(method: string, cls: JClass): string | undefined {
    const file: JFile | undefined = this.project.file(cls);
    for (const imp of file?.imports ?? []) {
      if (!imp.isStatic) continue;
      const parts = imp.name.split('.');
      if (imp.onDemand) {
        if (this.sources.staticCall(parts.at(-1)!, method)) return parts.at(-1);
      } else if (parts.at(-1) === method) {
        return parts.at(-2);
      }
    }
    return undefined;
  }

  private isVariable(name: string, frame: Frame): boolean {
    return frame.locals.has(name) || this.project.fieldOwner(frame.cls, name) !== undefined;
  }

  /** Declared type (as written) of `a` or `this.a` where `a` is a local or a field. */
  private typeOfName(parts: readonly string[], frame: Frame): string | undefined {
    if (parts.length === 0) return undefined;
    const first = parts[0] === 'this' ? parts[1] : parts[0];
    if (first === undefined) return undefined;
    if (parts.length > (parts[0] === 'this' ? 2 : 1)) return undefined;
    const local = frame.locals.get(first);
    if (local) return local.type;
    const owner = this.project.fieldOwner(frame.cls, first);
    const field = owner?.fields.find((f) => f.name === first);
    return field?.type;
  }

  private typeOfExpr(e: JExpr, frame: Frame): string | undefined {
    if (e.k === 'name') return this.typeOfName(e.parts, frame);
    if (e.k === 'field' && e.target.k === 'this') return this.typeOfName([e.name], frame);
    if (e.k === 'new') return e.type;
    if (e.k === 'call') {
      // `ThreadLocalRandom.current()`, `Clock.systemUTC()`, `KeyGenerator.getInstance(…)`, `new Random().ints()`.
      const owner = e.qualifier.at(-1);
      if (owner === 'ThreadLocalRandom' && e.name === 'current') return 'ThreadLocalRandom';
      if (owner === 'Clock' && /^system/.test(e.name)) return 'Clock';
      if (owner && e.name === 'getInstance') return owner;
    }
    return undefined;
  }

  private nameTaint(parts: readonly string[], frame: Frame): Taint | undefined {
    const first = parts[0];
    if (first === undefined) return undefined;
    if (first === 'this' || first === 'super') return parts[1] ? this.fieldTaint.get(this.fieldKey(frame.cls, parts[1])) : undefined;
    const local = frame.locals.get(first);
    if (local) return local.taint;
    const owner = this.project.fieldOwner(frame.cls, first);
    if (owner) return this.fieldTaint.get(this.fieldKey(owner, first));
    // `Other.CONSTANT`, `Outer.Inner.CONSTANT`, `com.acme.Config.CONSTANT` of a project class: its static initializer runs now.
    const other = parts.length >= 2 ? this.project.resolve(parts.slice(0, -1).join('.'), frame.cls) : undefined;
    if (other) {
      this.runStatic(other, [{ description: `\`${other.name}\` is loaded by init code`, line: 0 }, ...frame.initPath]);
      return this.fieldTaint.get(this.fieldKey(other, parts.at(-1)!));
    }
    return undefined;
  }

  private capturedTaint(body: readonly JStmt[], frame: Frame): Taint | undefined {
    // A lambda that reads a derived local captures it: the value lives as long as the lambda.
    const names = new Set<string>();
    forEachExprIn(
      body,
      (e) => {
        if (e.k === 'name') names.add(e.parts[0]!);
        else if (e.k === 'call' && e.qualifier[0]) names.add(e.qualifier[0]);
      },
      false,
    );
    for (const name of names) {
      const taint = frame.locals.get(name)?.taint;
      if (taint) return taint;
    }
    return undefined;
  }

  /** The field a collection call writes into: `list.add(…)`, `this.cache.put(…)`. */
  private receiverField(e: Extract<JExpr, { k: 'call' }>, frame: Frame): string | undefined {
    let name: string | undefined;
    if (e.target?.k === 'field' && e.target.target.k === 'this') name = e.target.name;
    else if (!e.target && e.qualifier.length === 1) name = e.qualifier[0];
    else if (!e.target && e.qualifier.length === 2 && e.qualifier[0] === 'this') name = e.qualifier[1];
    if (!name || frame.locals.has(name)) return undefined;
    return this.project.fieldOwner(frame.cls, name) ? name : undefined;
  }

  private resolveCall(e: Extract<JExpr, { k: 'call' }>, frame: Frame): [JClass, JMethod[]] | undefined {
    const cls = frame.cls;
    if (e.name === '<super>') {
      const sup = this.project.superclassOf(cls);
      return sup ? [sup, sup.constructors.filter((c) => c.params.length === e.args.length)] : undefined;
    }
    if (e.name === '<this>') return [cls, cls.constructors.filter((c) => c.params.length === e.args.length)];
    if (e.target && e.target.k !== 'this' && e.target.k !== 'super') {
      const type = this.typeOfExpr(e.target, frame);
      const target = type ? this.project.resolve(type, cls) : undefined;
      return target ? [target, this.project.methodsNamed(target, e.name, e.args.length)] : undefined;
    }
    const q = e.qualifier;
    if (q.length === 0 || (q.length === 1 && (q[0] === 'this' || q[0] === 'super'))) {
      const base = q[0] === 'super' ? this.project.superclassOf(cls) : cls;
      return base ? [base, this.project.methodsNamed(base, e.name, e.args.length)] : undefined;
    }
    if (q.length === 1) {
      const variableType = this.typeOfName(q, frame);
      if (variableType) {
        const target = this.project.resolve(variableType, cls);
        return target ? [target, this.project.methodsNamed(target, e.name, e.args.length)] : undefined;
      }
    }
    // `Ids.make()`, `Outer.Inner.make()`, `com.acme.Ids.make()`: a static method of a project class.
    if (!this.isVariable(q[0]!, frame)) {
      const staticOwner = this.project.resolve(q.join('.'), cls);
      if (staticOwner) {
        this.runStatic(staticOwner, [{ description: `\`${staticOwner.name}\` is loaded by init code`, line: e.line }, ...frame.initPath]);
        return [staticOwner, this.project.methodsNamed(staticOwner, e.name, e.args.length).filter((m) => m.isStatic)];
      }
    }
    return undefined;
  }

  private store(target: JExpr, taint: Taint | undefined, value: JExpr, line: number, column: number, frame: Frame): void {
    if (target.k === 'name') {
      const [first, second] = target.parts;
      if (first === undefined) return;
      if (target.parts.length === 1) {
        const local = frame.locals.get(first);
        if (local) {
          if (taint) local.taint = taint;
          return;
        }
        this.storeField(frame.cls, first, taint, value, line, column, frame);
        return;
      }
      if ((first === 'this' || first === 'super') && second && target.parts.length === 2) {
        this.storeField(frame.cls, second, taint, value, line, column, frame);
        return;
      }
      const local = frame.locals.get(first);
      if (local) {
        if (taint) local.taint = taint; // a local object now holds the value
        return;
      }
      const other = this.project.resolve(first, frame.cls);
      if (other && second && target.parts.length === 2) this.storeField(other, second, taint, value, line, column, frame);
      return;
    }
    if (target.k === 'field' && target.target.k === 'this') {
      this.storeField(frame.cls, target.name, taint, value, line, column, frame);
    }
  }

  private storeField(cls: JClass, name: string, taint: Taint | undefined, value: JExpr, line: number, column: number, frame: Frame): void {
    const owner = this.project.fieldOwner(cls, name);
    if (!owner) return;
    const field = owner.fields.find((f) => f.name === name);
    let stored = taint;
    let how: FieldStore['how'] = 'assigned';
    if (!stored && field && PRNG_TYPES.has(simpleType(field.type)) && value.k !== 'lit' && !isSeededGenerator(value) && simpleOf(this.typeOfExpr(value, frame)) !== 'SecureRandom') {
      // A generator of unknown origin in a Random field (`Random.class.cast(x)`, a factory) is still a generator.
      stored = { source: { label: `${simpleType(field.type)} instance`, category: 'random' }, line };
      how = 'holds';
    }
    if (stored) this.recordStore(owner, name, stored, line, column, how, frame);
  }

  private recordField(cls: JClass, name: string, taint: Taint, line: number, column: number, how: FieldStore['how'], frame: Frame): void {
    const owner = this.project.fieldOwner(cls, name) ?? cls;
    this.recordStore(owner, name, taint, line, column, how, frame);
  }

  private recordStore(cls: JClass, field: string, taint: Taint, line: number, column: number, how: FieldStore['how'], frame: Frame): void {
    const c = frame.constructing;
    if (c && !this.isStaticField(cls, field) && this.isSameOrSuper(c.cls, cls)) {
      c.taint ??= taint;
      return;
    }
    this.fieldTaint.set(this.fieldKey(cls, field), taint);
    const key = `${this.project.keyOf(cls)}#${field}@${line}`;
    if (this.storeKeys.has(key)) return;
    this.storeKeys.add(key);
    this.stores.push({ cls, field, taint, line, column, how, initPath: frame.initPath, ...(frame.unit ? { unit: frame.unit } : {}) });
  }

  private isStaticField(cls: JClass, name: string): boolean {
    return cls.fields.find((f) => f.name === name)?.isStatic ?? false;
  }

  private isSameOrSuper(sub: JClass, cls: JClass): boolean {
    for (let c: JClass | undefined = sub, hops = 0; c && hops < MAX_DEPTH; c = this.project.superclassOf(c), hops++) if (c === cls) return true;
    return false;
  }

  private fieldKey(cls: JClass, name: string): string {
    const owner = this.project.fieldOwner(cls, name) ?? cls;
    return `${this.project.keyOf(owner)}#${name}`;
  }
}

