import type { Node, Tree } from '../parse.js';

/** One `import` binding: `import a.b as c`, `from .x import y as z`. */
export interface PyImport {
  /** Local name bound (`c`, `z`; `a` for a plain `import a.b`). */
  readonly local: string;
  /** Module imported, as written (without the leading dots of a relative import). */
  readonly module: string;
  /** For `from m import name`: the name; undefined for `import m`. */
  readonly name?: string;
  /** Dots of a relative import (`from ..x import y`: 2); 0 for absolute imports. */
  readonly level: number;
  /** For `import a.b` without alias: the local name `a` stands for the top package. */
  readonly bindsTop: boolean;
  readonly node: Node;
}

/** A parsed Python file and what the analysis needs of it without evaluating anything. */
export interface PyFile {
  /** Path relative to the scan root, `/`-separated. */
  readonly path: string;
  /** Dotted module name relative to the scan root (`pkg.sub.mod`; `pkg` for `pkg/__init__.py`). */
  readonly name: string;
  readonly isPackage: boolean;
  /** The tree-sitter tree (WebAssembly memory): deleted when the scan is done with the file. */
  readonly tree: Tree;
  readonly root: Node;
  /** 1-based lines with `# snapstart: ignore` / `# noqa: snapstart` (a comment alone on a line covers the next line too). */
  readonly suppressed: ReadonlySet<number>;
}

/** Dotted module name for a path relative to the root: `a/b/c.py` → `a.b.c`, `a/b/__init__.py` → `a.b`. */
export function moduleNameOf(path: string): { name: string; isPackage: boolean } {
  const parts = path.replace(/\.py$/, '').split('/');
  const isPackage = parts.at(-1) === '__init__';
  if (isPackage) parts.pop();
  return { name: parts.join('.'), isPackage };
}

const SUPPRESS = /#.*\b(?:snapstart:\s*ignore|noqa:\s*[\w, ]*\bsnapstart\b)/i;

/** Lines that carry a suppression comment. */
export function suppressedLines(text: string): Set<number> {
  const out = new Set<number>();
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (!line.includes('snapstart') || !SUPPRESS.test(line)) return;
    out.add(i + 1);
    if (/^\s*#/.test(line)) out.add(i + 2);
  });
  return out;
}

/** The imports of one `import`/`from … import` statement. */
export function importsOf(stmt: Node): PyImport[] {
  const out: PyImport[] = [];
  if (stmt.type === 'import_statement') {
    for (const n of stmt.childrenForFieldName('name')) {
      if (n.type === 'aliased_import') {
        const module = n.childForFieldName('name')!.text;
        out.push({ local: n.childForFieldName('alias')!.text, module, level: 0, bindsTop: false, node: stmt });
      } else {
        out.push({ local: n.text.split('.')[0]!, module: n.text, level: 0, bindsTop: true, node: stmt });
      }
    }
  } else if (stmt.type === 'import_from_statement') {
    const mod = stmt.childForFieldName('module_name')!;
    let level = 0;
    let module = mod.text;
    if (mod.type === 'relative_import') {
      const prefix = mod.namedChildren.find((c) => c.type === 'import_prefix');
      level = prefix ? prefix.text.length : 0;
      module = mod.namedChildren.find((c) => c.type === 'dotted_name')?.text ?? '';
    }
    for (const n of stmt.childrenForFieldName('name')) {
      if (n.type === 'aliased_import') {
        out.push({ local: n.childForFieldName('alias')!.text, module, name: n.childForFieldName('name')!.text, level, bindsTop: false, node: stmt });
      } else {
        out.push({ local: n.text, module, name: n.text, level, bindsTop: false, node: stmt });
      }
    }
    if (stmt.namedChildren.some((c) => c.type === 'wildcard_import')) out.push({ local: '*', module, name: '*', level, bindsTop: false, node: stmt });
  }
  return out;
}

/** 1-based line of a node. */
export const lineOf = (n: Node): number => n.startPosition.row + 1;

/** A function definition's parameter names, in order (`self` included). */
export function parameterNames(params: Node | null): string[] {
  if (!params) return [];
  const out: string[] = [];
  for (const p of params.namedChildren) {
    if (p.type === 'identifier') out.push(p.text);
    else if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') out.push(p.childForFieldName('name')!.text);
    else if (p.type === 'typed_parameter') {
      const id = p.namedChildren.find((c) => c.type === 'identifier');
      if (id) out.push(id.text);
    } else if (p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern') {
      const id = p.namedChildren.find((c) => c.type === 'identifier');
      if (id) out.push(id.text);
    }
  }
  return out;
}

/** `if __name__ == "__main__":` — code that runs only as a script, never in Lambda. */
export function isMainGuard(ifStmt: Node): boolean {
  const cond = ifStmt.childForFieldName('condition');
  return !!cond && /^__name__\s*==\s*['"]__main__['"]$|^['"]__main__['"]\s*==\s*__name__$/.test(cond.text.trim());
}
