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

  constructor(readonly files: readonly F[]) {
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
   * an installed package).
   */
  resolveModule(from: F, module: string, level: number): F | undefined {
    if (level > 0) {
      const dir = from.path.split('/').slice(0, -1);
      const up = dir.slice(0, Math.max(0, dir.length - (level - 1)));
      const base = [...up, ...(module ? module.split('.') : [])].join('/');
      return this.byPath.get(`${base}.py`) ?? this.byPath.get(base ? `${base}/__init__.py` : '__init__.py');
    }
    const candidates = this.bySuffix.get(module);
    if (!candidates || candidates.length === 0) return undefined;
    // A suffix match must be a whole module path below some source root: `x/lib/ids.py` for `lib.ids`.
    const fromDir = from.path.split('/').slice(0, -1);
    let best: F | undefined;
    let bestScore = -1;
    for (const c of candidates) {
      const dir = c.path.split('/');
      let score = 0;
      while (score < fromDir.length && score < dir.length && fromDir[score] === dir[score]) score++;
      if (score > bestScore) {
        best = c;
        bestScore = score;
      }
    }
    return best;
  }
}
