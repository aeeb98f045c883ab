// The Python scan: read every file → decide what to parse (prefilter.ts) → parse (tree-sitter) →
// per handler module, run init (analysis/init.ts) and the per-invocation reach (analysis/reach.ts) →
// findings, ids and severities from @snapstart/core RULES → suppress → dedupe. Entry points
// scanPythonProject and scanPython. See docs/python.md.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { compareFindings, type Diagnostic, type Finding } from '@snapstart/core';
import { descriptorHandlers, handlersByShape, isAppModule, isInfrastructure, isNotFunctionCode, parseHandlerString, type HandlerRef } from './analysis/handlers.js';
import { InitRun } from './analysis/init.js';
import { PyProject } from './analysis/project.js';
import { Reach } from './analysis/reach.js';
import { PythonSources, type PythonCustomSource } from './analysis/sources.js';
import { moduleNameOf, suppressedLines, type PyFile } from './model/module.js';
import { decodeSource, parsePythonSource, type Node, type ParseOutcome, type Tree } from './parse.js';
import { HOOK_TRIGGER, mayBeHandlerModule, SOURCE_TRIGGER, textImports, wordsPattern } from './prefilter.js';
import { hookNotImportedFinding, hookRegistrations } from './rules/hook-not-imported.js';
import { drawFinding, readFinding } from './rules/init-value.js';

export interface PythonScanOptions {
  /** Paths in findings are relative to this directory (default: process.cwd()). */
  readonly cwd?: string;
  /** Extra sources: dotted function names (`myapp.ids.new_id`) with their category. */
  readonly sources?: readonly PythonCustomSource[];
  /** Handlers as Lambda's handler setting writes them (`app.lambda_handler`, `src/app.handler`), besides those found by shape and in descriptors. */
  readonly handlers?: readonly string[];
  /** Parse every file, skipping the pre-filter (for measurements). */
  readonly parseEverything?: boolean;
}

export interface PythonScanResult {
  readonly findings: Finding[];
  readonly diagnostics: Diagnostic[];
  readonly stats: {
    readonly files: number;
    readonly lines: number;
    readonly parsed: number;
    readonly parsedLines: number;
    /** Handler modules analysed (each one Lambda function's init). */
    readonly handlerModules: number;
    /** Findings not reported because of `# snapstart: ignore` / `# noqa: snapstart`. */
    readonly suppressed: number;
  };
}

/**
 * Directories that never hold function code: caches, virtual environments, installed packages,
 * build output of deployment tools (copies of the sources).
 */
export const PYTHON_SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set([
  '__pycache__', '.venv', 'venv', 'site-packages', 'dist-packages', '.tox', '.nox', '.git', 'node_modules', '.mypy_cache',
  '.pytest_cache', '.ruff_cache', '.aws-sam', 'cdk.out', '.serverless', '.eggs',
]);

const DESCRIPTOR = /^(template|serverless)\.(ya?ml|json)$/;

/** Packages installed next to the code (`pip install -t .`): their `*.dist-info` names them. They are libraries, not function code. */
function vendoredPackages(dir: string, names: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const n of names) {
    if (!n.endsWith('.dist-info')) continue;
    out.add(n.replace(/-[^-]*\.dist-info$/, '').replace(/-/g, '_').toLowerCase());
    try {
      for (const t of readFileSync(join(dir, n, 'top_level.txt'), 'utf8').split('\n')) if (t.trim()) out.add(t.trim().toLowerCase());
    } catch {
      // no top_level.txt: the distribution name is enough
    }
  }
  return out;
}

