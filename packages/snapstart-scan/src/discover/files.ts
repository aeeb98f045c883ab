// The scan's first step: which files to scan. Walks the given paths, applies .gitignore like git,
// the config's include/exclude, the test and generated-file globs and the size limit, gives each
// file its language (TS, JS, Java, Python), and records every skipped path and why
// (`--list-files`, the report's `stats.skipped`). Called by scan.ts. See docs/cli.md, "What is scanned".
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, type Stats } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Diagnostic } from '@snapstart/core';
import { DEFAULT_JAVA_EXCLUDES, JAVA_TEST_FILE_GLOBS } from '@snapstart/java-scanner';
import { TEST_FILE_GLOBS } from 'eslint-plugin-snapstart';
import ignoreModule, { type Ignore } from 'ignore';
import { minimatch } from 'minimatch';
import type { ScanConfig } from '../config/schema.js';

// `ignore` is CommonJS: under NodeNext its default import is the module object, whose `default` is the factory.
const ignore = ignoreModule.default;

export type Language = 'typescript' | 'javascript' | 'java' | 'python';

export interface SourceFile {
  /** Relative to the scan root, with `/` separators: what findings and reports show. */
  readonly path: string;
  readonly abs: string;
  readonly size: number;
  readonly language: Language;
  /**
   * For Java: the build this file belongs to (the outermost directory with a Maven or Gradle
   * build file above it, relative to the root; '' when there is none). Java is analysed per
   * build: classes of one build see each other, separate builds do not.
   */
  readonly build?: string;
  /**
   * The directory that stands for the project this file was found in (its git repository's root,
   * else the scan path): default globs are matched relative to it, and ESLint runs from it, so a
   * file scanned from outside the working directory is treated as it is from inside.
   */
  readonly base: string;
}

/** Why a file was left out (the keys of the report's `stats.skipped`). */
export type SkipReason = 'gitignored' | 'excluded' | 'tests' | 'tooLarge' | 'notRegular' | 'unreadable';

export type SkipCounts = Record<SkipReason, number>;

export function emptySkipCounts(): SkipCounts {
  return { gitignored: 0, excluded: 0, tests: 0, tooLarge: 0, notRegular: 0, unreadable: 0 };
}

/** A path left out, and why (what `--list-files` prints; a directory ends with `/`). */
export interface SkippedPath {
  readonly path: string;
  readonly reason: SkipReason;
  readonly detail?: string;
}

/** A path given on the command line that gives nothing to scan. */
export interface UnmatchedPath {
  readonly path: string;
  readonly message: string;
}

export interface Discovery {
  readonly files: SourceFile[];
  readonly diagnostics: Diagnostic[];
  /** Source files left out, by reason. */
  readonly skipped: SkipCounts;
  /** Every file (or whole directory) left out, with its reason. */
  readonly skippedPaths: SkippedPath[];
  /** Command-line paths that do not exist or hold no file to scan (exit 2 unless allowed). */
  readonly unmatched: UnmatchedPath[];
}

const LANGUAGE_OF: ReadonlyMap<string, Language> = new Map([
  ['.ts', 'typescript'], ['.tsx', 'typescript'], ['.mts', 'typescript'], ['.cts', 'typescript'],
  ['.js', 'javascript'], ['.jsx', 'javascript'], ['.mjs', 'javascript'], ['.cjs', 'javascript'],
  ['.java', 'java'],
  ['.py', 'python'],
]);

/** Dependencies, VCS data, build output and tool caches: never function source. */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set([
  'node_modules', 'bower_components', 'jspm_packages', '.git', '.hg', '.svn',
  'dist', 'build', 'out', 'target', 'coverage', '.nyc_output', 'cdk.out', '.aws-sam', '.serverless', '.sst',
  '.next', '.nuxt', '.svelte-kit', '.turbo', '.cache', '.parcel-cache', '.webpack', '.vercel', '.netlify',
  '.gradle', '.idea', '.mvn', '.vscode', '.venv', '__pycache__',
  // Python virtual environments and installed packages, and tool caches.
  'venv', 'site-packages', 'dist-packages', '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache',
]);

/** Files that are generated or carry no code: minified bundles, declaration files. */
const SKIPPED_FILES = ['**/*.min.js', '**/*.min.mjs', '**/*.bundle.js', '**/*.d.ts', '**/*.d.mts', '**/*.d.cts'];

