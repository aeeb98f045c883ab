import { readFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { minimatch } from 'minimatch';
import { join, relative, resolve, sep } from 'node:path';
import { compareFindings, ruleForCategory, type Diagnostic, type Finding, type InitStep } from '@snapstart/core';
import { cracFacts, isCracResource } from './analysis/crac.js';
import { isTimingBaseline } from './analysis/durations.js';
import { forEachExprIn } from './model/walk.js';
import { InitFlow, type FieldStore } from './analysis/flow.js';
import { initClasses } from './analysis/handlers.js';
import { Project } from './analysis/project.js';
import { JavaSources, type JavaCustomSource } from './analysis/sources.js';
import type { JAnnotation, JClass, JFile, JMethod } from './model/types.js';
import { decodeSource, type ParseOutcome } from './parse.js';
import { BUILTIN_TRIGGERS, HANDLER_TRIGGER, indexClasses, stripCommentsAndStrings, triggerPattern, type IndexedClass } from './prefilter.js';
import { parseAll } from './worker-pool.js';

export interface JavaScanOptions {
  /** Extra source methods, e.g. `{ owner: 'com.acme.Ids', method: 'newId', category: 'uuid' }`. */
  readonly sources?: readonly JavaCustomSource[];
  /** Threads that parse (default 1: the calling thread only; more start worker threads, see worker-pool.ts). */
  readonly workers?: number;
  /** Paths in findings are relative to this directory (default: process.cwd()). */
  readonly cwd?: string;
  /** Parse every file, skipping the pre-filter (for measurements). */
  readonly parseEverything?: boolean;
  /**
   * Glob patterns (minimatch, matched against paths relative to `cwd`, dot files included) of
   * files and directories not to scan. Added to `DEFAULT_JAVA_EXCLUDES` unless
   * `defaultExcludes` is false.
   */
  readonly exclude?: readonly string[];
  readonly defaultExcludes?: boolean;
  /**
   * Handler classes besides those recognised by their shape, as Lambda's handler setting writes
   * them: `com.acme.OrderHandler::handleRequest`, `com.acme.OrderHandler` or `OrderHandler`.
   */
  readonly handlerClasses?: readonly string[];
  /**
   * The repository's deployment descriptors (SAM/CloudFormation, serverless.yml, CDK) name its
   * handlers, given in `handlerClasses`: a class is then a handler only when named there or when
   * it implements a handler type (RequestHandler, …), not because it looks like one (library
   * classes such as a container's `…LambdaContainerHandler`). Set by snapstart-scan from the
   * repository's descriptors (see its discover/repo-roles.ts).
   */
  readonly declaredHandlersOnly?: boolean;
}

/**
 * Skipped unless asked for: Maven archetype templates are `.java` files with `${package}`
 * placeholders, not sources.
 */
export const DEFAULT_JAVA_EXCLUDES: readonly string[] = ['**/src/main/resources/archetype-resources/**'];

/** Java test sources (Maven/Gradle layouts and naming conventions): they do not run in the snapshot. */
export const JAVA_TEST_FILE_GLOBS: readonly string[] = [
  '**/src/test/**',
  '**/src/it/**',
  '**/src/integrationTest/**',
  '**/*Test.java',
  '**/*Tests.java',
  '**/*IT.java',
];

export interface JavaScanResult {
  readonly findings: Finding[];
  readonly diagnostics: Diagnostic[];
  readonly stats: {
    readonly files: number;
    readonly lines: number;
    readonly parsed: number;
    readonly parsedLines: number;
    /** `.java` files and directories skipped by `exclude` patterns. */
    readonly excluded: number;
    /** Findings not reported because of `@SuppressWarnings("snapstart")` / `@SuppressFBWarnings`. */
    readonly suppressed: number;
  };
}

const SKIP_DIRS = new Set(['node_modules', '.git', '.gradle', '.idea', '.mvn']);

async function collectJavaFiles(
  paths: readonly string[],
  cwd: string,
  diagnostics: Diagnostic[],
  isExcluded: (relativePath: string) => boolean,
): Promise<{ files: string[]; excluded: number }> {
  const out: string[] = [];
  let excluded = 0;
  const walk = async (path: string): Promise<void> => {
    let info;
    try {
      info = await stat(path);
    } catch (err) {
      diagnostics.push({ file: relative(cwd, path), message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
      return;
    }
    const rel = relative(cwd, path).split(sep).join('/');
    if (info.isDirectory()) {
      if (rel && isExcluded(`${rel}/`)) {
        excluded++;
        return;
      }
      const entries = await readdir(path);
      for (const name of entries.sort()) {
        if (SKIP_DIRS.has(name)) continue;
        await walk(join(path, name));
      }
    } else if (path.endsWith('.java')) {
      if (isExcluded(rel)) excluded++;
      else out.push(path);
    }
  };
  for (const p of paths) await walk(resolve(cwd, p));
  return { files: out, excluded };
}

interface SourceFile {
  readonly path: string;
  readonly text: string;
  readonly stripped: string;
  readonly classes: readonly IndexedClass[];
}

function containsSourceCall(method: JMethod, sources: JavaSources): boolean {
  let found = false;
  forEachExprIn(method.body, (e) => {
    if (found) return;
    if (e.k === 'new') found = sources.construction(e.type, e.args.length) !== undefined;
    else if (e.k === 'call') {
      const owner = e.qualifier.at(-1);
      found =
        (owner !== undefined && sources.staticCall(owner, e.name) !== undefined) ||
        /^next[A-Z]|^(generateKeyPair|genKeyPair|generateKey|generateSeed|instant|millis)$/.test(e.name);
    }
  });
  return found;
}

function isSuppressed(annotations: readonly JAnnotation[]): boolean {
  return annotations.some(
    (a) =>
      (a.name === 'SuppressFBWarnings' && /AWS_LAMBDA_SNAP_START_BUG|SNAP_START/.test(a.args)) ||
      (a.name === 'SuppressWarnings' && /"snapstart"/i.test(a.args)),
  );
}

/** Scans Java sources and returns every finding and diagnostic (unparsable files, unreadable paths). */
export async function scanJavaProject(paths: readonly string[], options: JavaScanOptions = {}): Promise<JavaScanResult> {
  const cwd = options.cwd ?? process.cwd();
  const diagnostics: Diagnostic[] = [];
  const sources = new JavaSources(options.sources);
  const rel = (p: string): string => relative(cwd, p).split(sep).join('/');

  // 1. Read every file and index it at text level.
  const patterns = [...(options.defaultExcludes === false ? [] : DEFAULT_JAVA_EXCLUDES), ...(options.exclude ?? [])];
  const isExcluded = (p: string): boolean => patterns.some((g) => minimatch(p, g, { dot: true }));
  const collected = await collectJavaFiles(paths, cwd, diagnostics, isExcluded);
  const files: SourceFile[] = [];
  let lines = 0;
  for (const path of collected.files) {
    let bytes: Buffer;
    try {
      // Synchronous reads: thousands of small files, one await each, cost more than the reads.
      bytes = readFileSync(path);
    } catch (err) {
      diagnostics.push({ file: rel(path), message: `cannot read: ${(err as Error).message}` });
      continue;
    }
    const decoded = decodeSource(rel(path), bytes);
    if ('diagnostic' in decoded) {
      diagnostics.push(decoded.diagnostic);
      continue;
    }
    const stripped = stripCommentsAndStrings(decoded.text);
    lines += decoded.text.split('\n').length;
    files.push({ path: rel(path), text: decoded.text, stripped, classes: indexClasses(stripped) });
  }
  const textIndex = new Map<string, IndexedClass[]>();
  const declaringFiles = new Map<string, SourceFile[]>();
  for (const f of files) {
    for (const c of f.classes) {
      textIndex.set(c.name, [...(textIndex.get(c.name) ?? []), c]);
      declaringFiles.set(c.name, [...(declaringFiles.get(c.name) ?? []), f]);
    }
  }

  // 2. Decide what to parse: files that mention a source, then the files declaring their
  //    supertypes (fields may live there) and files calling helpers that return a source.
  const trigger = triggerPattern(BUILTIN_TRIGGERS, sources.customTriggers());
  const selected = new Set<SourceFile>(
    options.parseEverything ? files : files.filter((f) => trigger.test(f.stripped) || HANDLER_TRIGGER.test(f.stripped)),
  );
  const addSupertypes = (): void => {
    const queue = [...selected].flatMap((f) => f.classes.flatMap((c) => [c.superclass, ...c.interfaces]));
    const seen = new Set<string>();
    while (queue.length > 0) {
      const name = queue.pop();
      if (!name || seen.has(name)) continue;
      seen.add(name);
      for (const f of declaringFiles.get(name) ?? []) {
        selected.add(f);
        for (const c of f.classes) queue.push(c.superclass, ...c.interfaces);
      }
    }
  };
  addSupertypes();
  const parsed = new Map<SourceFile, ParseOutcome>();
  const parseSelected = async (): Promise<void> => {
    const todo = [...selected].filter((f) => !parsed.has(f));
    const outcomes = await parseAll(todo.map((f) => ({ path: f.path, text: f.text })), options.workers);
    todo.forEach((f, i) => parsed.set(f, outcomes[i]!));
  };
  await parseSelected();
  // Helpers that may return a source: non-void methods that contain a source call themselves.
  const helperNames = new Set<string>();
  for (const outcome of parsed.values()) {
    if (!('file' in outcome)) continue;
    for (const cls of outcome.file.classes) {
      for (const m of cls.methods) {
        if (m.returnType !== 'void' && containsSourceCall(m, sources)) helperNames.add(m.name);
      }
    }
  }
  if (!options.parseEverything && helperNames.size > 0) {
    const calls = new RegExp(`\\b(?:${[...helperNames].filter((n) => /^[\w$]+$/.test(n)).join('|')})\\s*\\(`);
    for (const f of files) if (!selected.has(f) && calls.test(f.stripped) && /\b(class|enum|record)\b/.test(f.stripped)) selected.add(f);
    addSupertypes();
    await parseSelected();
  }

  const jfiles: JFile[] = [];
  let parsedLines = 0;
  for (const [f, outcome] of parsed) {
    if ('diagnostic' in outcome) diagnostics.push(outcome.diagnostic);
    else {
      jfiles.push(outcome.file);
      parsedLines += f.text.split('\n').length;
    }
  }

  // 3. Analyse.
  const project = new Project(jfiles, textIndex);
  const classes = initClasses(project, options.handlerClasses ?? [], !(options.declaredHandlersOnly && (options.handlerClasses ?? []).length > 0));
  const flow = new InitFlow(project, sources, classes);
  flow.run();
  const crac = cracFacts(project);
  const findings: Finding[] = [];
  /** Suppressed findings, one per rule, file and line (several init paths can reach one store). */
  const suppressed = new Set<string>();
  const unparsed = files.filter((f) => {
    const outcome = parsed.get(f);
    return !outcome || !('file' in outcome);
  });
  const mentionedUnparsed = (name: string): boolean => {
    const word = new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\b`);
    return unparsed.some((f) => word.test(f.stripped));
  };
  for (const store of flow.stores) {
    // A clock reading kept only to measure init (`elapsed = System.nanoTime() - start`) is a timing baseline.
    if (store.taint.source.category === 'time' && store.how === 'assigned' && isTimingBaseline(project, store.cls, store.field, mentionedUnparsed)) {
      continue;
    }
    const field = store.cls.fields.find((f) => f.name === store.field);
    const restored = crac.restoredFields.get(store.cls);
    if (restored?.has(store.field) && crac.registered.has(store.cls)) continue;
    const file = project.file(store.cls);
    if (!file) continue;
    const finding = storeFinding(store, file.path);
    if (
      isSuppressed(store.cls.annotations) ||
      project.outerClasses(store.cls).some((o) => isSuppressed(o.annotations)) ||
      (field && isSuppressed(field.annotations)) ||
      (store.unit && isSuppressed(store.unit.annotations))
    ) {
      suppressed.add(`${finding.ruleId}|${finding.file}|${finding.line}`);
      continue;
    }
    findings.push(finding);
  }
  for (const cls of project.classes) {
    if (cls.isAbstract || !isCracResource(cls, project) || crac.registered.has(cls)) continue;
    if (!cls.methods.some((m) => m.name === 'afterRestore' || m.name === 'beforeCheckpoint')) continue;
    if (crac.weak.some((w) => w.type === cls.name)) continue;
    const file = project.file(cls);
    if (!file) continue;
    if (isSuppressed(cls.annotations)) {
      suppressed.add(`java/crac-resource-not-registered|${file.path}|${cls.line}`);
      continue;
    }
    findings.push({
      ruleId: 'java/crac-resource-not-registered',
      category: 'other',
      severity: 'warning',
      file: file.path,
      line: cls.line,
      column: cls.column,
      message: `\`${cls.name}\` implements org.crac.Resource but is never registered (no \`Core.getGlobalContext().register(…)\` of it), so its afterRestore() never runs.`,
      initPath: [],
      fix: 'Register it where it is created: Core.getGlobalContext().register(this) in the constructor, and keep a reference to it.',
    });
  }
  for (const w of crac.weak) {
    const file = project.file(w.cls);
    if (!file) continue;
    if (isSuppressed(w.cls.annotations)) {
      suppressed.add(`java/crac-resource-weakly-held|${file.path}|${w.line}`);
      continue;
    }
    findings.push({
      ruleId: 'java/crac-resource-weakly-held',
      category: 'other',
      severity: 'error',
      file: file.path,
      line: w.line,
      column: w.column,
      message: `${w.type === 'an anonymous Resource' ? 'An anonymous Resource' : `A new \`${w.type}\``} is registered with CRaC and kept nowhere else: CRaC holds resources by weak reference, so it can be garbage-collected before the checkpoint and its hooks never run.`,
      initPath: [],
      fix: 'Store the resource in a field (or register `this` from a long-lived object) before registering it.',
    });
  }
  // Stores in the same class and field from several init paths are one bug: keep the first per line.
  const seen = new Set<string>();
  const unique = findings.filter((f) => {
    const key = `${f.ruleId}|${f.file}|${f.line}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  diagnostics.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)));
  return {
    findings: unique.sort(compareFindings),
    diagnostics,
    stats: {
      files: files.length,
      lines,
      parsed: parsed.size,
      parsedLines,
      excluded: collected.excluded,
      suppressed: suppressed.size,
    },
  };
}

