// The Java analysis's CRaC facts: which classes are `org.crac.Resource`s, which are registered
// strongly or only weakly (`register(new …)`), and which fields each one's afterRestore() re-assigns
// or reseeds from a source. scan.ts's analyse step computes them; the java/crac-* rules and the
// restore-awareness of the java/no-init-* rules read them. See docs/java.md, "Restore awareness".
import type { JClass, JExpr, JMethod } from '../model/types.js';
import { forEachExpr, forEachExprIn } from '../model/walk.js';
import { simpleType, type Project } from './project.js';
import { PRNG_TYPES, type JavaSources } from './sources.js';

/**
 * Static owners whose draws come from generator state kept in the process (`Math.random()`'s hidden
 * `Random`, commons-lang's static `Random`): restored with the snapshot, the same in every clone, so
 * not a fresh seed after restore. Draws on a `Random`/`SplittableRandom`/`ThreadLocalRandom`
 * receiver (PRNG_TYPES) are excluded for the same reason: `rng.setSeed(rng.nextLong())` replays.
 */
const IN_PROCESS_GENERATORS = new Set(['Math', 'StrictMath', 'ThreadLocalRandom', 'RandomStringUtils', 'RandomUtils']);

export function isCracResource(cls: JClass, project: Project): boolean {
  if (!project.supertypes(cls).has('Resource')) return false;
  const file = project.file(cls);
  const viaImport = file?.imports.some((i) => /^(org|jdk)\.crac\b/.test(i.name)) ?? false;
  const qualified = cls.interfaces.some((t) => /(^|\.)crac\.Resource\b/.test(t));
  return viaImport || qualified || cls.kind === 'anonymous';
}

export interface CracFacts {
  /** Resource classes registered with a strong reference (`register(this)`, a kept field or local). */
  readonly registered: ReadonlySet<JClass>;
  /** `register(new …)` calls: the context holds the only reference, weakly. */
  readonly weak: ReadonlyArray<{ readonly cls: JClass; readonly line: number; readonly column: number; readonly type: string }>;
  /**
   * Fields each resource class re-assigns in afterRestore(), or reseeds there with
   * `field.setSeed(seed)` where the seed comes from a source (SecureRandom, a clock…): a constant
   * seed gives every clone the same sequence again, so it does not count.
   */
  readonly restoredFields: ReadonlyMap<JClass, ReadonlySet<string>>;
}

/**
 * The field a `setSeed(…)` call in `cls` reseeds: `rng.setSeed`, `this.rng.setSeed`,
 * `Owner.RNG.setSeed` (its own class). Undefined for anything else (a local, another object).
 */
function reseededField(e: Extract<JExpr, { k: 'call' }>, cls: JClass, locals: ReadonlyMap<string, unknown>): string | undefined {
  if (e.name !== 'setSeed' || e.args.length !== 1) return undefined;
  let parts: readonly string[] = e.qualifier;
  if (e.target) {
    if (e.target.k === 'field' && e.target.target.k === 'this') parts = ['this', e.target.name];
    else if (e.target.k === 'name') parts = e.target.parts;
    else return undefined;
  }
  const name = parts.length === 1 ? parts[0]! : parts.length === 2 && (parts[0] === 'this' || parts[0] === cls.name) ? parts[1]! : undefined;
  if (!name || (parts.length === 1 && locals.has(name))) return undefined;
  return cls.fields.some((f) => f.name === name) ? name : undefined;
}

/**
 * Whether an expression in `afterRestore()` is derived from a source, so it differs in every
 * restored clone: a call or construction the catalogue knows (`new SecureRandom().nextLong()`,
 * `System.nanoTime()`, a SecureRandom field's `nextLong()`), or a local initialized from one —
 * not a draw from a generator whose state the snapshot holds (IN_PROCESS_GENERATORS).
 */
function derivesFromSource(e: JExpr, cls: JClass, sources: JavaSources, derivedLocals: ReadonlySet<string>, localTypes: ReadonlyMap<string, string>): boolean {
  const typeOfReceiver = (t: JExpr | undefined, qualifier: readonly string[]): string | undefined => {
    if (t?.k === 'new') return simpleType(t.type);
    const parts = t?.k === 'name' ? t.parts : t?.k === 'field' && t.target.k === 'this' ? ['this', t.name] : t ? undefined : qualifier;
    if (!parts || parts.length === 0 || parts.length > 2) return undefined;
    const name = parts.at(-1)!;
    if (parts.length === 2 && parts[0] !== 'this' && parts[0] !== cls.name) return undefined;
    const local = parts.length === 1 ? localTypes.get(name) : undefined;
    const type = local ?? cls.fields.find((f) => f.name === name)?.type;
    return type === undefined ? undefined : simpleType(type);
  };
  let found = false;
  forEachExprIn(
    [{ k: 'expr', e }],
    (x) => {
      if (found) return;
      if (x.k === 'name' && x.parts.length === 1 && derivedLocals.has(x.parts[0]!)) found = true;
      else if (x.k === 'new') found = sources.construction(x.type, x.args.length) !== undefined;
      else if (x.k === 'call') {
        const owner = !x.target && x.qualifier.length > 0 ? x.qualifier.at(-1)! : undefined;
        const receiver = typeOfReceiver(x.target, x.qualifier);
        found =
          (owner !== undefined && receiver === undefined && !IN_PROCESS_GENERATORS.has(owner) && sources.staticCall(owner, x.name) !== undefined) ||
          (receiver !== undefined && !PRNG_TYPES.has(receiver) && sources.instanceCall(receiver, x.name, x.args.length) !== undefined);
      }
    },
    false,
  );
  return found;
}

