// What a repository says about its own files, read once per scan root and passed to the engines
// (eslint-plugin-snapstart's `scriptFiles`/`handlerFiles`, java-scanner's `handlerClasses` and
// `declaredHandlersOnly`). Files run by CI steps and package.json scripts are scripts, not function
// code; files and classes that deployment descriptors (SAM/CloudFormation, serverless.yml, CDK) name
// as handlers are function code. See docs/analysis.md, "What the repository says".
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseDocument } from 'yaml';
import { SKIPPED_DIRECTORIES } from './files.js';

/** A JS/TS file a descriptor names as a handler, with its exported function. */
export interface RoleHandlerFile {
  /** Absolute path. */
  readonly file: string;
  readonly handler: string;
}

export interface RepoRoles {
  /** Absolute paths of JS/TS files that CI steps or package.json scripts run. */
  readonly scriptFiles: readonly string[];
  readonly handlerFiles: readonly RoleHandlerFile[];
  /** Java handlers as descriptors write them (`com.acme.Orders::handleRequest`). */
  readonly javaHandlers: readonly string[];
  /** The files read, relative to the root (for the report and for debugging). */
  readonly sources: readonly string[];
  /** Descriptors that could not be read, with why (the scan goes on without them). */
  readonly problems: readonly { readonly file: string; readonly message: string }[];
}

export const EMPTY_ROLES: RepoRoles = { scriptFiles: [], handlerFiles: [], javaHandlers: [], sources: [], problems: [] };

/** Bounds on the walk: descriptors sit near the top of a repository. */
const MAX_DEPTH = 8;
/** A scan root holding more entries than this (a home directory) is read only this far. */
const MAX_ENTRIES = 200_000;
const MAX_DESCRIPTOR_BYTES = 2 * 1024 * 1024;
const SCRIPT_EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'];
const TEMPLATE = /^(?:template|.*\.template|samconfig-template|cloudformation|stack)[\w.-]*\.(?:ya?ml|json)$/i;
const SERVERLESS = /^serverless(?:\.[\w-]+)?\.ya?ml$/i;
const BUILDSPEC = /^buildspec[\w.-]*\.ya?ml$/i;
/** `node file.js`, `ts-node x.ts`, `tsx x.ts`, `bun x.ts`, `npx ts-node x.ts` (options between are skipped). */
const RUNS_FILE = /(?:^|[\s;&|(])(?:node|ts-node|tsx|bun|deno\s+run)((?:\s+-[-\w=]+)*)\s+([^\s;&|)'"]+\.[cm]?[jt]s)\b/g;

type Json = unknown;

function record(value: Json): Record<string, Json> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, Json>) : undefined;
}

function str(value: Json): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Every string under a YAML/JSON value, with the key it is under. */
function* strings(value: Json, key = ''): Generator<[string, string]> {
  if (typeof value === 'string') yield [key, value];
  else if (Array.isArray(value)) for (const v of value) yield* strings(v, key);
  else if (record(value)) for (const [k, v] of Object.entries(value as Record<string, Json>)) yield* strings(v, k);
}

/** Walks the root for descriptor files (skipping dependencies and build output). */
function walk(root: string): string[] {
  const out: string[] = [];
  let entries = 0;
  const visit = (dir: string, depth: number): void => {
    if (entries > MAX_ENTRIES) return;
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    entries += names.length;
    for (const name of names) {
      if (SKIPPED_DIRECTORIES.has(name)) continue;
      const path = join(dir, name);
      let info;
      try {
        info = statSync(path);
      } catch {
        continue;
      }
      if (info.isDirectory()) {
        if (depth < MAX_DEPTH) visit(path, depth + 1);
      } else if (info.isFile() && info.size <= MAX_DESCRIPTOR_BYTES) {
        out.push(path);
      }
    }
  };
  visit(root, 0);
  return out;
}