function describePath(path: readonly InitStep[]): string {
  return path.map((s) => (s.line ? `${s.description} (line ${s.line})` : s.description)).join(', ');
}

function sourceWhere(store: FieldStore): string {
  const t = store.taint;
  if (t.in && t.in !== store.cls.name) return ` (in \`${t.in}\`${t.line ? `, line ${t.line}` : ''})`;
  return t.line && t.line !== store.line ? ` (line ${t.line})` : '';
}

function storeFinding(store: FieldStore, file: string): Finding {
  const rule = ruleForCategory('java', store.taint.source.category);
  const what =
    store.how === 'bean'
      ? `returns a bean that captures a value derived from \`${store.taint.source.label}\`${sourceWhere(store)}, created during init`
      : store.how === 'holds'
      ? `holds a ${store.taint.source.label} made or injected during init: every restored clone replays the same random sequence`
      : `is ${store.how === 'filled' ? 'filled with' : 'assigned'} a value derived from \`${store.taint.source.label}\`${sourceWhere(store)} during init`;
  const fix =
    store.how === 'holds'
      ? 'Use java.security.SecureRandom (the platform reseeds it on restore), or create the generator in afterRestore() of a registered org.crac.Resource.'
      : 'Create the value in the handler method, or re-create it in afterRestore() of an org.crac.Resource registered with Core.getGlobalContext().register(this).';
  return {
    ruleId: rule.id,
    category: store.taint.source.category,
    severity: rule.defaultSeverity,
    file,
    line: store.line,
    column: store.column,
    message: `\`${store.field}\` (${store.how === 'bean' ? '@Bean method' : 'field'} of \`${store.cls.name}\`) ${what} (${describePath(store.initPath)}). Every execution environment restored from the snapshot shares it.`,
    initPath: store.initPath,
    fix,
    source: store.taint.source.label,
  };
}

/** `scanJava(paths, options) → Finding[]`; parse problems go to `onDiagnostic` (default: ignored). */
export async function scanJava(
  paths: readonly string[],
  options: JavaScanOptions & { onDiagnostic?: (d: Diagnostic) => void } = {},
): Promise<Finding[]> {
  const result = await scanJavaProject(paths, options);
  for (const d of result.diagnostics) options.onDiagnostic?.(d);
  return result.findings;
}

