// The Java analysis's project model: every parsed class of a scan, kept per source root, and how a
// type name written in one class resolves to another (nested, imports, same package) the way javac
// would see it. Built by scan.ts's analyse step; handlers, flow and CRaC facts resolve through it.
// See docs/java.md.
import { stripGenerics, type IndexedClass } from '../prefilter.js';
import type { JClass, JFile, JMethod } from '../model/types.js';
import { forEachExpr } from '../model/walk.js';

/** `java.util.Map<String, List<X>>[]` → `Map`; `Outer.Inner` → `Inner`. */
export function simpleType(type: string): string {
  const out = cleanType(type);
  return out.split(/[.\s]/).filter(Boolean).at(-1) ?? out;
}

/** `final @NonNull java.util.Map<K, V>[]` → `java.util.Map` (the dotted name as written). */
function cleanType(type: string): string {
  return stripGenerics(type)
    .replace(/@[\w$.]+/g, '')
    .replace(/\[\]|\.\.\./g, '')
    .replace(/\bfinal\b/g, '')
    .trim()
    .split(/\s+/)
    .at(-1) ?? '';
}

/**
 * The source root of a file: its directory minus the package's directories
 * (`svc-a/src/main/java/app/H.java` in package `app` → `svc-a/src/main/java`). Files whose
 * directory does not end with their package keep their own directory as the root.
 */
function sourceRootOf(file: JFile): string {
  const dir = file.path.includes('/') ? file.path.slice(0, file.path.lastIndexOf('/')) : '';
  if (!file.pkg) return dir;
  const pkgDir = file.pkg.replaceAll('.', '/');
  if (dir === pkgDir) return '';
  return dir.endsWith(`/${pkgDir}`) ? dir.slice(0, -pkgDir.length - 1) : dir;
}

function commonPrefixLength(a: string, b: string): number {
  const pa = a.split('/');
  const pb = b.split('/');
  let n = 0;
  while (n < pa.length && n < pb.length && pa[n] === pb[n]) n++;
  return n;
}

/**
 * Every parsed class of a scan, and how a type name written in one class resolves to another.
 *
 * A scan often covers several modules or repositories, and the same fully qualified name can be
 * declared in more than one of them (copied handlers, per-module `Config` classes). Classes are
 * therefore kept per source root, and names resolve the way javac would see them from the class
 * that writes them: nested and same-file types, single-type imports, the same package, on-demand
 * imports — preferring the writer's own source root, then the nearest one. A name that resolves
 * to nothing in the project (a library type, or a project type that is not imported) is
 * undefined: a simple name alone never picks a class.
 */
export class Project {
  readonly classes: JClass[] = [];
  private readonly byFqn = new Map<string, JClass[]>();
  private readonly fileOf = new Map<JClass, JFile>();
  private readonly rootOf = new Map<JFile, string>();
  /** Anonymous classes → the class whose code creates them (for name resolution). */
  private readonly enclosing = new Map<JClass, JClass>();
  private readonly ids = new Map<JClass, number>();
  private readonly supertypeCache = new Map<JClass, Set<string>>();
  private readonly resolveCache = new Map<JClass, Map<string, JClass | null>>();

  constructor(
    readonly files: readonly JFile[],
    private readonly textIndex: ReadonlyMap<string, readonly IndexedClass[]>,
  ) {
    for (const file of files) {
      this.rootOf.set(file, sourceRootOf(file));
      for (const cls of file.classes) {
        this.classes.push(cls);
        this.fileOf.set(cls, file);
        const list = this.byFqn.get(cls.fqn);
        if (list) list.push(cls);
        else this.byFqn.set(cls.fqn, [cls]);
      }
    }
    for (const cls of this.classes) {
      forEachExpr(cls, (e, owner) => {
        if (e.k === 'new' && e.anonymous) this.enclosing.set(e.anonymous, owner);
      });
    }
  }

