import type { Diagnostic, Finding } from '@snapstart/core';
import type { ScanConfig } from '../config/schema.js';
import type { RepoRoles } from '../discover/repo-roles.js';

/** What every engine needs, in a form that can be sent to a worker thread. */
export interface EngineSettings {
  /** Scan root: findings' paths are relative to it. */
  readonly root: string;
  readonly config: ScanConfig;
  /** Lint TS/JS with the user's own ESLint config (plus snapstart's rules) instead of ours alone. */
  readonly useEslintConfig: boolean;
  /**
   * Skip parsing TS/JS files that mention no source (the plugin's own pre-filter: such a file
   * cannot have a finding). Off with `useEslintConfig`, whose settings may declare sources we do not see.
   */
  readonly prefilter: boolean;
  /**
   * Run snapstart's rules directly on the parsed file instead of through ESLint (default true; see
   * direct.ts). Files with ESLint directive comments and `useEslintConfig` scans use ESLint anyway.
   */
  readonly direct?: boolean;
  /** Apply snapstart's autofixes to the files (`--fix`); other rules' fixes never. */
  readonly fix?: boolean;
  /** What the repository says about its files: CI scripts, descriptor-declared handlers (discover/repo-roles.ts). */
  readonly roles?: RepoRoles;
}

export interface FileRef {
  readonly path: string;
  readonly abs: string;
  /** The file's project directory (see SourceFile.base): ESLint runs from there. */
  readonly base: string;
  readonly size: number;
}

/** TypeScript/JavaScript files linted with ESLint. */
export interface LintJob {
  readonly kind: 'lint';
  readonly files: readonly FileRef[];
}

/** The Java files of one build, analysed together. */
export interface JavaJob {
  readonly kind: 'java';
  readonly build: string;
  readonly files: readonly FileRef[];
}

/** The Python files of one project (the directory they were found in), analysed together. */
export interface PythonJob {
  readonly kind: 'python';
  readonly project: string;
  readonly files: readonly FileRef[];
}

export type Job = LintJob | JavaJob | PythonJob;

export interface JobResult {
  readonly findings: Finding[];
  readonly diagnostics: Diagnostic[];
  /** Findings silenced in the source (eslint-disable comments, @SuppressWarnings). */
  readonly suppressed: number;
  readonly files: number;
  /** Files actually parsed (the others mention no source). */
  readonly parsed: number;
  /** Files rewritten by `--fix`. */
  readonly fixed: number;
  /** Files left out once read: binary content, or over the per-file budget. */
  readonly skipped: { binary: number; overBudget: number };
}

export type MutableJobResult = { findings: Finding[]; diagnostics: Diagnostic[]; suppressed: number; files: number; parsed: number; fixed: number; skipped: { binary: number; overBudget: number } };

export function emptyResult(): MutableJobResult {
  return { findings: [], diagnostics: [], suppressed: 0, files: 0, parsed: 0, fixed: 0, skipped: { binary: 0, overBudget: 0 } };
}