/** A handler setting's file part resolved to an existing JS/TS file under one of `bases`. */
function handlerFile(bases: readonly string[], modulePath: string): string | undefined {
  // Built output is named in descriptors, the source sits beside it: `dist/x` → `src/x`, `x`.
  const variants = [modulePath, modulePath.replace(/^(?:\.\/)?(?:dist|build|\.build|out|lib)\//, 'src/'), modulePath.replace(/^(?:\.\/)?(?:dist|build|\.build|out)\//, '')];
  for (const base of bases) {
    for (const v of variants) {
      for (const ext of ['', ...SCRIPT_EXTENSIONS]) {
        const candidate = resolve(base, v + ext);
        if (ext === '' && !SCRIPT_EXTENSIONS.some((e) => candidate.endsWith(e))) continue;
        if (existsSync(candidate)) return candidate;
      }
    }
  }
  return undefined;
}

/** A Lambda handler setting: Java (`com.acme.H::handleRequest`, `com.acme.H`) or a module path and export (`src/app.handler`). */
function addHandler(setting: string, bases: readonly string[], roles: Roles): void {
  const value = setting.trim();
  const last = value.split('::')[0]!.split('.').at(-1) ?? '';
  if (value.includes('::') || (/^[a-z_][\w]*(?:\.[a-z_]\w*)+\.[A-Z]\w*$/.test(value) && /^[A-Z]/.test(last))) {
    roles.javaHandlers.add(value);
    return;
  }
  const dot = value.lastIndexOf('.');
  if (dot <= 0) return;
  const file = handlerFile(bases, value.slice(0, dot));
  if (file) roles.handlerFiles.set(`${file}#${value.slice(dot + 1)}`, { file, handler: value.slice(dot + 1) });
}

interface Roles {
  readonly scriptFiles: Set<string>;
  readonly handlerFiles: Map<string, RoleHandlerFile>;
  readonly javaHandlers: Set<string>;
}

/** `node x.mjs` in a command line: the file, resolved against the candidate directories. */
function addScripts(command: string, bases: readonly string[], roles: Roles): void {
  for (const m of command.matchAll(RUNS_FILE)) {
    const path = m[2]!;
    for (const base of bases) {
      const file = resolve(base, path);
      if (existsSync(file)) {
        roles.scriptFiles.add(file);
        break;
      }
    }
  }
}

/** SAM/CloudFormation: `Handler` of every function resource, against every `CodeUri` in the template. */
function readTemplate(doc: Json, dir: string, roles: Roles): void {
  const resources = record(record(doc)?.['Resources']);
  if (!resources) return;
  const codeUris = new Set<string>();
  const handlers: string[] = [];
  for (const [key, value] of strings(doc)) {
    if (key === 'CodeUri' || key === 'ContentUri') codeUris.add(value);
    if (key === 'Handler') handlers.push(value);
    if (key === 'EntryPoints') codeUris.add(dirname(value)); // esbuild metadata: `EntryPoints: [src/app.ts]`
  }
  const bases = [...[...codeUris].map((c) => resolve(dir, c)), dir];
  for (const h of handlers) addHandler(h, bases, roles);
}

/** serverless.yml: `functions.<name>.handler`. */
function readServerless(doc: Json, dir: string, roles: Roles): void {
  const functions = record(record(doc)?.['functions']);
  for (const fn of Object.values(functions ?? {})) {
    const handler = str(record(fn)?.['handler']);
    if (handler) addHandler(handler, [dir], roles);
  }
}

/**
 * A CDK app's constructs (TS/JS under a folder with cdk.json): `entry:` of a NodejsFunction (its
 * handler is `handler:` when that is a bare name, else `handler`), and `handler: 'index.main'`
 * against every `Code.fromAsset('dir')` of the file.
 */
function readCdkSource(text: string, file: string, appDir: string, roles: Roles): void {
  if (!/\bhandler\s*:|\bentry\s*:/.test(text)) return;
  const dir = dirname(file);
  const literal = String.raw`(['"\x60])([^'"\x60]+)\1`;
  const pathArg = (m: RegExpMatchArray): string | undefined => m[2];
  const assets = [...text.matchAll(new RegExp(String.raw`fromAsset\(\s*(?:path\.(?:join|resolve)\(\s*__dirname\s*,\s*)?${literal}`, 'g'))].flatMap((m) => {
    const p = pathArg(m);
    return p ? [m[0].includes('__dirname') ? resolve(dir, p) : resolve(appDir, p)] : [];
  });
  const bareHandlers = [...text.matchAll(new RegExp(String.raw`\bhandler\s*:\s*${literal}`, 'g'))].map((m) => m[2]!);
  for (const m of text.matchAll(new RegExp(String.raw`\bentry\s*:\s*(?:path\.(?:join|resolve)\(\s*__dirname\s*,\s*)?${literal}`, 'g'))) {
    const p = pathArg(m);
    if (!p) continue;
    const entry = m[0].includes('__dirname') ? resolve(dir, p) : resolve(appDir, p);
    if (!existsSync(entry)) continue;
    const names = bareHandlers.filter((h) => !h.includes('.'));
    for (const handler of names.length > 0 ? names : ['handler']) roles.handlerFiles.set(`${entry}#${handler}`, { file: entry, handler });
  }
  for (const h of bareHandlers) if (h.includes('.')) addHandler(h, assets, roles);
}

/**
 * Reads the repository's CI, package scripts and deployment descriptors under `root`; the files
 * it names in `sources` and `problems` are relative to `relativeTo` (the scan root).
 */
export function discoverRepoRoles(root: string, relativeTo: string = root): RepoRoles {
  const roles: Roles = { scriptFiles: new Set(), handlerFiles: new Map(), javaHandlers: new Set() };
  const sources: string[] = [];
  const problems: Array<{ file: string; message: string }> = [];
  const files = walk(root);
  const cdkApps = files.filter((f) => f.endsWith(`${sep}cdk.json`)).map(dirname);
  const rel = (f: string): string => relative(relativeTo, f).split(sep).join('/');
  const yamlOf = (file: string): Json => {
    try {
      // CloudFormation's short tags (`!Ref`, `!Sub`) are unknown to YAML: kept as plain values.
      const doc = parseDocument(readFileSync(file, 'utf8'), { logLevel: 'silent', uniqueKeys: false, strict: false });
      if (doc.errors.length > 0) throw doc.errors[0]!;
      return doc.toJS({ maxAliasCount: 1000 }) as Json;
    } catch (err) {
      problems.push({ file: rel(file), message: `cannot read as YAML: ${(err as Error).message.split('\n')[0]}` });
      return undefined;
    }
  };
  for (const file of files) {
    const name = file.slice(file.lastIndexOf(sep) + 1);
    const dir = dirname(file);
    const r = rel(file);
    if (/(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(r) || BUILDSPEC.test(name)) {
      const doc = yamlOf(file);
      if (doc === undefined) continue;
      sources.push(r);
      // A step's `working-directory` (or a job's default) is where its commands run.
      const dirs = new Set<string>([root]);
      for (const [key, value] of strings(doc)) if (key === 'working-directory') dirs.add(resolve(root, value));
      for (const [key, value] of strings(doc)) if (key === 'run' || key === 'commands') addScripts(value, [...dirs], roles);
    } else if (name === 'package.json') {
      let pkg: Json;
      try {
        pkg = JSON.parse(readFileSync(file, 'utf8'));
      } catch (err) {
        problems.push({ file: r, message: `cannot read as JSON: ${(err as Error).message}` });
        continue;
      }
      const scripts = record(record(pkg)?.['scripts']);
      if (!scripts) continue;
      sources.push(r);
      for (const command of Object.values(scripts)) if (typeof command === 'string') addScripts(command, [dir], roles);
    } else if (TEMPLATE.test(name) || SERVERLESS.test(name)) {
      const doc = name.endsWith('.json') ? safeJson(file) : yamlOf(file);
      if (doc === undefined) continue;
      const before = roles.handlerFiles.size + roles.javaHandlers.size;
      if (SERVERLESS.test(name)) readServerless(doc, dir, roles);
      else readTemplate(doc, dir, roles);
      if (roles.handlerFiles.size + roles.javaHandlers.size > before) sources.push(r);
    } else if (/\.[cm]?[jt]s$/.test(name) && !name.endsWith('.d.ts')) {
      const app = cdkApps.find((a) => file.startsWith(a + sep));
      if (!app) continue;
      const text = readFileSync(file, 'utf8');
      if (!/aws-cdk-lib|@aws-cdk\//.test(text)) continue;
      const before = roles.handlerFiles.size;
      readCdkSource(text, file, app, roles);
      if (roles.handlerFiles.size > before) sources.push(r);
    }
  }
  // A file a descriptor deploys is function code even if a script also runs it (a local invoke).
  const handlerPaths = new Set([...roles.handlerFiles.values()].map((h) => h.file));
  return {
    scriptFiles: [...roles.scriptFiles].filter((f) => !handlerPaths.has(f)).sort(),
    handlerFiles: [...roles.handlerFiles.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.handler < b.handler ? -1 : 1)),
    javaHandlers: [...roles.javaHandlers].sort(),
    sources,
    problems,
  };
}

/** The repository a path belongs to: the nearest directory at or above it that holds `.git`; else the path's own directory. */
export function repositoryRootOf(path: string): string {
  let dir = existsSync(path) && statSync(path).isDirectory() ? path : dirname(path);
  const own = dir;
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return own;
    dir = parent;
  }
}

/**
 * The roles for a scan of `paths` (relative to `root`): read from the repository of each path, so
 * that scanning a repository from inside it (a subdirectory as the working directory) or from
 * outside it (`snapstart-scan ../other/repo`) sees the same CI and descriptors.
 */
export function discoverRepoRolesFor(root: string, paths: readonly string[]): RepoRoles {
  const roots = [...new Set(paths.map((p) => repositoryRootOf(resolve(root, p))))].sort();
  // A root inside another is read with it.
  const outer = roots.filter((r) => !roots.some((o) => o !== r && r.startsWith(o + sep)));
  const parts = outer.map((r) => discoverRepoRoles(r, root));
  if (parts.length === 1) return parts[0]!;
  const handlers = new Map(parts.flatMap((p) => p.handlerFiles.map((h) => [`${h.file}#${h.handler}`, h] as const)));
  return {
    scriptFiles: [...new Set(parts.flatMap((p) => p.scriptFiles))].sort(),
    handlerFiles: [...handlers.values()],
    javaHandlers: [...new Set(parts.flatMap((p) => p.javaHandlers))].sort(),
    sources: parts.flatMap((p) => p.sources),
    problems: parts.flatMap((p) => p.problems),
  };
}

function safeJson(file: string): Json {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
