import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild, type Metafile } from 'esbuild';
import { HarnessError } from './errors.js';
import { runProcess } from './process.js';
import { ENV_BUILD_REPORT, type BuildReport } from './runtime/protocol.js';
import { SiteMapper } from './sites.js';

const runtimeDir = join(dirname(fileURLToPath(import.meta.url)), 'runtime');

/**
 * Built-ins that break `node --build-snapshot` on Node 20 (measured): http fails the build, https
 * crashes it, tls builds but the restored process prints nothing. Refused up front, by name.
 */
const UNSNAPSHOTTABLE = new Map([
  ['http', 'fails the snapshot build on Node 20'],
  ['https', 'crashes the snapshot build on Node 20'],
  ['tls', 'builds, but restored processes produce no output on Node 20'],
  ['http2', 'depends on tls and http'],
]);

export interface SnapshotBuild {
  readonly dir: string;
  readonly entry: string;
  readonly bundle: string;
  readonly sourceMap: string;
  readonly blob: string;
  readonly exportName: string;
  /** Time the user's init took inside the snapshot builder. */
  readonly initMs: number;
  /** Bundling plus the whole `--build-snapshot` process. */
  readonly bundleMs: number;
  readonly snapshotMs: number;
  readonly blobBytes: number;
}

export interface BuildOptions {
  readonly entry: string;
  readonly exportName?: string;
  /** Kill the snapshot builder after this long (init that never finishes). */
  readonly buildTimeoutMs?: number;
  readonly cwd?: string;
}

function builtinImports(metafile: Metafile): Array<{ module: string; importer: string }> {
  const out: Array<{ module: string; importer: string }> = [];
  for (const [importer, input] of Object.entries(metafile.inputs)) {
    for (const imp of input.imports) {
      if (!imp.external) continue;
      out.push({ module: imp.path.replace(/^node:/, '').split('/')[0]!, importer });
    }
  }
  return out;
}

/** Bundles the entry with the harness runtime and snapshots it after init. */
export async function buildSnapshot(options: BuildOptions): Promise<SnapshotBuild> {
  const cwd = options.cwd ?? process.cwd();
  const entry = resolve(cwd, options.entry);
  const exportName = options.exportName ?? 'handler';
  if (!existsSync(entry)) throw new HarnessError(`entry not found: ${entry}`);
  const dir = mkdtempSync(join(tmpdir(), 'snapstart-harness-'));
  const wrapper = join(dir, 'snapshot-entry.mjs');
  writeFileSync(
    wrapper,
    [
      `import { initStart } from ${JSON.stringify(join(runtimeDir, 'install.js'))};`,
      `import * as userModule from ${JSON.stringify(entry)};`,
      `import { prepareSnapshot } from ${JSON.stringify(join(runtimeDir, 'snapshot-main.js'))};`,
      `prepareSnapshot(userModule, ${JSON.stringify(exportName)}, initStart);`,
      '',
    ].join('\n'),
  );
  const bundle = join(dir, 'bundle.cjs');
  const t0 = performance.now();
  let metafile: Metafile;
  try {
    const result = await esbuild({
      entryPoints: [wrapper],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'external',
      sourcesContent: false,
      metafile: true,
      logLevel: 'silent',
      absWorkingDir: cwd,
    });
    metafile = result.metafile;
  } catch (err) {
    const messages = (err as { errors?: Array<{ text: string; location?: { file: string; line: number; column: number } | null }> }).errors ?? [];
    const text = messages
      .map((m) => (m.location ? `${m.location.file}:${m.location.line}:${m.location.column}: ${m.text}` : m.text))
      .join('\n');
    const tla = /top-level await/i.test(text)
      ? '\n(node --build-snapshot runs one CommonJS script, so top-level await cannot be snapshotted; move it into an async init function)'
      : '';
    throw new HarnessError(`cannot bundle ${relative(cwd, entry)} for a snapshot:\n${text || String(err)}${tla}`);
  }
  for (const { module, importer } of builtinImports(metafile)) {
    const why = UNSNAPSHOTTABLE.get(module);
    if (why) {
      throw new HarnessError(
        `module '${module}' (imported by ${importer}) cannot be in a Node startup snapshot: it ${why}. ` +
          'Load it lazily inside the handler instead.',
      );
    }
  }
  const bundleMs = performance.now() - t0;

  const blob = join(dir, 'snapshot.blob');
  const reportPath = join(dir, 'build-report.json');
  const t1 = performance.now();
  const built = await runProcess(process.execPath, ['--snapshot-blob', blob, '--build-snapshot', bundle], {
    env: { ...process.env, [ENV_BUILD_REPORT]: reportPath },
    timeoutMs: options.buildTimeoutMs ?? 60_000,
    cwd,
  });
  const snapshotMs = performance.now() - t1;
  const report = existsSync(reportPath) ? (JSON.parse(readFileSync(reportPath, 'utf8')) as BuildReport) : undefined;
  if (built.timedOut) {
    throw new HarnessError(`init of ${relative(cwd, entry)} did not finish within ${options.buildTimeoutMs ?? 60_000} ms`, built.stderr);
  }
  if (report?.hookError) {
    throw new HarnessError(`before-snapshot hooks failed: ${report.hookError.message}`, report.hookError.stack);
  }
  if (built.code !== 0 || !existsSync(blob)) {
    const used = [...new Set(builtinImports(metafile).map((b) => b.module))].sort().join(', ');
    throw new HarnessError(
      `init of ${relative(cwd, entry)} failed inside the snapshot builder (exit ${built.code ?? built.signal}); ` +
        `built-in modules in the bundle: ${used || 'none'}`,
      mapStack(built.stderr.trim(), bundle, cwd),
    );
  }
  if (!report?.handlerFound) {
    throw new HarnessError(
      `${relative(cwd, entry)} has no exported function '${exportName}' (exports: ${report?.exportNames.join(', ') || 'none'})`,
    );
  }
  return {
    dir,
    entry,
    bundle,
    sourceMap: `${bundle}.map`,
    blob,
    exportName,
    initMs: report.initMs,
    bundleMs,
    snapshotMs,
    blobBytes: statSync(blob).size,
  };
}

/** Rewrites bundle positions in a stack to original sources where the source map knows them. */
function mapStack(stack: string, bundle: string, cwd: string): string {
  try {
    const mapper = new SiteMapper(`${bundle}.map`, bundle, cwd);
    return stack.replace(/([^\s()]+):(\d+):(\d+)/g, (whole) => {
      const site = mapper.map(whole);
      return site ? `${site.file}:${site.line}:${site.column}` : whole;
    });
  } catch {
    return stack;
  }
}