/** Fields `afterRestore()` reseeds from a source (`RANDOM.setSeed(new SecureRandom().nextLong())`). */
function reseededFields(cls: JClass, after: JMethod, sources: JavaSources): Set<string> {
  const out = new Set<string>();
  const derivedLocals = new Set<string>();
  const localTypes = new Map<string, string>();
  for (const stmt of after.body) {
    if (stmt.k === 'local') {
      localTypes.set(stmt.name, stmt.type === 'var' && stmt.init?.k === 'new' ? stmt.init.type : stmt.type);
      if (stmt.init && derivesFromSource(stmt.init, cls, sources, derivedLocals, localTypes)) derivedLocals.add(stmt.name);
      continue;
    }
    if (!stmt.e) continue;
    forEachExprIn(
      [stmt],
      (e) => {
        if (e.k !== 'call') return;
        const field = reseededField(e, cls, localTypes);
        if (field && derivesFromSource(e.args[0]!, cls, sources, derivedLocals, localTypes)) out.add(field);
      },
      false,
    );
  }
  return out;
}

/** `sources` tell a fresh seed from a constant one in afterRestore(). */
export function cracFacts(project: Project, sources: JavaSources): CracFacts {
  const registered = new Set<JClass>();
  const weak: Array<{ cls: JClass; line: number; column: number; type: string }> = [];
  const restoredFields = new Map<JClass, Set<string>>();
  for (const cls of project.classes) {
    forEachExpr(cls, (e, owner) => {
      if (e.k !== 'call' || e.name !== 'register' || e.args.length !== 1) return;
      const arg = e.args[0]!;
      const viaContext = (e.target?.k === 'call' && e.target.name === 'getGlobalContext') || e.qualifier.some((q) => /context/i.test(q));
      if (arg.k === 'this') {
        registered.add(owner);
      } else if (arg.k === 'new') {
        const target = arg.anonymous ? undefined : project.resolve(arg.type, owner);
        const isResource = arg.anonymous ? arg.type === 'Resource' : target ? isCracResource(target, project) : false;
        if (viaContext || isResource) weak.push({ cls: owner, line: arg.line, column: e.column, type: arg.anonymous ? 'an anonymous Resource' : arg.type });
      } else if (arg.k === 'call' && arg.args.length === 0 && !arg.target) {
        // `register(get())`, `register(Holder.instance())`: a singleton accessor. The instance it
        // returns is kept by its class (a static field), so the registration is strong.
        const owners = arg.qualifier.length === 0 ? [owner] : [project.resolve(arg.qualifier.join('.'), owner)].filter((c): c is JClass => c !== undefined);
        for (const c of owners) {
          for (const m of project.methodsNamed(c, arg.name, 0)) {
            const target = project.resolve(m.returnType, c);
            if (target && isCracResource(target, project)) registered.add(target);
          }
        }
      } else if (arg.k === 'name' && arg.parts.length <= 2) {
        const name = arg.parts.at(-1)!;
        const fieldOwner = project.fieldOwner(owner, name);
        const field = fieldOwner?.fields.find((f) => f.name === name);
        const target = field ? project.resolve(field.type, owner) : undefined;
        if (target) registered.add(target);
      }
    });
    const after = cls.methods.find((m) => m.name === 'afterRestore');
    if (after && isCracResource(cls, project)) {
      const fields = new Set<string>();
      const note = (t: JExpr): void => {
        if (t.k === 'name' && t.parts.length === 1) fields.add(t.parts[0]!);
        else if (t.k === 'name' && t.parts[0] === 'this' && t.parts[1]) fields.add(t.parts[1]);
        else if (t.k === 'field' && t.target.k === 'this') fields.add(t.name);
      };
      forEachExprIn(after.body, (e) => {
        if (e.k === 'assign') note(e.target);
      });
      for (const f of reseededFields(cls, after, sources)) fields.add(f);
      restoredFields.set(cls, fields);
    }
  }
  return { registered, weak, restoredFields };
}
