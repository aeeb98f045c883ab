/**
 * The node engine's bundler: esbuild turns the user's entry (TS or JS, ESM or CJS, top-level await,
 * Lambda layers at /opt) into one classic script that `node --build-snapshot` can run, with
 * `import.meta` rewritten per file and http/https/http2 replaced by the recording stubs. Used by
 * engines/node/engine.ts. See docs/harness.md, "How the node engine works".
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build as esbuild, type Metafile, type Plugin } from 'esbuild';
import { HarnessError } from './errors.js';

export const runtimeDir = join(dirname(fileURLToPath(import.meta.url)), 'runtime');

/** A runtime module's file: compiled (`dist`), or its TypeScript source when run from `src`. */
export function runtimeFile(name: string): string {
  const js = join(runtimeDir, `${name}.js`);
  return existsSync(js) ? js : join(runtimeDir, `${name}.ts`);
}

export interface BundleResult {
  readonly bundle: string;
  readonly sourceMap: string;
  readonly metafile: Metafile;
  readonly bundleMs: number;
  /** Built-in modules the bundle uses, with one importer each. */
  readonly builtins: ReadonlyMap<string, string>;
}

/**
 * Replaces `import.meta` where it is code, not text: skips string and template literals (but
 * not template substitutions) and comments. Regular expression literals are not recognized; one
 * that contains `import.meta` literally is not worth the ambiguity of telling `/` apart.
 */