const BUILD_FILES = ['pom.xml', 'build.gradle', 'build.gradle.kts', 'settings.gradle', 'settings.gradle.kts'];

export function languageOf(path: string): Language | undefined {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? undefined : LANGUAGE_OF.get(path.slice(dot).toLowerCase());
}

function toPosix(p: string): string {
  return p.split(sep).join('/');
}

/**
 * Test folders beyond the shared TEST_FILE_GLOBS: RSpec/Jasmine-style `spec/` folders hold tests
 * as much as `test/` does (issue 20).
 */
const MORE_TEST_GLOBS = ['**/spec/**', '**/test_*.py', '**/*_test.py', '**/conftest.py'];

/** The nearest directory at or above `from` that holds `.git` (the repository root), or undefined. */
function repositoryRoot(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The files git tracks in a repository (from its index, via `git ls-files`), and the directories
 * that hold them. `.gitignore` does not apply to these, as in git. Undefined when git cannot say
 * (no git installed, not a work tree): then `.gitignore` applies to every file.
 */
interface Tracked {
  readonly files: ReadonlySet<string>;
  readonly dirs: ReadonlySet<string>;
}

function trackedFiles(top: string): Tracked | undefined {
  let out: string;
  try {
    out = execFileSync('git', ['ls-files', '-z', '--cached'], { cwd: top, encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
  const files = new Set<string>();
  const dirs = new Set<string>();
  for (const rel of out.split('\0')) {
    if (!rel) continue;
    const abs = join(top, rel);
    files.add(abs);
    for (let d = dirname(abs); d.length > top.length && !dirs.has(d); d = dirname(d)) dirs.add(d);
  }
  return { files, dirs };
}

interface GitignoreLayer {
  readonly dir: string;
  readonly rules: Ignore;
}

/**
 * `.gitignore` files apply to their directory's subtree, the deeper ones after (and able to
 * re-include what) the shallower ones exclude. A directory excluded as a whole is not entered,
 * as in git, unless git tracks files in it.
 */
class Gitignores {
  private readonly cache = new Map<string, GitignoreLayer | null>();

  private layer(dir: string): GitignoreLayer | null {
    let cached = this.cache.get(dir);
    if (cached !== undefined) return cached;
    cached = null;
    const file = join(dir, '.gitignore');
    if (existsSync(file)) {
      try {
        cached = { dir, rules: ignore().add(readFileSync(file, 'utf8')) };
      } catch {
        cached = null; // an unreadable .gitignore ignores nothing, as in git
      }
    }
    this.cache.set(dir, cached);
    return cached;
  }

  /** Layers from `top` (the repository root, or the scan path outside a repository) down to `dir`. */
  layers(top: string, dir: string): GitignoreLayer[] {
    const chain: string[] = [];
    for (let d = dir; ; d = dirname(d)) {
      chain.push(d);
      if (d === top || dirname(d) === d) break;
    }
    return chain.reverse().map((d) => this.layer(d)).filter((l): l is GitignoreLayer => l !== null);
  }

  ignored(layers: readonly GitignoreLayer[], abs: string, isDir: boolean): boolean {
    let ignored = false;
    for (const layer of layers) {
      const rel = toPosix(relative(layer.dir, abs));
      if (!rel || rel.startsWith('..')) continue;
      const result = layer.rules.test(isDir ? `${rel}/` : rel);
      if (result.ignored) ignored = true;
      else if (result.unignored) ignored = false;
    }
    return ignored;
  }
}

export interface DiscoverOptions {
  /** Findings' paths and config globs are relative to this directory. */
  readonly root: string;
  readonly paths: readonly string[];
  readonly config: ScanConfig;
}

/** What a directory entry is, following a symbolic link. */
function kindOf(info: Stats): string {
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device file';
  return 'not a regular file';
}

/**
 * Finds the source files to scan under `paths`: supported extensions, `.gitignore` (for files git
 * does not track) and the config's include/exclude honoured, dependency and build directories,
 * generated files and (by default) tests skipped. Every source file left out is counted by reason
 * and listed; problems with one path (unreadable, broken or looping symlinks, too large, not a
 * regular file) also become diagnostics; the walk goes on.
 *
 * Default globs (tests, generated files, Java templates) are matched relative to each file's
 * project — its git repository's root, or the scan path outside a repository — so that
 * `snapstart-scan ../other/repo` skips what scanning from inside that repository skips.
 */
export async function discoverFiles(options: DiscoverOptions): Promise<Discovery> {
  const { config } = options;
  // Real paths throughout, so that the paths of files walked at their real path are relative to it.
  const root = await realpath(options.root);
  const gitignores = new Gitignores();
  const trackedCache = new Map<string, Tracked | undefined>();
  const tracked = (top: string): Tracked | undefined => {
    if (!trackedCache.has(top)) trackedCache.set(top, existsSync(join(top, '.git')) ? trackedFiles(top) : undefined);
    return trackedCache.get(top);
  };
  const files: SourceFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const skipped = emptySkipCounts();
  const skippedPaths: SkippedPath[] = [];
  const unmatched: UnmatchedPath[] = [];
  const seenFiles = new Set<string>();
  const buildDirCache = new Map<string, boolean>();
  const isBuildDir = (dir: string): boolean => {
    let known = buildDirCache.get(dir);
    if (known === undefined) {
      known = BUILD_FILES.some((b) => existsSync(join(dir, b)));
      buildDirCache.set(dir, known);
    }
    return known;
  };
  const rel = (abs: string): string => toPosix(relative(root, abs)) || '.';
  const matches = (path: string, globs: readonly string[]): boolean => globs.some((g) => minimatch(path, g, { dot: true }));
  const defaultExcludes = [...DEFAULT_JAVA_EXCLUDES, ...SKIPPED_FILES];
  const tests = [...TEST_FILE_GLOBS, ...JAVA_TEST_FILE_GLOBS, ...MORE_TEST_GLOBS];
  const skip = (path: string, reason: SkipReason, detail?: string): void => {
    skipped[reason]++;
    skippedPaths.push({ path, reason, ...(detail !== undefined ? { detail } : {}) });
    // The diagnostic's wording: "cannot read …" as before, else "skipped: …".
    if (detail !== undefined) diagnostics.push({ file: path.replace(/\/$/, ''), message: detail.startsWith('cannot read') ? detail : `skipped: ${detail}` });
  };

  /** Adds a file unless a rule leaves it out; returns whether it was added (or was already). */
  const addFile = (abs: string, real: string, size: number, base: string, explicit: boolean): boolean => {
    const language = languageOf(abs);
    if (!language) return false;
    const path = rel(abs);
    // Relative to the file's project, whatever the working directory.
    const inProject = toPosix(relative(base, abs));
    if (matches(path, config.exclude) || matches(inProject, defaultExcludes)) {
      skip(path, 'excluded');
      return false;
    }
    if (!explicit && config.include.length > 0 && !matches(path, config.include)) {
      skip(path, 'excluded');
      return false;
    }
    if (!explicit && !config.tests && matches(inProject, tests)) {
      skip(path, 'tests');
      return false;
    }
    if (seenFiles.has(real)) return true; // the same file reached through a symlink
    seenFiles.add(real);
    if (size > config.maxFileSize) {
      skip(path, 'tooLarge', `${(size / 1048576).toFixed(1)} MiB is over the ${(config.maxFileSize / 1048576).toFixed(1)} MiB limit (maxFileSize)`);
      return false;
    }
    files.push({ path, abs, size, language, base });
    return true;
  };

  /** `ancestors`: real paths of the directories being walked, to detect symlink loops. Returns the files added. */
  const walkDir = async (abs: string, ancestors: ReadonlySet<string>, top: string, git: Tracked | undefined): Promise<number> => {
    let added = 0;
    let entries: string[];
    try {
      entries = (await readdir(abs)).sort();
    } catch (err) {
      skip(`${rel(abs)}/`, 'unreadable', `cannot read directory: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      return 0;
    }
    buildDirCache.set(abs, entries.some((e) => BUILD_FILES.includes(e)));
    const layers = gitignores.layers(top, abs);
    for (const name of entries) {
      const child = join(abs, name);
      let info;
      try {
        info = await lstat(child);
      } catch (err) {
        skip(rel(child), 'unreadable', `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
        continue;
      }
      let isDir = info.isDirectory();
      let size = info.size;
      let real = child;
      let kind: Stats = info;
      if (info.isSymbolicLink()) {
        try {
          const target = await stat(child);
          real = await realpath(child);
          isDir = target.isDirectory();
          size = target.size;
          kind = target;
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (isDir || languageOf(name) || code === 'ELOOP') {
            skip(rel(child), 'unreadable', code === 'ELOOP' ? 'symbolic link loop' : `broken symbolic link (${code ?? (err as Error).message})`);
          }
          continue;
        }
      }
      if (!isDir && !kind.isFile()) {
        // Reading a FIFO would block the scan, a device is not source: say so for source-named ones.
        if (languageOf(name)) skip(rel(child), 'notRegular', `${kindOf(kind)}, not a regular file`);
        continue;
      }
      if (isDir) {
        if (SKIPPED_DIRECTORIES.has(name)) continue;
        if (gitignores.ignored(layers, child, true) && !git?.dirs.has(child)) {
          skip(`${rel(child)}/`, 'gitignored');
          continue;
        }
        if (matches(`${rel(child)}/`, config.exclude) || matches(`${toPosix(relative(top, child))}/`, defaultExcludes)) {
          skip(`${rel(child)}/`, 'excluded');
          continue;
        }
        if (ancestors.has(real)) {
          skip(`${rel(child)}/`, 'unreadable', 'symbolic link loop (points to a directory that contains it)');
          continue;
        }
        added += await walkDir(child, new Set([...ancestors, real]), top, git);
        continue;
      }
      if (!languageOf(name)) continue;
      // git ignores only files it does not track.
      if (!git?.files.has(child) && gitignores.ignored(layers, child, false)) {
        skip(rel(child), 'gitignored');
        continue;
      }
      if (addFile(child, real, size, top, false)) added++;
    }
    return added;
  };

  for (const p of options.paths) {
    const abs = resolve(root, p);
    let info;
    try {
      info = await stat(abs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      unmatched.push({ path: p, message: code === 'ENOENT' ? 'no such file or directory' : `cannot read: ${code ?? (err as Error).message}` });
      continue;
    }
    const real = await realpath(abs);
    if (info.isDirectory()) {
      // The project: the repository holding the path, else the path itself. A symlinked directory
      // is walked at its real path, so that it is the same project (same .gitignore, same git
      // index, same default globs) as the real one.
      const top = repositoryRoot(real) ?? real;
      const before = skippedPaths.length;
      const added = await walkDir(real, new Set([real]), top, tracked(top));
      if (added === 0) {
        const left = skippedPaths.slice(before);
        const why = left.length === 0 ? 'no TypeScript, JavaScript or Java files' : `no file to scan (${describeSkips(left)})`;
        unmatched.push({ path: p, message: why });
      }
    } else if (info.isFile()) {
      if (!languageOf(abs)) {
        unmatched.push({ path: p, message: 'not a TypeScript, JavaScript or Java file' });
        continue;
      }
      const top = repositoryRoot(dirname(real)) ?? dirname(abs);
      const before = skippedPaths.length;
      if (!addFile(abs, real, info.size, real === abs ? top : dirname(abs), true)) {
        unmatched.push({ path: p, message: `not scanned (${describeSkips(skippedPaths.slice(before))})` });
      }
    } else {
      unmatched.push({ path: p, message: `${kindOf(info)}, not a file or directory` });
    }
  }

  // Java files belong to the outermost build directory above them (within their project).
  const withBuilds = files.map((f) => {
    if (f.language !== 'java') return f;
    let build: string | undefined;
    const limit = f.abs.startsWith(root + sep) ? root : f.base;
    for (let d = dirname(f.abs); d === limit || d.startsWith(limit + sep); d = dirname(d)) {
      if (isBuildDir(d)) build = d;
      if (d === limit) break;
    }
    return { ...f, build: build === undefined ? '' : rel(build) };
  });
  withBuilds.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  skippedPaths.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files: withBuilds, diagnostics, skipped, skippedPaths, unmatched };
}

/** `2 tests, 1 gitignored`. */
function describeSkips(list: readonly SkippedPath[]): string {
  if (list.length === 0) return 'left out';
  const counts = new Map<SkipReason, number>();
  for (const s of list) counts.set(s.reason, (counts.get(s.reason) ?? 0) + 1);
  const words: Record<SkipReason, string> = {
    gitignored: 'ignored by .gitignore',
    excluded: 'excluded',
    tests: 'tests (--include-tests scans them)',
    tooLarge: 'over maxFileSize',
    notRegular: 'not regular files',
    unreadable: 'unreadable',
  };
  return [...counts].map(([reason, n]) => `${n} skipped: ${words[reason]}`).join(', ');
}
