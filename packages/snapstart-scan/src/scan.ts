// One scan, the CLI's core (cli/main.ts calls it; also the package's `scan` API): discover files
// (discover/) → select this shard → repository roles → jobs per engine, run on the pool (run/) →
// fingerprints → sort → baseline → the report (report/model.ts) with its stats. See docs/cli.md.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { compareFindings, type Diagnostic, type Finding } from '@snapstart/core';
import { applyBaseline } from './baseline.js';
import type { ScanConfig } from './config/schema.js';
import { discoverFiles, type Discovery, type Language, type SourceFile } from './discover/files.js';
import { discoverRepoRolesFor } from './discover/repo-roles.js';
import { selectShard, type Shard } from './discover/shard.js';
import type { FileRef, Job } from './engines/job.js';
import { fingerprintFile } from './report/fingerprint.js';
import { emptyReportSkips, REPORT_SCHEMA_VERSION, type ScanFinding, type ScanReport } from './report/model.js';
import { runJobs } from './run/pool.js';
import { VERSION } from './version.js';

export interface ScanOptions {
  /** Findings' paths, globs and the config are relative to this directory. */
  readonly root: string;
  readonly paths: readonly string[];
  readonly config: ScanConfig;
  readonly useEslintConfig?: boolean;
  /** Parse only files that mention a source (default true). */
  readonly prefilter?: boolean;
  /** Apply snapstart's autofixes to the files (the only way the scan writes to a user's file). */
  readonly fix?: boolean;
  readonly shard?: Shard;
  /** Worker threads: 'auto' (default: none for small scans, else one per core), 'off', or a number. */
  readonly concurrency?: number | 'auto' | 'off';
  /** Fingerprint → accepted count (from `readBaseline`). */
  readonly baseline?: ReadonlyMap<string, number>;
  /** Called once the files are known, then once per file scanned. */
  readonly onStart?: (files: number) => void;
  readonly onFile?: () => void;
  readonly signal?: AbortSignal;
  /**
   * A path that does not exist or holds no file to scan is an error (PathError), as in ESLint;
   * false (`--no-error-on-unmatched-pattern`) reports it as a file problem instead.
   */
  readonly errorOnUnmatched?: boolean;
}

/** Paths given to scan that do not exist or hold nothing to scan: a user error (exit 2). */
export class PathError extends Error {
  constructor(readonly unmatched: Discovery['unmatched']) {
    super(
      `${unmatched.map((u) => `${u.path}: ${u.message}`).join('\n')}\n(--no-error-on-unmatched-pattern scans the other paths anyway)`,
    );
    this.name = 'PathError';
  }
}

export interface ScanOutcome {
  readonly report: ScanReport;
  /** Every finding before the baseline was applied (what `--write-baseline` records). */
  readonly allFindings: readonly ScanFinding[];
  /** Files `fix` rewrote. */
  readonly fixedFiles: number;
  /** Things to say once, on stderr (not file problems). */
  readonly notices: readonly string[];
}

/** TS/JS files per job: small enough to balance the threads, large enough to keep messages few. */
const LINT_BATCH = 20;
/** Below this many files, starting worker threads (ESLint and TypeScript loaded in each) costs more than it saves. */
const MIN_FILES_FOR_THREADS = 150;
/**
 * A TS/JS file this large is a job of its own, and (with or without threads) runs in a worker
 * under the per-file budget; so does a Java build this large. Smaller ones cannot get near it.
 */
const GUARDED_BYTES = 512 * 1024;

function jobsFor(files: readonly SourceFile[]): Job[] {
  const builds = new Map<string, SourceFile[]>();
  const pythonProjects = new Map<string, SourceFile[]>();
  const lint: SourceFile[] = [];
  const large: Job[] = [];
  const ref = (f: SourceFile): FileRef => ({ path: f.path, abs: f.abs, base: f.base, size: f.size });
  for (const f of files) {
    if (f.language === 'python') {
      // One job per project: Python modules import each other across the project's directories.
      const list = pythonProjects.get(f.base);
      if (list) list.push(f);
      else pythonProjects.set(f.base, [f]);
    } else if (f.language !== 'java') {
      if (f.size >= GUARDED_BYTES) large.push({ kind: 'lint', files: [ref(f)] });
      else lint.push(f);
    }
    else {
      const list = builds.get(f.build ?? '');
      if (list) list.push(f);
      else builds.set(f.build ?? '', [f]);
    }
  }
  // Java builds first, largest first: one build is one job, so it should not be the last to start.
  const java: Job[] = [...builds.entries()]
    .sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))
    .map(([build, list]) => ({ kind: 'java', build, files: list.map(ref) }));
  const batches: Job[] = [];
  for (let i = 0; i < lint.length; i += LINT_BATCH) batches.push({ kind: 'lint', files: lint.slice(i, i + LINT_BATCH).map(ref) });
  // Large files first: the longest jobs should not be the last to start.
  const python: Job[] = [...pythonProjects.values()].map((list) => {
    // The directory the project's files share, for diagnostics.
    let project = list[0]!.path.split('/').slice(0, -1);
    for (const f of list) {
      const dirs = f.path.split('/');
      let i = 0;
      while (i < project.length && project[i] === dirs[i]) i++;
      project = project.slice(0, i);
    }
    return { kind: 'python', project: project.join('/'), files: list.map(ref) };
  });
  return [...large, ...java, ...python, ...batches];
}