export function replaceImportMeta(source: string, replacement: (member: string) => string): string {
  let out = '';
  let i = 0;
  const n = source.length;
  const braces: number[] = []; // template nesting: depth of `{` inside each `${`
  while (i < n) {
    const c = source[i]!;
    if (c === '/' && source[i + 1] === '/') {
      const end = source.indexOf('\n', i);
      const stop = end < 0 ? n : end;
      out += source.slice(i, stop);
      i = stop;
    } else if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      out += source.slice(i, stop);
      i = stop;
    } else if (c === '"' || c === "'" || c === '`' || (c === '}' && braces.length > 0 && braces[braces.length - 1] === 0)) {
      // A string, a template, or the rest of a template after a `${…}` substitution.
      const quote = c === '}' ? '`' : c;
      if (c === '}') braces.pop();
      let j = i + 1;
      while (j < n) {
        const d = source[j]!;
        if (d === '\\') j += 2;
        else if (d === quote) {
          j++;
          break;
        } else if (quote === '`' && d === '$' && source[j + 1] === '{') {
          braces.push(0);
          j += 2;
          break;
        } else if (quote !== '`' && d === '\n') break;
        else j++;
      }
      out += source.slice(i, j);
      i = j;
    } else if (c === '{') {
      if (braces.length) braces[braces.length - 1]!++;
      out += c;
      i++;
    } else if (c === '}') {
      if (braces.length) braces[braces.length - 1]!--;
      out += c;
      i++;
    } else if (c === 'i' && source.startsWith('import.meta', i) && !/[\w$.]/.test(source[i - 1] ?? '') && !/[\w$]/.test(source[i + 11] ?? '')) {
      const m = /^\.(url|dirname|filename)\b/.exec(source.slice(i + 11, i + 21));
      out += replacement(m ? m[1]! : '');
      i += 11 + (m ? m[0].length : 0);
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/**
 * `import.meta` exists only in ES modules; the node engine's bundle is one classic script (what
 * `node --build-snapshot` runs), so each file's `import.meta.url`/`dirname`/`filename` becomes
 * that file's own values.
 */
export function importMetaPlugin(): Plugin {
  const loaders: Record<string, 'ts' | 'tsx' | 'jsx' | 'js'> = { ts: 'ts', mts: 'ts', cts: 'ts', tsx: 'tsx', jsx: 'jsx', js: 'js', mjs: 'js', cjs: 'js' };
  return {
    name: 'snapstart-import-meta',
    setup(b) {
      b.onLoad({ filter: /\.(m|c)?[jt]sx?$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes('import.meta')) return undefined;
        const url = JSON.stringify(pathToFileURL(args.path).href);
        const values: Record<string, string> = { url, dirname: JSON.stringify(dirname(args.path)), filename: JSON.stringify(args.path) };
        const contents = replaceImportMeta(text, (member) => values[member] ?? `({ url: ${url}, dirname: ${values.dirname}, filename: ${values.filename} })`);
        if (contents === text) return undefined;
        const ext = args.path.slice(args.path.lastIndexOf('.') + 1);
        return { contents, loader: loaders[ext] ?? 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}

/**
 * Node built-ins as `require()` calls: the bundle is an ES module wrapped in an async function
 * (for top-level await) and run as one classic script, where `require` reaches the built-ins.
 * `http`, `https` and `http2` become the harness's recording stubs.
 */
function builtinsPlugin(used: Map<string, string>, cwd: string, replacements: Readonly<Record<string, string>>): Plugin {
  return {
    name: 'snapstart-builtins',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (!isBuiltin(args.path)) return undefined;
        // The virtual module's own require() is the real one, at run time.
        if (args.namespace === 'snapstart-builtin') return { path: args.path, external: true };
        const name = args.path.replace(/^node:/, '');
        const top = name.split('/')[0]!;
        if (!used.has(top)) used.set(top, args.importer ? relative(cwd, args.importer) : '(entry)');
        const replacement = replacements[top];
        if (replacement && name === top) return { path: replacement };
        return { path: name, namespace: 'snapstart-builtin' };
      });
      b.onLoad({ filter: /.*/, namespace: 'snapstart-builtin' }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(args.path)});`,
        loader: 'js',
      }));
    },
  };
}

/**
 * Lambda layers: each directory is what Lambda extracts at `/opt` (later layers over earlier
 * ones, as Lambda applies them). `/opt/…` imports resolve to the layers' files, and bare imports
 * also search each layer's `nodejs/node_modules` and `nodejs/node20/node_modules` (Lambda's
 * NODE_PATH). An `/opt/…` import that no layer has fails the build, naming `--layer`.
 */
export function layersPlugin(layers: readonly string[], cwd: string): Plugin {
  return {
    name: 'snapstart-layers',
    setup(b) {
      b.onResolve({ filter: /^\/opt(\/|$)/ }, (args) => {
        const rest = args.path.slice('/opt'.length);
        for (const layer of [...layers].reverse()) {
          for (const candidate of [rest, `${rest}.js`, `${rest}.cjs`, `${rest}.mjs`, `${rest}/index.js`]) {
            const file = join(layer, candidate);
            if (existsSync(file) && statSync(file).isFile()) return { path: file };
          }
        }
        const from = args.importer ? ` (imported by ${relative(cwd, args.importer)})` : '';
        const why = layers.length
          ? `none of the layers (${layers.map((l) => relative(cwd, l) || '.').join(', ')}) has ${rest.slice(1)}`
          : 'it is a Lambda layer path: give the layer\'s directory (what is extracted at /opt) with --layer DIR';
        return { errors: [{ text: `cannot resolve ${args.path}${from}: ${why}` }] };
      });
    },
  };
}

/** Lambda's NODE_PATH entries inside each layer, for bare imports. */
export function layerNodePaths(layers: readonly string[]): string[] {
  return layers.flatMap((l) => [join(l, 'nodejs', 'node20', 'node_modules'), join(l, 'nodejs', 'node_modules')]).reverse();
}

export const NODE_HTTP_REPLACEMENTS: Readonly<Record<string, string>> = {
  http: runtimeFile('node-http-module'),
  https: runtimeFile('node-https-module'),
  http2: runtimeFile('node-http2-module'),
};

/**
 * Bundles the user's entry behind the harness runtime into one script for the node engine:
 * `node --snapshot-blob … --build-snapshot bundle.cjs` for the snapshot, `node bundle.cjs` for a
 * cold start. The whole module graph runs inside an async function, so top-level await works:
 * the snapshot builder drains the event loop before it writes the snapshot.
 */
export async function bundleForNode(entry: string, exportName: string, dir: string, cwd: string, layers: readonly string[] = []): Promise<BundleResult> {
  const wrapper = join(dir, 'snapshot-entry.mjs');
  writeFileSync(
    wrapper,
    [
      `import { initStart } from ${JSON.stringify(join(runtimeDir, 'node', 'install.js'))};`,
      `import * as userModule from ${JSON.stringify(entry)};`,
      `import { start } from ${JSON.stringify(join(runtimeDir, 'node', 'main.js'))};`,
      `start(userModule, ${JSON.stringify(exportName)}, initStart);`,
      '',
    ].join('\n'),
  );
  const bundle = join(dir, 'bundle.cjs');
  const used = new Map<string, string>();
  const t0 = performance.now();
  try {
    const result = await esbuild({
      entryPoints: [wrapper],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: 'external',
      sourcesContent: false,
      metafile: true,
      logLevel: 'silent',
      absWorkingDir: cwd,
      banner: { js: '(async () => {' },
      // If the failure came before the runtime's first module ran, print it plainly.
      footer: { js: '})().catch((err) => { if (globalThis.__snapstartInitFailed) globalThis.__snapstartInitFailed(err); else { console.error(err); process.exit(1); } });' },
      nodePaths: layerNodePaths(layers),
      plugins: [layersPlugin(layers, cwd), builtinsPlugin(used, cwd, NODE_HTTP_REPLACEMENTS), importMetaPlugin()],
    });
    return { bundle, sourceMap: `${bundle}.map`, metafile: result.metafile, bundleMs: performance.now() - t0, builtins: used };
  } catch (err) {
    throw bundleError(err, entry, cwd);
  }
}

export function bundleError(err: unknown, entry: string, cwd: string): HarnessError {
  const messages = (err as { errors?: Array<{ text: string; location?: { file: string; line: number; column: number } | null }> }).errors ?? [];
  const text = messages.map((m) => (m.location ? `${m.location.file}:${m.location.line}:${m.location.column}: ${m.text}` : m.text)).join('\n');
  return new HarnessError(`cannot bundle ${relative(cwd, entry)}:\n${text || String(err)}`);
}
