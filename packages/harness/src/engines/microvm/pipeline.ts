/**
 * The microvm engine's code pipeline: the user's entry (TS or JS, ESM or CommonJS, top-level await,
 * with its dependencies) becomes ES5.1 scripts that Duktape runs.
 *
 *   1. esbuild bundles the entry behind the guest runtime (runtime/microvm/install → user module →
 *      runtime/microvm/main), mapping every Node built-in to a guest module (builtins.ts), as one
 *      ES2017 script wrapped in an async function (for top-level await).
 *   2. The TypeScript compiler lowers that script to ES5 (classes, let/const, async/await,
 *      generators, spread, for-of with downlevelIteration).
 *   3. The two source maps are composed, so guest stack lines map to the user's sources.
 *   4. esbuild checks the ES5 result against the ES5 target: what neither step could lower fails
 *      the build, naming the original module, line and reason.
 *
 * Two preludes run first: the guest's event loop (so that core-js's Promise schedules on it) and
 * core-js (Promise, Map, Set, Symbol, URL, … where Duktape lacks them).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import remapping from '@jridgewell/remapping';
import { build as esbuild, transform, type Plugin } from 'esbuild';
import ts from 'typescript';
import { bundleError, importMetaPlugin, layerNodePaths, layersPlugin, runtimeDir, runtimeFile } from '../../bundle.js';
import { HarnessError } from '../../errors.js';
import { SiteMapper } from '../../sites.js';
import { GUEST_BUILTINS } from './builtins.js';
import { definedStaticMethods } from './static-methods.js';

const harnessRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface GuestScript {
  /** What Duktape stack traces show: the script's path on the host. */
  readonly name: string;
  readonly code: string;
}

function guestBuiltinsPlugin(cwd: string): Plugin {
  return {
    name: 'snapstart-guest-builtins',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        const bare = args.path.replace(/^node:/, '');
        const isBuiltinRequest = args.path.startsWith('node:') || bare in GUEST_BUILTINS || (bare.endsWith('/') && bare.slice(0, -1) in GUEST_BUILTINS);
        if (!isBuiltinRequest || args.namespace === 'snapstart-guest-builtin') return undefined;
        // `buffer/`, `process/`: packages asking for the npm polyfill by name get ours too.
        const name = bare.endsWith('/') ? bare.slice(0, -1) : bare;
        const spec = GUEST_BUILTINS[name];
        if (!spec) {
          return { errors: [{ text: `module '${args.path}' is not available in the microvm guest (no guest implementation of this Node built-in)` }] };
        }
        const fromUserCode = args.importer && !args.importer.includes('/node_modules/') && !args.importer.startsWith(runtimeDir);
        if (spec.refused && fromUserCode) {
          return { errors: [{ text: `module '${args.path}' (imported by ${relative(cwd, args.importer)}) is not available in the microvm guest: ${spec.refused}` }] };
        }
        return { path: name, namespace: 'snapstart-guest-builtin' };
      });
      b.onLoad({ filter: /.*/, namespace: 'snapstart-guest-builtin' }, (args) => {
        const spec = GUEST_BUILTINS[args.path]!;
        // A CommonJS wrapper: user code's named imports then read properties of one mutable
        // object at call time, so the tracer's wrappers (crypto.randomUUID, …) are what it calls.
        const contents = spec.npm
          ? `module.exports = require(${JSON.stringify(spec.npm)});`
          : `const m = require(${JSON.stringify(runtimeFile(spec.shim!))}); const d = m.default !== undefined ? m.default : m; module.exports = ${
              spec.exportName ? `d[${JSON.stringify(spec.exportName)}]` : 'd'
            };`;
        return { contents, loader: 'js', resolveDir: harnessRoot };
      });
    },
  };
}

