/**
 * A handler's content fingerprint: a hash of every file its bundle is made of (the entry and
 * everything it imports, dependencies included) and of the harness version. Callers that run the
 * harness repeatedly on the same code (`snapstart-scan --confirm`) key their caches on it, so an
 * unchanged handler is not run again and any edit anywhere in its module graph runs it again.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { build as esbuild } from 'esbuild';
import { bundleError } from './bundle.js';

const HARNESS_VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface HandlerFingerprint {
  /** sha256 over the harness version and every input file's path and bytes. */
  readonly hash: string;
  /** The input files, relative to `cwd`, sorted. */
  readonly inputs: readonly string[];
}

function digest(cwd: string, files: readonly string[]): HandlerFingerprint {
  const hash = createHash('sha256').update(`snapstart-harness ${HARNESS_VERSION}\0`);
  const inputs = files.map((f) => relative(cwd, f)).sort();
  for (const rel of inputs) hash.update(`${rel}\0`).update(readFileSync(resolve(cwd, rel))).update('\0');
  return { hash: hash.digest('hex'), inputs };
}

/** Every regular file under a directory (an artifact folder for the linux engine). */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === '__pycache__' || name.startsWith('.')) continue;
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) out.push(...filesUnder(path));
    else if (st.isFile()) out.push(path);
  }
  return out;
}

/**
 * The fingerprint of a JS/TS entry (its esbuild module graph, resolved as the node and microvm
 * engines resolve it) or of an artifact (a file, or every file under a folder).
 */
export async function handlerFingerprint(entry: string, options: { cwd?: string; artifact?: boolean } = {}): Promise<HandlerFingerprint> {
  const cwd = options.cwd ?? process.cwd();
  const abs = resolve(cwd, entry);
  if (options.artifact) return digest(cwd, statSync(abs).isDirectory() ? filesUnder(abs) : [abs]);
  try {
    const result = await esbuild({
      entryPoints: [abs],
      bundle: true,
      write: false,
      metafile: true,
      platform: 'node',
      format: 'esm',
      logLevel: 'silent',
      absWorkingDir: cwd,
      // Only the input list matters; the engines' own preludes are covered by the harness version.
      outdir: join(cwd, '.snapstart-fingerprint'),
    });
    return digest(cwd, Object.keys(result.metafile.inputs).filter((p) => !p.includes(':')).map((p) => resolve(cwd, p)));
  } catch (err) {
    throw bundleError(err, abs, cwd);
  }
}
