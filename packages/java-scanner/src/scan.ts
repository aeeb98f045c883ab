// The Java scan: collect → pre-filter and parse → analyse (analysis/) → rules (rules/, one file per
// rule id) → suppress → dedupe. Entry points scanJavaProject and scanJava. See docs/java.md.
import { readFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { minimatch } from 'minimatch';
import { join, relative, resolve, sep } from 'node:path';
import { compareFindings, type Diagnostic, type Finding } from '@snapstart/core';
import { cracFacts } from './analysis/crac.js';
import { forEachExprIn } from './model/walk.js';
import { InitFlow } from './analysis/flow.js';
import { initClasses } from './analysis/handlers.js';
import { Project } from './analysis/project.js';
import { JavaSources, type JavaCustomSource } from './analysis/sources.js';
import type { JAnnotation, JFile, JMethod } from './model/types.js';
import { decodeSource, type ParseOutcome } from './parse.js';
import { BUILTIN_TRIGGERS, HANDLER_TRIGGER, indexClasses, stripCommentsAndStrings, triggerPattern, type IndexedClass } from './prefilter.js';
import { JAVA_RULES, type Candidate, type JavaRuleContext } from './rules/index.js';
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

/** 1. Collect: every `.java` file under the paths, read, decoded and indexed at text level. */
async function collect(
  paths: readonly string[],
  cwd: string,
  options: JavaScanOptions,
  diagnostics: Diagnostic[],
): Promise<{ files: SourceFile[]; lines: number; excluded: number }> {
  const rel = (p: string): string => relative(cwd, p).split(sep).join('/');
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
  return { files, lines, excluded: collected.excluded };
}

/**
 * 2–3. Pre-filter and parse: files that mention a source or look like handlers, then the files
 * declaring their supertypes (fields may live there); once those are parsed, files calling helpers
 * that return a source (and their supertypes) — each round parsed as it is chosen.
 */
class Selection {
  readonly parsed = new Map<SourceFile, ParseOutcome>();
  private readonly selected = new Set<SourceFile>();
  private readonly declaringFiles = new Map<string, SourceFile[]>();

  constructor(
    private readonly files: readonly SourceFile[],
    private readonly sources: JavaSources,
    private readonly options: JavaScanOptions,
  ) {
    for (const f of files) for (const c of f.classes) this.declaringFiles.set(c.name, [...(this.declaringFiles.get(c.name) ?? []), f]);
  }

  async run(): Promise<void> {
    const trigger = triggerPattern(BUILTIN_TRIGGERS, this.sources.customTriggers());
    for (const f of this.files) if (this.options.parseEverything || trigger.test(f.stripped) || HANDLER_TRIGGER.test(f.stripped)) this.selected.add(f);
    this.addSupertypes();
    await this.parseSelected();
    const helpers = this.sourceHelpers();
    if (!this.options.parseEverything && helpers.size > 0) {
      const calls = new RegExp(`\\b(?:${[...helpers].filter((n) => /^[\w$]+$/.test(n)).join('|')})\\s*\\(`);
      for (const f of this.files) if (!this.selected.has(f) && calls.test(f.stripped) && /\b(class|enum|record)\b/.test(f.stripped)) this.selected.add(f);
      this.addSupertypes();
      await this.parseSelected();
    }
  }

  /** Files that were read but not parsed (or did not parse). */
  unparsed(): SourceFile[] {
    return this.files.filter((f) => {
      const outcome = this.parsed.get(f);
      return !outcome || !('file' in outcome);
    });
  }

  private addSupertypes(): void {
    const queue = [...this.selected].flatMap((f) => f.classes.flatMap((c) => [c.superclass, ...c.interfaces]));
    const seen = new Set<string>();
    while (queue.length > 0) {
      const name = queue.pop();
      if (!name || seen.has(name)) continue;
      seen.add(name);
      for (const f of this.declaringFiles.get(name) ?? []) {
        this.selected.add(f);
        for (const c of f.classes) queue.push(c.superclass, ...c.interfaces);
      }
    }
  }

  private async parseSelected(): Promise<void> {
    const todo = [...this.selected].filter((f) => !this.parsed.has(f));
    const outcomes = await parseAll(todo.map((f) => ({ path: f.path, text: f.text })), this.options.workers);
    todo.forEach((f, i) => this.parsed.set(f, outcomes[i]!));
  }

  /** Helpers that may return a source: non-void methods that contain a source call themselves. */
  private sourceHelpers(): Set<string> {
    const names = new Set<string>();
    for (const outcome of this.parsed.values()) {
      if (!('file' in outcome)) continue;
      for (const cls of outcome.file.classes) {
        for (const m of cls.methods) if (m.returnType !== 'void' && containsSourceCall(m, this.sources)) names.add(m.name);
      }
    }
    return names;
  }
}

/** 4. Analyse: the project model, the classes that run at init, the value flow, CRaC facts. */
function analyse(files: readonly SourceFile[], selection: Selection, sources: JavaSources, options: JavaScanOptions): JavaRuleContext {
  const textIndex = new Map<string, IndexedClass[]>();
  for (const f of files) for (const c of f.classes) textIndex.set(c.name, [...(textIndex.get(c.name) ?? []), c]);
  const jfiles: JFile[] = [];
  for (const outcome of selection.parsed.values()) if ('file' in outcome) jfiles.push(outcome.file);
  const project = new Project(jfiles, textIndex);
  const handlers = options.handlerClasses ?? [];
  const classes = initClasses(project, handlers, !(options.declaredHandlersOnly && handlers.length > 0));
  const flow = new InitFlow(project, sources, classes);
  flow.run();
  const unparsed = selection.unparsed();
  const mentionedUnparsed = (name: string): boolean => {
    const word = new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\b`);
    return unparsed.some((f) => word.test(f.stripped));
  };
  return { project, flow, crac: cracFacts(project, sources), mentionedUnparsed };
}

/** 6. Suppress: `@SuppressWarnings("snapstart")` / `@SuppressFBWarnings` on any suppressor; counted once per rule, file and line. */
function suppress(candidates: readonly Candidate[]): { findings: Finding[]; suppressed: number } {
  const findings: Finding[] = [];
  const suppressed = new Set<string>();
  for (const { finding, suppressors } of candidates) {
    if (suppressors.some(isSuppressed)) suppressed.add(`${finding.ruleId}|${finding.file}|${finding.line}`);
    else findings.push(finding);
  }
  return { findings, suppressed: suppressed.size };
}

/** 7. Dedupe: stores in the same class and field from several init paths are one bug (the first per line is kept). */
function dedupe(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings
    .filter((f) => {
      const key = `${f.ruleId}|${f.file}|${f.line}|${f.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort(compareFindings);
}

/**
 * Scans Java sources and returns every finding and diagnostic (unparsable files, unreadable
 * paths): collect → pre-filter and parse → analyse → rules (src/rules/, one file per rule id) →
 * suppress → dedupe.
 */
export async function scanJavaProject(paths: readonly string[], options: JavaScanOptions = {}): Promise<JavaScanResult> {
  const cwd = options.cwd ?? process.cwd();
  const diagnostics: Diagnostic[] = [];
  const sources = new JavaSources(options.sources);
  const collected = await collect(paths, cwd, options, diagnostics);
  const selection = new Selection(collected.files, sources, options);
  await selection.run();
  let parsedLines = 0;
  for (const [f, outcome] of selection.parsed) {
    if ('diagnostic' in outcome) diagnostics.push(outcome.diagnostic);
    else parsedLines += f.text.split('\n').length;
  }
  const context = analyse(collected.files, selection, sources, options);
  const candidates = JAVA_RULES.flatMap((rule) => rule.check(context));
  const { findings, suppressed } = suppress(candidates);
  diagnostics.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)));
  return {
    findings: dedupe(findings),
    diagnostics,
    stats: {
      files: collected.files.length,
      lines: collected.lines,
      parsed: selection.parsed.size,
      parsedLines,
      excluded: collected.excluded,
      suppressed,
    },
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

