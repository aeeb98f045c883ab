import type { JClass, JExpr } from '../model/types.js';
import { forEachExpr, forEachExprIn } from '../model/walk.js';
import type { Project } from './project.js';

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
  /** Fields each resource class re-assigns in afterRestore(). */
  readonly restoredFields: ReadonlyMap<JClass, ReadonlySet<string>>;
}

export function cracFacts(project: Project): CracFacts {
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
      restoredFields.set(cls, fields);
    }
  }
  return { registered, weak, restoredFields };
}
