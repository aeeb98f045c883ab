import { readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SourceSite {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

const harnessDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The harness's own code inside the bundle (compiled and, through its source maps, TS sources). */
const runtimeDirs = [join(harnessDir, 'dist', 'runtime'), join(harnessDir, 'src', 'runtime')];

/** Maps `bundle:line:column` frames back to the user's sources with the bundle's source map. */
export class SiteMapper {
  private readonly sourceMap: SourceMap;
  private readonly mapDir: string;

  constructor(
    mapPath: string,
    private readonly bundlePath: string,
    private readonly cwd: string,
  ) {
    this.sourceMap = new SourceMap(JSON.parse(readFileSync(mapPath, 'utf8')) as SourceMapPayload);
    this.mapDir = dirname(mapPath);
  }

  map(frame: string): SourceSite | undefined {
    const m = /^(.*):(\d+):(\d+)$/.exec(frame);
    if (!m || resolve(m[1]!) !== this.bundlePath) return undefined;
    const line = Number(m[2]) - 1;
    const column = Number(m[3]);
    // Column 0 means "unknown" (Duktape's stacks have lines only): take the last mapping that
    // starts on that generated line, which belongs to the statement the line holds.
    const entry = this.sourceMap.findEntry(line, column === 0 ? 2 ** 30 : column - 1) as {
      generatedLine?: number;
      originalSource?: string;
      originalLine?: number;
      originalColumn?: number;
    };
    if (!entry.originalSource) return undefined;
    if (column === 0 && entry.generatedLine !== undefined && entry.generatedLine !== line) return undefined;
    const source = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : resolve(this.mapDir, entry.originalSource);
    return { file: relative(this.cwd, source).split(sep).join('/'), line: (entry.originalLine ?? 0) + 1, column: (entry.originalColumn ?? 0) + 1 };
  }

  /** The package of the innermost frame, when that frame is in a dependency (node_modules). */
  callingPackage(frames: readonly string[]): string | undefined {
    for (const frame of frames) {
      const site = this.map(frame);
      if (!site) continue;
      const abs = resolve(this.cwd, site.file);
      if (runtimeDirs.some((d) => abs.startsWith(d + sep)) || abs.startsWith(this.mapDir + sep)) continue;
      const m = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(abs);
      return m ? m[1]!.split(sep).join('/') : undefined;
    }
    return undefined;
  }

  /** The innermost frame in the user's code: not the harness runtime, the hooks package or node_modules. */
  userSite(frames: readonly string[]): SourceSite | undefined {
    let fallback: SourceSite | undefined;
    for (const frame of frames) {
      const site = this.map(frame);
      if (!site) continue;
      const abs = resolve(this.cwd, site.file);
      if (
        runtimeDirs.some((d) => abs.startsWith(d + sep)) ||
        abs.startsWith(this.mapDir + sep) ||
        abs.includes(`${sep}runtime-hooks${sep}`)
      ) {
        continue;
      }
      if (abs.includes(`${sep}node_modules${sep}`)) {
        fallback ??= site;
        continue;
      }
      return site;
    }
    return fallback;
  }
}
