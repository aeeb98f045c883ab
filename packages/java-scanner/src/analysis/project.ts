import { stripGenerics, type IndexedClass } from '../prefilter.js';
import type { JClass, JFile, JMethod } from '../model/types.js';

/** `java.util.Map<String, List<X>>[]` → `Map`; `Outer.Inner` → `Inner`. */
export function simpleType(type: string): string {
  const out = stripGenerics(type).replace(/\[\]/g, '').replace(/@\w+/g, '').replace(/\.\.\./g, '').trim();
  return out.split(/[.\s]/).filter(Boolean).at(-1) ?? out;
}

/** Where each parsed class lives, and the text index of every class of the scan (parsed or not). */
export class Project {
  readonly classes: JClass[] = [];
  private readonly bySimple = new Map<string, JClass[]>();
  private readonly byFqn = new Map<string, JClass>();
  private readonly fileOf = new Map<JClass, JFile>();
  private readonly supertypeCache = new Map<JClass, Set<string>>();

  constructor(
    readonly files: readonly JFile[],
    private readonly textIndex: ReadonlyMap<string, readonly IndexedClass[]>,
  ) {
    for (const file of files) {
      for (const cls of file.classes) {
        this.classes.push(cls);
        this.fileOf.set(cls, file);
        this.byFqn.set(cls.fqn, cls);
        const list = this.bySimple.get(cls.name);
        if (list) list.push(cls);
        else this.bySimple.set(cls.name, [cls]);
      }
    }
  }

  /** The classes a nested class is declared in, innermost last (`a.B$C` → B). */
  outerClasses(cls: JClass): JClass[] {
    const parts = cls.fqn.split('$');
    const out: JClass[] = [];
    for (let i = 1; i < parts.length; i++) {
      const outer = this.byFqn.get(parts.slice(0, i).join('$'));
      if (outer) out.push(outer);
    }
    return out;
  }

  file(cls: JClass): JFile | undefined {
    return this.fileOf.get(cls);
  }

  /** A parsed class by a type name as written in `from` (same package and imports preferred). */
  resolve(typeName: string, from?: JClass): JClass | undefined {
    const simple = simpleType(typeName);
    const candidates = this.bySimple.get(simple);
    if (!candidates || candidates.length === 0) return undefined;
    if (candidates.length === 1 || !from) return candidates[0];
    const file = this.fileOf.get(from);
    const imported = file?.imports.find((i) => !i.onDemand && i.name.endsWith(`.${simple}`));
    if (imported) return candidates.find((c) => c.fqn.replaceAll('$', '.') === imported.name) ?? candidates[0];
    return candidates.find((c) => this.fileOf.get(c)?.pkg === file?.pkg) ?? candidates[0];
  }

  superclassOf(cls: JClass): JClass | undefined {
    return cls.superclass ? this.resolve(cls.superclass, cls) : undefined;
  }

  /** Simple names of every supertype, through parsed classes and the text index of the others. */
  supertypes(cls: JClass): Set<string> {
    const cached = this.supertypeCache.get(cls);
    if (cached) return cached;
    const out = new Set<string>();
    const queue = [...(cls.superclass ? [cls.superclass] : []), ...cls.interfaces].map(simpleType);
    while (queue.length > 0) {
      const name = queue.shift()!;
      if (out.has(name)) continue;
      out.add(name);
      const parsed = this.bySimple.get(name)?.[0];
      if (parsed) {
        if (parsed.superclass) queue.push(simpleType(parsed.superclass));
        queue.push(...parsed.interfaces.map(simpleType));
        continue;
      }
      for (const indexed of this.textIndex.get(name) ?? []) {
        if (indexed.superclass) queue.push(indexed.superclass);
        queue.push(...indexed.interfaces);
      }
    }
    this.supertypeCache.set(cls, out);
    return out;
  }

  /** Methods named `name` in the class or its parsed superclasses, nearest first. */
  methodsNamed(cls: JClass, name: string, argCount?: number): JMethod[] {
    const out: JMethod[] = [];
    const seen = new Set<JClass>();
    for (let c: JClass | undefined = cls; c && !seen.has(c); c = this.superclassOf(c)) {
      seen.add(c);
      for (const m of c.methods) if (m.name === name && (argCount === undefined || m.params.length === argCount)) out.push(m);
      if (out.length > 0) break;
    }
    return out;
  }

  /** The class (this one or a parsed superclass) that declares a field. */
  fieldOwner(cls: JClass, field: string): JClass | undefined {
    const seen = new Set<JClass>();
    for (let c: JClass | undefined = cls; c && !seen.has(c); c = this.superclassOf(c)) {
      seen.add(c);
      if (c.fields.some((f) => f.name === field)) return c;
    }
    return undefined;
  }
}
