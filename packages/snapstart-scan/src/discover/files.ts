import { existsSync, readFileSync } from 'node:fs';
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

export type Language = 'typescript' | 'javascript' | 'java';

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
}

export interface Discovery {
  readonly files: SourceFile[];
  readonly diagnostics: Diagnostic[];
  /** Source files left out, by reason. */
  readonly skipped: { readonly gitignored: number; readonly excluded: number; readonly tests: number };
}

const LANGUAGE_OF: ReadonlyMap<string, Language> = new Map([
  ['.ts', 'typescript'], ['.tsx', 'typescript'], ['.mts', 'typescript'], ['.cts', 'typescript'],
  ['.js', 'javascript'], ['.jsx', 'javascript'], ['.mjs', 'javascript'], ['.cjs', 'javascript'],
  ['.java', 'java'],
]);

/** Dependencies, VCS data, build output and tool caches: never function source. */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set([
  'node_modules', 'bower_components', 'jspm_packages', '.git', '.hg', '.svn',
  'dist', 'build', 'out', 'target', 'coverage', '.nyc_output', 'cdk.out', '.aws-sam', '.serverless', '.sst',
  '.next', '.nuxt', '.svelte-kit', '.turbo', '.cache', '.parcel-cache', '.webpack', '.vercel', '.netlify',
  '.gradle', '.idea', '.mvn', '.vscode', '.venv', '__pycache__',
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

/** The nearest directory at or above `from` that holds `.git` (the repository root), or `from`. */
function repositoryRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return from;
  }
}

interface GitignoreLayer {
  readonly dir: string;
  readonly rules: Ignore;
}

/**
 * `.gitignore` files apply to their directory's subtree, the deeper ones after (and able to
 * re-include what) the shallower ones exclude. A directory excluded as a whole is not entered,
 * as in git.
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

  /** Layers from the repository root down to `dir`. */
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

/**
 * Finds the source files to scan under `paths`: supported extensions, `.gitignore` and the
 * config's include/exclude honoured, dependency and build directories, generated files and (by
 * default) tests skipped. Problems with one path (unreadable, broken or looping symlinks, too
 * large) become diagnostics; the walk goes on.
 */
export async function discoverFiles(options: DiscoverOptions): Promise<Discovery> {
  const { root, config } = options;
  const top = repositoryRoot(root);
  const gitignores = new Gitignores();
  const files: SourceFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const skipped = { gitignored: 0, excluded: 0, tests: 0 };
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
  const excludes = [...config.exclude, ...DEFAULT_JAVA_EXCLUDES, ...SKIPPED_FILES];
  const tests = [...TEST_FILE_GLOBS, ...JAVA_TEST_FILE_GLOBS];

  const addFile = (abs: string, real: string, size: number, explicit: boolean): void => {
    const language = languageOf(abs);
    if (!language) return;
    const path = rel(abs);
    if (matches(path, excludes)) {
      skipped.excluded++;
      return;
    }
    if (!explicit && config.include.length > 0 && !matches(path, config.include)) {
      skipped.excluded++;
      return;
    }
    if (!explicit && !config.tests && matches(path, tests)) {
      skipped.tests++;
      return;
    }
    if (seenFiles.has(real)) return; // the same file reached through a symlink
    seenFiles.add(real);
    if (size > config.maxFileSize) {
      diagnostics.push({ file: path, message: `skipped: ${(size / 1048576).toFixed(1)} MiB is over the ${(config.maxFileSize / 1048576).toFixed(1)} MiB limit (maxFileSize)` });
      return;
    }
    files.push({ path, abs, size, language });
  };

  /** `ancestors`: real paths of the directories being walked, to detect symlink loops. */
  const walkDir = async (abs: string, ancestors: ReadonlySet<string>): Promise<void> => {
    let entries: string[];
    try {
      entries = (await readdir(abs)).sort();
    } catch (err) {
      diagnostics.push({ file: rel(abs), message: `cannot read directory: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
      return;
    }
    buildDirCache.set(abs, entries.some((e) => BUILD_FILES.includes(e)));
    const layers = gitignores.layers(top, abs);
    for (const name of entries) {
      const child = join(abs, name);
      let info;
      try {
        info = await lstat(child);
      } catch (err) {
        diagnostics.push({ file: rel(child), message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
        continue;
      }
      let isDir = info.isDirectory();
      let size = info.size;
      let real = child;
      if (info.isSymbolicLink()) {
        try {
          const target = await stat(child);
          real = await realpath(child);
          isDir = target.isDirectory();
          size = target.size;
          if (!isDir && !target.isFile()) continue;
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (isDir || languageOf(name) || code === 'ELOOP') {
            diagnostics.push({
              file: rel(child),
              message: code === 'ELOOP' ? 'skipped: symbolic link loop' : `skipped: broken symbolic link (${code ?? (err as Error).message})`,
            });
          }
          continue;
        }
      } else if (!isDir && !info.isFile()) {
        continue; // sockets, FIFOs, devices
      }
      if (isDir) {
        if (SKIPPED_DIRECTORIES.has(name)) continue;
        if (gitignores.ignored(layers, child, true)) {
          skipped.gitignored++;
          continue;
        }
        if (matches(`${rel(child)}/`, excludes)) {
          skipped.excluded++;
          continue;
        }
        if (ancestors.has(real)) {
          diagnostics.push({ file: rel(child), message: 'skipped: symbolic link loop (points to a directory that contains it)' });
          continue;
        }
        await walkDir(child, new Set([...ancestors, real]));
        continue;
      }
      if (!languageOf(name)) continue;
      if (gitignores.ignored(layers, child, false)) {
        skipped.gitignored++;
        continue;
      }
      addFile(child, real, size, false);
    }
  };

  for (const p of options.paths) {
    const abs = resolve(root, p);
    let info;
    try {
      info = await stat(abs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      diagnostics.push({ file: p, message: code === 'ENOENT' ? 'no such file or directory' : `cannot read: ${code ?? (err as Error).message}` });
      continue;
    }
    if (info.isDirectory()) {
      await walkDir(abs, new Set([await realpath(abs)]));
    } else if (info.isFile()) {
      if (!languageOf(abs)) {
        diagnostics.push({ file: p, message: 'skipped: not a TypeScript, JavaScript or Java file' });
        continue;
      }
      addFile(abs, await realpath(abs), info.size, true);
    }
  }

  // Java files belong to the outermost build directory above them (within the root).
  const withBuilds = files.map((f) => {
    if (f.language !== 'java') return f;
    let build: string | undefined;
    for (let d = dirname(f.abs); d === root || d.startsWith(root + sep); d = dirname(d)) {
      if (isBuildDir(d)) build = d;
      if (d === root) break;
    }
    return { ...f, build: build === undefined ? '' : rel(build) };
  });
  withBuilds.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files: withBuilds, diagnostics, skipped };
}