function threadCount(concurrency: ScanOptions['concurrency'], files: number, jobs: number): number {
  if (concurrency === 'off' || jobs === 0) return 0;
  if (typeof concurrency === 'number') return Math.max(0, Math.min(concurrency, jobs));
  return files < MIN_FILES_FOR_THREADS ? 0 : Math.min(availableParallelism(), jobs);
}

function readLines(abs: string): string[] | undefined {
  try {
    return readFileSync(abs, 'utf8').split(/\r?\n/);
  } catch {
    return undefined;
  }
}

/** The files a scan would cover and those it would leave out, with why (`--list-files`). */
export async function listFiles(options: Pick<ScanOptions, 'root' | 'paths' | 'config' | 'errorOnUnmatched'>): Promise<Discovery> {
  const discovery = await discoverFiles({ root: options.root, paths: options.paths, config: options.config });
  if (discovery.unmatched.length > 0 && (options.errorOnUnmatched ?? true)) throw new PathError(discovery.unmatched);
  return discovery;
}

/** Discovers, shards and scans; returns the report (findings after the baseline) and every finding. */
export async function scan(options: ScanOptions): Promise<ScanOutcome> {
  const started = performance.now();
  const discovery = await discoverFiles({ root: options.root, paths: options.paths, config: options.config });
  options.signal?.throwIfAborted();
  if (discovery.unmatched.length > 0 && (options.errorOnUnmatched ?? true)) throw new PathError(discovery.unmatched);
  const files = options.shard ? selectShard(discovery.files, options.shard) : discovery.files;
  options.onStart?.(files.length);
  const jobs = jobsFor(files);
  const settings = {
    root: options.root,
    config: options.config,
    useEslintConfig: options.useEslintConfig ?? false,
    prefilter: options.prefilter ?? true,
    ...(options.fix ? { fix: true } : {}),
    roles: discoverRepoRolesFor(options.root, options.paths),
  };
  const probe = options.useEslintConfig ? files.find((f) => f.language !== 'java' && f.language !== 'python')?.abs : undefined;
  const results = await runJobs(jobs, {
    settings,
    ...(probe ? { probeFile: probe } : {}),
    threads: threadCount(options.concurrency ?? 'auto', files.length, jobs.length),
    budget: { seconds: options.config.maxFileSeconds, memoryMb: options.config.maxFileMemoryMb },
    guarded: (job) => job.files.reduce((n, f) => n + f.size, 0) >= GUARDED_BYTES,
    ...(options.onFile ? { onFile: options.onFile } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });

  const byFile = new Map<string, Finding[]>();
  const diagnostics: Diagnostic[] = [...discovery.diagnostics, ...discovery.unmatched.map((u) => ({ file: u.path, message: u.message })), ...settings.roles.problems];
  const skipped = { ...emptyReportSkips(), ...discovery.skipped };
  let inSource = 0;
  let parsed = 0;
  let fixed = 0;
  for (const r of results) {
    parsed += r.parsed;
    fixed += r.fixed;
    skipped.binary += r.skipped.binary;
    skipped.overBudget += r.skipped.overBudget;
    for (const f of r.findings) {
      const list = byFile.get(f.file);
      if (list) list.push(f);
      else byFile.set(f.file, [f]);
    }
    diagnostics.push(...r.diagnostics);
    inSource += r.suppressed;
  }
  const fileInfo = new Map(files.map((f) => [f.path, f]));
  const all: ScanFinding[] = [];
  for (const [path, findings] of byFile) {
    const info = fileInfo.get(path);
    all.push(...fingerprintFile(findings, info ? readLines(info.abs) : undefined, info?.language ?? 'typescript'));
  }
  all.sort(compareFindings);
  const { kept, suppressed: baseline } = options.baseline ? applyBaseline(all, options.baseline) : { kept: all, suppressed: 0 };
  diagnostics.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)));
  const byLanguage: Record<Language, number> = { typescript: 0, javascript: 0, java: 0, python: 0 };
  for (const f of files) byLanguage[f.language]++;
  const report: ScanReport = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'snapstart-scan', version: VERSION },
    ...(options.shard && options.shard.total > 1 ? { shard: options.shard } : {}),
    findings: kept,
    diagnostics,
    suppressed: { inSource, baseline },
    stats: { files: files.length, parsed, byLanguage, skipped, durationMs: Math.round(performance.now() - started) },
  };
  const notices: string[] = [...(options.config.notices ?? [])];
  if (existsSync(join(options.root, '.eslintignore'))) {
    notices.push(
      options.useEslintConfig
        ? '.eslintignore is not read: ESLint no longer supports it (use "ignores" in eslint.config.js, or "exclude" in snapstart\'s config)'
        : '.eslintignore is not read (use "exclude" in snapstart\'s config to leave files out)',
    );
  }
  return { report, allFindings: all, fixedFiles: fixed, notices };
}