function collect(paths: readonly string[], cwd: string, diagnostics: Diagnostic[]): { files: string[]; descriptors: string[] } {
  const files: string[] = [];
  const descriptors = new Set<string>();
  const walk = (path: string): void => {
    let info;
    try {
      info = statSync(path);
    } catch (err) {
      diagnostics.push({ file: relative(cwd, path) || '.', message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
      return;
    }
    if (info.isDirectory()) {
      const names = readdirSync(path).sort();
      const vendored = vendoredPackages(path, names);
      for (const name of names) {
        if (PYTHON_SKIPPED_DIRECTORIES.has(name) || name.endsWith('.dist-info') || name.endsWith('.egg-info')) continue;
        const child = join(path, name);
        if (vendored.has(name.replace(/\.py$/, '').toLowerCase())) continue;
        if (DESCRIPTOR.test(name)) descriptors.add(child);
        walk(child);
      }
    } else if (path.endsWith('.py')) files.push(path);
  };
  for (const p of paths) walk(resolve(cwd, p));
  // Files given one by one (as snapstart-scan does) inside a vendored package are left out too.
  const vendoredIn = new Map<string, Set<string>>();
  const isVendored = (f: string): boolean => {
    for (let d = dirname(f), child = f; d.startsWith(cwd) && d !== child; child = d, d = dirname(d)) {
      let v = vendoredIn.get(d);
      if (!v) {
        try {
          v = vendoredPackages(d, readdirSync(d));
        } catch {
          v = new Set();
        }
        vendoredIn.set(d, v);
      }
      const name = child.slice(d.length + 1).split(sep)[0]!;
      if (v.has(name.replace(/\.py$/, '').toLowerCase())) return true;
      if (d === cwd) break;
    }
    return false;
  };
  const kept = files.filter((f) => !isVendored(f));
  files.length = 0;
  files.push(...kept);
  // Descriptors next to (or above) files given one by one.
  const checked = new Set<string>();
  for (const f of files) {
    for (let d = dirname(f); d.startsWith(cwd); d = dirname(d)) {
      if (checked.has(d)) break;
      checked.add(d);
      for (const name of ['template.yaml', 'template.yml', 'template.json', 'serverless.yml', 'serverless.yaml']) {
        const p = join(d, name);
        if (!descriptors.has(p) && existsSync(p)) descriptors.add(p);
      }
      if (d === cwd || dirname(d) === d) break;
    }
  }
  return { files: [...new Set(files)], descriptors: [...descriptors] };
}

interface TextFile {
  readonly path: string;
  readonly name: string;
  readonly isPackage: boolean;
  readonly text: string;
  readonly lines: number;
}

/** Scans Python sources: every finding and diagnostic (unparsable files, unreadable paths). */
export async function scanPythonProject(paths: readonly string[], options: PythonScanOptions = {}): Promise<PythonScanResult> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const diagnostics: Diagnostic[] = [];
  const sources = new PythonSources(options.sources);
  const rel = (p: string): string => relative(cwd, p).split(sep).join('/');

  // 1. Read every file.
  const collected = collect(paths, cwd, diagnostics);
  const texts: TextFile[] = [];
  let lines = 0;
  for (const abs of collected.files) {
    const path = rel(abs);
    let bytes: Buffer;
    try {
      bytes = readFileSync(abs);
    } catch (err) {
      diagnostics.push({ file: path, message: `cannot read: ${(err as Error).message}` });
      continue;
    }
    const decoded = decodeSource(path, bytes);
    if ('diagnostic' in decoded) {
      diagnostics.push(decoded.diagnostic);
      continue;
    }
    const n = decoded.text.split('\n').length;
    lines += n;
    texts.push({ path, ...moduleNameOf(path), text: decoded.text, lines: n });
  }
  const handlerRefs: HandlerRef[] = [];
  for (const d of collected.descriptors) {
    try {
      handlerRefs.push(...descriptorHandlers(rel(d), readFileSync(d, 'utf8')));
    } catch (err) {
      diagnostics.push({ file: rel(d), message: `cannot read: ${(err as Error).message}` });
    }
  }
  for (const h of options.handlers ?? []) {
    const ref = parseHandlerString(h);
    if (ref) handlerRefs.push(ref);
    else diagnostics.push({ file: '.', message: `handler "${h}" is not a Python handler (expected module.function, e.g. app.lambda_handler)` });
  }

  // 2. Decide what to parse (see prefilter.ts).
  const textProject = new PyProject(texts);
  const refFiles = new Map<TextFile, Set<string>>();
  for (const ref of handlerRefs) {
    const anchor = ref.from ? { path: ref.from, name: '', isPackage: false, text: '', lines: 0 } : texts[0];
    const f = anchor && textProject.resolveModule(anchor, ref.module, 0, true);
    if (!f) continue;
    refFiles.set(f, new Set([...(refFiles.get(f) ?? []), ref.function]));
  }
  const custom = wordsPattern(sources.triggerWords());
  const selected = new Set<TextFile>();
  // Parses are kept: a file parsed to check it is a handler module is not parsed again.
  const outcomes = new Map<TextFile, ParseOutcome>();
  const parseText = async (t: TextFile): Promise<ParseOutcome> => {
    let o = outcomes.get(t);
    if (!o) {
      o = await parsePythonSource(t.path, t.text);
      outcomes.set(t, o);
    }
    return o;
  };
  if (options.parseEverything) for (const t of texts) selected.add(t);
  else {
    const deps = new Map<TextFile, TextFile[]>();
    const depsOf = (t: TextFile): TextFile[] => {
      let d = deps.get(t);
      if (!d) {
        d = [];
        for (const imp of textImports(t.text)) {
          const m = textProject.resolveModule(t, imp.module, imp.level);
          if (m) d.push(m);
          for (const n of imp.names) {
            const sub = textProject.resolveModule(t, imp.module ? `${imp.module}.${n}` : n, imp.level);
            if (sub) d.push(sub);
          }
        }
        deps.set(t, d);
      }
      return d;
    };
    // Candidates by text (a `def handler(` may be in a docstring), confirmed on their syntax tree.
    const handlers: TextFile[] = [];
    for (const t of texts) {
      if (isNotFunctionCode(t.path) || !(refFiles.has(t) || mayBeHandlerModule(t.text))) continue;
      const o = await parseText(t);
      if (refFiles.has(t) || 'diagnostic' in o) handlers.push(t);
      else {
        const file = pyFileOf(t, o);
        if (handlersByShape(file).length > 0 || isAppModule(file)) handlers.push(t);
      }
    }
    const reachable = new Set<TextFile>(handlers);
    const queue = [...handlers];
    while (queue.length > 0) {
      for (const d of depsOf(queue.pop()!)) {
        if (reachable.has(d)) continue;
        reachable.add(d);
        queue.push(d);
      }
    }
    // Files on an import path from a handler to a file that may call a source.
    const reverse = new Map<TextFile, TextFile[]>();
    for (const t of reachable) for (const d of depsOf(t)) reverse.set(d, [...(reverse.get(d) ?? []), t]);
    const leads = [...reachable].filter((t) => SOURCE_TRIGGER.test(t.text) || HOOK_TRIGGER.test(t.text) || (custom?.test(t.text) ?? false));
    const back = [...leads];
    for (const t of leads) selected.add(t);
    while (back.length > 0) {
      for (const r of reverse.get(back.pop()!) ?? []) {
        if (selected.has(r)) continue;
        selected.add(r);
        back.push(r);
      }
    }
    for (const h of handlers) selected.add(h);
    // Hook modules no handler imports (python/hook-not-imported).
    for (const t of texts) if (HOOK_TRIGGER.test(t.text) && !isNotFunctionCode(t.path)) selected.add(t);
  }

  // 3. Parse.
  const pyFiles: PyFile[] = [];
  let parsedLines = 0;
  for (const t of texts) {
    if (!selected.has(t)) continue;
    const outcome = await parseText(t);
    if ('diagnostic' in outcome) {
      diagnostics.push(outcome.diagnostic);
      continue;
    }
    parsedLines += t.lines;
    pyFiles.push(pyFileOf(t, outcome));
  }
  // Candidates that turned out not to be handlers and are not needed: free their trees now (they count as parsed).
  for (const [t, o] of outcomes) {
    if (selected.has(t) || !('tree' in o)) continue;
    o.tree.delete();
    parsedLines += t.lines;
  }

  try {
    return analyse(pyFiles, texts, refFiles, sources, diagnostics, { files: texts.length, lines, parsed: outcomes.size, parsedLines });
  } finally {
    for (const f of pyFiles) f.tree.delete();
  }
}

function pyFileOf(t: TextFile, o: { readonly tree: Tree; readonly root: Node }): PyFile {
  return { path: t.path, name: t.name, isPackage: t.isPackage, tree: o.tree, root: o.root, suppressed: suppressedLines(t.text) };
}

function analyse(
  pyFiles: PyFile[],
  texts: readonly TextFile[],
  refFiles: Map<TextFile, Set<string>>,
  sources: PythonSources,
  diagnostics: Diagnostic[],
  counts: { files: number; lines: number; parsed: number; parsedLines: number },
): PythonScanResult {
  const project = new PyProject(pyFiles);
  const byPath = new Map(texts.map((t) => [t.path, t]));
  const findings: Finding[] = [];
  const suppressed = new Set<string>();
  const executed = new Set<string>();
  let handlerModules = 0;
  const add = (f: Finding, alsoLines: readonly { file: string; line: number }[] = []): void => {
    const isSuppressed = [{ file: f.file, line: f.line }, ...alsoLines].some((l) => project.file(l.file)?.suppressed.has(l.line));
    if (isSuppressed) suppressed.add(`${f.ruleId}|${f.file}|${f.line}`);
    else findings.push(f);
  };
  for (const file of pyFiles) {
    const text = byPath.get(file.path);
    const named = new Set([...handlersByShape(file), ...((text && refFiles.get(text)) ?? [])]);
    const app = isAppModule(file);
    if (named.size === 0 && !app) continue;
    if (isNotFunctionCode(file.path) || isInfrastructure(file.root)) continue;
    handlerModules++;
    try {
      const run = new InitRun(project, sources);
      const ms = run.execModule(file, [{ description: `top level of \`${file.path}\`, the handler module` }]);
      run.runBeforeSnapshotHooks();
      run.runAfterRestoreHooks();
      if (run.exhausted) diagnostics.push({ file: file.path, message: 'the init analysis of this handler module stopped at its work limit; findings may be missing' });
      for (const t of run.truncated) diagnostics.push({ file: t, message: `the init analysis of a top-level statement stopped at its work limit (analysing \`${file.path}\`); findings may be missing` });
      for (const m of run.mods.keys()) executed.add(m.path);
      const reach = new Reach(run, sources);
      for (const name of named) for (const fn of ms.globals.get(name)?.val.fns ?? []) reach.enqueue(fn);
      for (const fn of run.appEntries) reach.enqueue(fn);
      reach.drain();
      for (const r of reach.reads) add(readFinding(r), [{ file: r.taint.file, line: r.taint.line }]);
      for (const d of reach.draws) {
        const state = d.entry.state!;
        if (run.restoredStates.has(state) || reach.reseeded.has(state) || run.constantSeed.has(state)) continue;
        const imported = run.extImports.get(state) ?? run.extImports.get(state.split('.')[0]!);
        if (!imported) continue; // imported only per invocation: seeded after restore
        add(drawFinding(d, imported));
      }
    } catch (err) {
      // One handler module the analysis cannot follow never costs the others their findings.
      diagnostics.push({ file: file.path, message: `internal error while analysing this handler module: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}` });
    }
  }
  if (handlerModules > 0) {
    for (const file of pyFiles) {
      // Only files that mention the hooks: walking a whole tree is not free.
      if (executed.has(file.path) || isNotFunctionCode(file.path) || !HOOK_TRIGGER.test(byPath.get(file.path)?.text ?? '')) continue;
      for (const reg of hookRegistrations(file.root)) {
        add(hookNotImportedFinding(file.path, reg));
      }
    }
  }
  const seen = new Set<string>();
  const unique = findings.filter((f) => {
    const key = `${f.ruleId}|${f.file}|${f.line}|${f.column}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  diagnostics.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)));
  return { findings: unique.sort(compareFindings), diagnostics, stats: { ...counts, handlerModules, suppressed: suppressed.size } };
}

/** `scanPython(paths, options) → Finding[]`; parse problems go to `onDiagnostic` (default: ignored). */
export async function scanPython(paths: readonly string[], options: PythonScanOptions & { onDiagnostic?: (d: Diagnostic) => void } = {}): Promise<Finding[]> {
  const result = await scanPythonProject(paths, options);
  for (const d of result.diagnostics) options.onDiagnostic?.(d);
  return result.findings;
}
