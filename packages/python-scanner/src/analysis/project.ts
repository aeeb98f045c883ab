/** What import resolution needs of a file. */
export interface ModuleRef {
  readonly path: string;
  readonly name: string;
}

/** The project's Python files and how an import statement finds one. */
export class PyProject<F extends ModuleRef = ModuleRef> {
  private readonly byPath = new Map<string, F>();
  /** Every dotted suffix of every module name → files (`a.b.c` is indexed as `a.b.c`, `b.c`, `c`). */
  private readonly bySuffix = new Map<string, F[]>();

  /** Directories that are packages (hold an `__init__.py`). */
  private readonly packages = new Set<string>();

  constructor(readonly files: readonly F[]) {
    for (const f of files) if (f.path === '__init__.py' || f.path.endsWith('/__init__.py')) this.packages.add(f.path.slice(0, -'__init__.py'.length).replace(/\/$/, ''));
    for (const f of files) {
      this.byPath.set(f.path, f);
      const parts = f.name.split('.');
      for (let i = 0; i < parts.length; i++) {
        const key = parts.slice(i).join('.');
        if (!key) continue;
        this.bySuffix.set(key, [...(this.bySuffix.get(key) ?? []), f]);
      }
    }
  }

  file(path: string): F | undefined {
    return this.byPath.get(path);
  }

  /**
   * The file of a module imported from `from`. Relative imports are resolved by path; absolute
   * ones by the module name's suffix (the scan root may be above the function's source root),
   * preferring the candidate nearest to the importing file. Undefined: not project code (stdlib,
   * an installed package). `anyRoot`: for handler settings (a descriptor at the repository root
   * names `app.handler` of `functions/orders/app.py`), any directory may be the source root.
   */
  resolveModule(from: F, module: string, level: number, anyRoot = false): F | undefined {
    if (level > 0) return this.resolveUncached(from, module, level, anyRoot);
    // Absolute imports: the same module imported from the same directory resolves the same way.
    const key = `${anyRoot ? 1 : 0}|${module}|${from.path.slice(0, from.path.lastIndexOf('/') + 1)}`;
    if (this.cache.has(key)) return this.cache.get(key);
    const found = this.resolveUncached(from, module, level, anyRoot);
    this.cache.set(key, found);
    return found;
  }

  private readonly cache = new Map<string, F | undefined>();

  private resolveUncached(from: F, module: string, level: number, anyRoot: boolean): F | undefined {
    if (level > 0) {
      const dir = from.path.split('/').slice(0, -1);
      const up = dir.slice(0, Math.max(0, dir.length - (level - 1)));
      const base = [...up, ...(module ? module.split('.') : [])].join('/');
      return this.byPath.get(`${base}.py`) ?? this.byPath.get(base ? `${base}/__init__.py` : '__init__.py');
    }
    // Only a module directly under a source root — the directory above its dotted path is not a
    // package (`import random` is not `numpy/random/__init__.py`) — and a root the importing file
    // sits in (Lambda puts the function's root on sys.path), or a layer's `python/` directory.
    const depth = module.split('.').length;
    const fromDir = from.path.split('/').slice(0, -1).join('/');
    const candidates = (this.bySuffix.get(module) ?? []).filter((c) => {
      const dirs = c.path.split('/').slice(0, -1);
      const isPackage = c.path.endsWith('/__init__.py') || c.path === '__init__.py';
      const root = dirs.slice(0, dirs.length - (isPackage ? depth : depth - 1)).join('/');
      if (this.packages.has(root)) return false;
      return anyRoot || root === '' || fromDir === root || fromDir.startsWith(`${root}/`) || root === 'python' || root.endsWith('/python');
    });
    if (candidates.length === 0) return undefined;
    // A suffix match must be a whole module path below some source root: `x/lib/ids.py` for `lib.ids`.
    const fromParts = from.path.split('/').slice(0, -1);
    let best: F | undefined;
    let bestScore = -1;
    for (const c of candidates) {
      const dir = c.path.split('/');
      let score = 0;
      while (score < fromParts.length && score < dir.length && fromParts[score] === dir[score]) score++;
      if (score > bestScore) {
        best = c;
        bestScore = score;
      }
    }
    return best;
  }
}