/** ES2017 → ES5 with the TypeScript compiler; returns the code and its source map. */
function lowerToEs5(code: string, fileName: string): { code: string; map: string } {
  const out = ts.transpileModule(code, {
    fileName,
    reportDiagnostics: true,
    transformers: { before: [definedStaticMethods] },
    compilerOptions: {
      // TypeScript 6 deprecates the ES5 target, which it still lowers correctly; it is pinned
      // (~6.0) in package.json, and the deprecation is acknowledged here rather than hidden.
      ignoreDeprecations: '6.0',
      target: ts.ScriptTarget.ES5,
      // The bundle has no import or export, so it stays a plain script.
      module: ts.ModuleKind.CommonJS,
      allowJs: true,
      downlevelIteration: true,
      sourceMap: true,
      importHelpers: false,
      noEmitHelpers: false,
      removeComments: false,
      newLine: ts.NewLineKind.LineFeed,
    },
  });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length) {
    throw new HarnessError(`cannot lower ${fileName} to ES5:\n${errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n')}`);
  }
  return { code: out.outputText.replace(/\n\/\/# sourceMappingURL=.*$/, '\n'), map: out.sourceMapText! };
}

/** What esbuild still finds unsupported in ES5, mapped back to the original module and line. */
async function checkEs5(code: string, mapPath: string, bundlePath: string, cwd: string): Promise<void> {
  try {
    await transform(code, { loader: 'js', target: 'es5', logLevel: 'silent' });
  } catch (err) {
    const mapper = new SiteMapper(mapPath, bundlePath, cwd);
    const problems = ((err as { errors?: Array<{ text: string; location?: { line: number; column: number } | null }> }).errors ?? []).map((e) => {
      const site = e.location ? mapper.map(`${bundlePath}:${e.location.line}:${e.location.column + 1}`) : undefined;
      return `${site ? `${site.file}:${site.line}` : 'the bundle'}: ${e.text}`;
    });
    throw new HarnessError(`the function cannot run in the microvm guest (Duktape runs ES5.1):\n${problems.slice(0, 10).join('\n')}`);
  }
}

export interface GuestBundle {
  /** The function: the guest runtime and the user's code, lowered to ES5. */
  readonly main: GuestScript;
  /** The ES5 main script and its composed source map (to the user's sources). */
  readonly bundle: string;
  readonly sourceMap: string;
  readonly bundleMs: number;
}

const CORE_JS_ENTRIES = [
  'es/symbol',
  'es/promise',
  'es/map',
  'es/set',
  'es/weak-map',
  'es/weak-set',
  'es/array',
  'es/object/entries',
  'es/object/values',
  'es/object/from-entries',
  'es/object/get-own-property-descriptors',
  'es/object/has-own',
  'es/string',
  'es/typed-array',
  'es/regexp',
  'es/array-buffer',
  'es/math/fround',
  'es/math/expm1',
  'web/url',
  'web/url-search-params',
  'modules/web.atob',
  'modules/web.btoa',
  // `new Error(message, { cause })`: Powertools and the AWS SDK chain errors by their cause.
  'modules/es.error.cause',
];

/** The loop prelude and core-js, bundled once per harness process (they depend on nothing of the user's). */
let preludes: Promise<GuestScript[]> | undefined;

export function guestPreludes(): Promise<GuestScript[]> {
  preludes ??= buildPreludes().catch((err: unknown) => {
    preludes = undefined;
    throw err;
  });
  return preludes;
}

async function buildPreludes(): Promise<GuestScript[]> {
  const out: GuestScript[] = [];
  const loop = await esbuild({
    entryPoints: [runtimeFile('microvm/loop')],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2017',
    platform: 'neutral',
    logLevel: 'silent',
  });
  out.push({ name: '/snapstart/prelude-loop.js', code: lowerToEs5(loop.outputFiles[0]!.text, 'prelude-loop.js').code });
  // core-js is written to run on ES3/ES5 engines: bundling is enough. Only what Duktape 2.7 lacks
  // (checked in the guest: Promise, Map/Set/WeakMap/WeakSet, most Array/Object/String/TypedArray
  // additions since ES2015, RegExp flags and named groups, URL, atob/btoa), minified: parsing it
  // is most of a boot under tcg, where 834 KB of core-js/stable took 12 s.
  const corejs = await esbuild({
    stdin: { contents: CORE_JS_ENTRIES.map((e) => `require('core-js/${e}');`).join('\n'), resolveDir: harnessRoot, loader: 'js' },
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es5',
    platform: 'neutral',
    mainFields: ['main'],
    minify: true,
    logLevel: 'silent',
  });
  out.push({ name: '/snapstart/prelude-core-js.js', code: corejs.outputFiles[0]!.text });
  return out;
}

export async function bundleForGuest(entry: string, exportName: string, dir: string, cwd: string, layers: readonly string[] = []): Promise<GuestBundle> {
  const t0 = performance.now();
  const wrapper = join(dir, 'guest-entry.mjs');
  writeFileSync(
    wrapper,
    [
      `import { initStart } from ${JSON.stringify(runtimeFile('microvm/install'))};`,
      `import * as userModule from ${JSON.stringify(entry)};`,
      `import { start } from ${JSON.stringify(runtimeFile('microvm/main'))};`,
      `start(userModule, ${JSON.stringify(exportName)}, initStart);`,
      '',
    ].join('\n'),
  );
  const es2017 = join(dir, 'bundle.es2017.js');
  let warnings: Array<{ text: string; location: { file: string; line: number; column: number } | null }>;
  try {
    ({ warnings } = await esbuild({
      entryPoints: [wrapper],
      outfile: es2017,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'es2017',
      // The whole bundle runs inside an async function (banner/footer), where await is valid.
      supported: { 'top-level-await': true },
      sourcemap: 'external',
      sourcesContent: false,
      logLevel: 'silent',
      absWorkingDir: cwd,
      define: { 'process.env.NODE_ENV': '"production"' },
      banner: { js: '(async () => {' },
      footer: { js: '})().then(() => globalThis.__snapstartInitSettled(), (err) => globalThis.__snapstartInitSettled(err === undefined ? new Error("init rejected with undefined") : err));' },
      nodePaths: layerNodePaths(layers),
      plugins: [layersPlugin(layers, cwd), guestBuiltinsPlugin(cwd), importMetaPlugin()],
    }));
  } catch (err) {
    throw bundleError(err, entry, cwd);
  }
  // esbuild rewrites some syntax it cannot lower into calls that fail at run time (BigInt
  // literals become BigInt("…") calls) and only warns. Duktape has none of it: refuse up front.
  const unsupported = warnings.filter((w) => /not available in the configured target environment/.test(w.text));
  if (unsupported.length) {
    const lines = unsupported.map((w) => `${w.location ? `${w.location.file}:${w.location.line}:${w.location.column}: ` : ''}${w.text.replace(/ and may crash at run-time/, '')} (Duktape runs ES5.1 with some ES2015)`);
    throw new HarnessError(`the function cannot run in the microvm guest:\n${[...new Set(lines)].slice(0, 10).join('\n')}`);
  }
  const lowered = lowerToEs5(readFileSync(es2017, 'utf8'), 'bundle.es2017.js');
  const bundle = join(dir, 'bundle.es5.js');
  const sourceMap = `${bundle}.map`;
  writeFileSync(bundle, lowered.code);
  const esbuildMap = readFileSync(`${es2017}.map`, 'utf8');
  const composed = remapping(lowered.map, (file) => (file.endsWith('bundle.es2017.js') ? esbuildMap : null));
  // Sources in the composed map are relative to the es2017 map's directory, which is `dir`.
  writeFileSync(sourceMap, JSON.stringify({ ...composed, file: 'bundle.es5.js' }));
  await checkEs5(lowered.code, sourceMap, bundle, cwd);
  return { main: { name: bundle, code: lowered.code }, bundle, sourceMap, bundleMs: performance.now() - t0 };
}

/** The JavaScript guest's init payload (vmm-core native/guest/js/js_main.c). */
export function initPayload(scripts: readonly GuestScript[]): Buffer {
  const bodies = scripts.map((s) => Buffer.from(s.code, 'utf8'));
  const header = `snapstart-init 1\n${scripts.map((s, i) => `${bodies[i]!.length} ${s.name}\n`).join('')}\n`;
  return Buffer.concat([Buffer.from(header, 'utf8'), ...bodies]);
}
