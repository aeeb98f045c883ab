/**
 * Architecture check for the whole monorepo: no module imports itself back through a chain of
 * relative imports (static, dynamic `import('./x.js')` or `import type`). A cycle makes load order
 * decide which bindings are still undefined, and a type-only one hides where a type really belongs (the harness once had
 * `engines/index → microvm/engine → run → engines/index`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.m?ts$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

/** Relative imports of one file, resolved to source files (`./x.js` → `./x.ts`). */
function importsOf(file: string, known: ReadonlySet<string>): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = (m[1] ?? m[2])!;
    const base = resolve(dirname(file), spec);
    const candidate = [base.replace(/\.m?js$/, '.ts'), base.replace(/\.mjs$/, '.mts'), `${base}.ts`, join(base, 'index.ts')].find((c) => known.has(c));
    if (candidate) out.push(candidate);
  }
  return out;
}

/** Every cycle found by a depth-first walk (each reported once, as the path that closes it). */
export function findCycles(files: readonly string[]): string[][] {
  const known = new Set(files);
  const graph = new Map(files.map((f) => [f, importsOf(f, known)]));
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const f of files) if (!state.has(f)) visit(f);
  return cycles;
}

describe('import cycles', () => {
  const packages = readdirSync(join(repo, 'packages')).filter((p) => {
    try {
      return statSync(join(repo, 'packages', p, 'src')).isDirectory();
    } catch {
      return false;
    }
  });

  it.each(packages)('packages/%s/src has none', (pkg) => {
    const cycles = findCycles(sourceFiles(join(repo, 'packages', pkg, 'src')));
    expect(cycles.map((c) => c.map((f) => relative(repo, f)).join(' → '))).toEqual([]);
  });

  it('finds a cycle when there is one (the checker itself)', () => {
    const dir = join(repo, 'packages/core/tests/fixtures/cycle');
    expect(findCycles(sourceFiles(dir)).map((c) => c.length)).toEqual([3, 3]);
  });
});