  /** A key unique to one class declaration (two modules may declare the same FQN). */
  keyOf(cls: JClass): string {
    let id = this.ids.get(cls);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(cls, id);
    }
    return `${cls.fqn}@${id}`;
  }

  /** The file a class is declared in (undefined for anonymous classes). */
  file(cls: JClass): JFile | undefined {
    return this.fileOf.get(cls);
  }

  /** The named class whose file a class's code belongs to (itself, or an anonymous class's creator). */
  private home(cls: JClass): JClass {
    let c = cls;
    for (let hops = 0; !this.fileOf.has(c) && hops < 16; hops++) {
      const outer = this.enclosing.get(c);
      if (!outer) break;
      c = outer;
    }
    return c;
  }

  /** The classes a nested class is declared in, innermost last (`a.B$C` → B), from its own file. */
  outerClasses(cls: JClass): JClass[] {
    const file = this.fileOf.get(cls);
    if (!file) return [];
    const parts = cls.fqn.split('$');
    const out: JClass[] = [];
    for (let i = 1; i < parts.length; i++) {
      const fqn = parts.slice(0, i).join('$');
      const outer = file.classes.find((c) => c.fqn === fqn);
      if (outer) out.push(outer);
    }
    return out;
  }

  /** Of several declarations of one FQN, the one nearest to the file that names it. */
  private nearest(fqn: string, from: JFile | undefined): JClass | undefined {
    const list = this.byFqn.get(fqn);
    if (!list || list.length === 0) return undefined;
    if (list.length === 1 || !from) return list[0];
    const root = this.rootOf.get(from) ?? '';
    let best = list[0]!;
    let bestScore = -1;
    for (const c of list) {
      const file = this.fileOf.get(c)!;
      if (file === from) return c;
      const other = this.rootOf.get(file) ?? '';
      const score = other === root ? Number.MAX_SAFE_INTEGER : commonPrefixLength(other, root);
      if (score > bestScore) {
        best = c;
        bestScore = score;
      }
    }
    return best;
  }

  /** A parsed class by a type name as written in `from` (simple, `Outer.Inner` or fully qualified). */
  resolve(typeName: string, from: JClass): JClass | undefined {
    const home = this.home(from);
    let cache = this.resolveCache.get(home);
    if (!cache) {
      cache = new Map();
      this.resolveCache.set(home, cache);
    }
    const hit = cache.get(typeName);
    if (hit !== undefined) return hit ?? undefined;
    cache.set(typeName, null); // guards the superclass walk against cycles
    const found = this.resolveUncached(cleanType(typeName), home);
    cache.set(typeName, found ?? null);
    return found;
  }

  private resolveUncached(name: string, from: JClass): JClass | undefined {
    const parts = name.split('.').filter(Boolean);
    if (parts.length === 0) return undefined;
    const file = this.fileOf.get(from);
    const head = this.resolveSimple(parts[0]!, from, file);
    if (head) return this.member(head, parts.slice(1), file);
    // A fully qualified name: `com.acme.Outer.Inner` → package `com.acme`, nested `Outer$Inner`.
    for (let i = parts.length - 1; i >= 1; i--) {
      const found = this.nearest(`${parts.slice(0, i).join('.')}.${parts.slice(i).join('$')}`, file);
      if (found) return found;
    }
    return undefined;
  }

  private member(cls: JClass, rest: readonly string[], file: JFile | undefined): JClass | undefined {
    if (rest.length === 0) return cls;
    return this.nearest(`${cls.fqn}$${rest.join('$')}`, this.fileOf.get(cls) ?? file);
  }

  private resolveSimple(simple: string, from: JClass, file: JFile | undefined): JClass | undefined {
    // 1. The class itself, a class it is nested in, or a member type of those or of their superclasses.
    const scopes = file ? [...this.outerClasses(from), from].reverse() : [from];
    for (const scope of scopes) {
      if (scope.name === simple) return scope;
      for (let c: JClass | undefined = scope, hops = 0; c && hops < 8; hops++) {
        const nested = this.nearest(`${c.fqn}$${simple}`, this.fileOf.get(c) ?? file);
        if (nested) return nested;
        c = c.superclass ? this.resolve(c.superclass, c) : undefined;
      }
    }
    if (!file) return undefined;
    // 2. A top-level type of the same file.
    const sameFile = file.classes.find((c) => c.name === simple && !c.fqn.includes('$'));
    if (sameFile) return sameFile;
    // 3. A single-type import decides, even when it names a library type.
    const imported = file.imports.find((i) => !i.isStatic && !i.onDemand && (i.name === simple || i.name.endsWith(`.${simple}`)));
    if (imported) return this.byQualifiedName(imported.name, file);
    // 4. The same package (any source root: main and test roots share packages at run time).
    const samePackage = this.nearest(file.pkg ? `${file.pkg}.${simple}` : simple, file);
    if (samePackage) return samePackage;
    // 5. On-demand imports: `import com.acme.*;` or `import com.acme.Outer.*;`.
    for (const imp of file.imports) {
      if (imp.isStatic || !imp.onDemand) continue;
      const found = this.byQualifiedName(`${imp.name}.${simple}`, file);
      if (found) return found;
    }
    return undefined;
  }

  /** `com.acme.Outer.Inner` (as imports write it) → the class, trying each package/nesting split. */
  private byQualifiedName(name: string, file: JFile): JClass | undefined {
    const parts = name.split('.');
    for (let i = parts.length - 1; i >= 0; i--) {
      const pkg = parts.slice(0, i).join('.');
      const found = this.nearest(`${pkg ? `${pkg}.` : ''}${parts.slice(i).join('$')}`, file);
      if (found) return found;
    }
    return undefined;
  }

  /** Whether a name written in `from` is imported explicitly from outside the project. */
  private importsExternal(simple: string, from: JClass): boolean {
    const file = this.fileOf.get(this.home(from));
    const imported = file?.imports.find((i) => !i.isStatic && !i.onDemand && i.name.endsWith(`.${simple}`));
    return imported !== undefined && this.byQualifiedName(imported.name, file!) === undefined;
  }

  superclassOf(cls: JClass): JClass | undefined {
    return cls.superclass ? this.resolve(cls.superclass, cls) : undefined;
  }

  /** Simple names of every supertype, through parsed classes and the text index of the others. */
  supertypes(cls: JClass): Set<string> {
    const cached = this.supertypeCache.get(cls);
    if (cached) return cached;
    const out = new Set<string>();
    const direct = (c: JClass): Array<[string, JClass]> => [...(c.superclass ? [c.superclass] : []), ...c.interfaces].map((t) => [t, c]);
    const queue: Array<[string, JClass | undefined]> = direct(cls);
    const seen = new Set<JClass>([cls]);
    while (queue.length > 0) {
      const [written, context] = queue.shift()!;
      const name = simpleType(written);
      out.add(name);
      const parsed = context ? this.resolve(written, context) : undefined;
      if (parsed) {
        if (!seen.has(parsed)) {
          seen.add(parsed);
          queue.push(...direct(parsed));
        }
        continue;
      }
      // Not parsed (or a library type): the text index knows the supertypes of unparsed project
      // classes by simple name, unless the name is imported from a library.
      if (context && this.importsExternal(name, context)) continue;
      for (const indexed of this.textIndex.get(name) ?? []) {
        for (const t of [...(indexed.superclass ? [indexed.superclass] : []), ...indexed.interfaces]) {
          if (!out.has(t)) queue.push([t, undefined]);
        }
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
