import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { jsonErrorMessage } from './json-position.js';
import { ConfigError, DEFAULT_CONFIG, validateConfig, type ScanConfig } from './schema.js';

/** Looked for in this order in the scan root; the first found wins. */
export const CONFIG_FILES = ['snapstart.config.json', 'snapstart.config.mjs', 'snapstart.config.js'] as const;

export interface LoadedConfig {
  readonly config: ScanConfig;
  /** Where it came from (undefined: built-in defaults). */
  readonly file?: string;
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ConfigError(file, `not valid JSON: ${jsonErrorMessage(text, (err as Error).message)}`);
  }
}

async function loadFile(file: string): Promise<ScanConfig> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (basename(file) === 'package.json') {
    const pkg = parseJson(file, text) as Record<string, unknown>;
    if (pkg['snapstart'] === undefined) throw new ConfigError(file, 'has no "snapstart" key');
    return validateConfig(pkg['snapstart'], `${file}#snapstart`);
  }
  if (file.endsWith('.json')) return validateConfig(parseJson(file, text), file);
  if (/\.(m?js|cjs)$/.test(file)) {
    let mod: { default?: unknown };
    try {
      mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
    } catch (err) {
      throw new ConfigError(file, `cannot load: ${(err as Error).message}`);
    }
    if (mod.default === undefined) throw new ConfigError(file, 'must have a default export (the configuration object)');
    return validateConfig(mod.default, file);
  }
  throw new ConfigError(file, 'unknown config file type: use .json, .js or .mjs, or a "snapstart" key in package.json');
}

/**
 * The configuration for a scan rooted at `root`: `explicit` (from `--config`) if given, else the
 * first of CONFIG_FILES in `root`, else package.json's "snapstart" key, else the defaults.
 */
export async function loadConfig(root: string, explicit?: string): Promise<LoadedConfig> {
  if (explicit !== undefined) {
    const file = resolve(explicit);
    if (!existsSync(file)) throw new ConfigError(explicit, 'no such file (given with --config)');
    return { config: await loadFile(file), file };
  }
  for (const name of CONFIG_FILES) {
    const file = join(root, name);
    if (existsSync(file)) return { config: await loadFile(file), file };
  }
  const pkgFile = join(root, 'package.json');
  if (existsSync(pkgFile)) {
    const pkg = parseJson(pkgFile, readFileSync(pkgFile, 'utf8')) as Record<string, unknown>;
    if (pkg && typeof pkg === 'object' && pkg['snapstart'] !== undefined) {
      return { config: validateConfig(pkg['snapstart'], `${pkgFile}#snapstart`), file: pkgFile };
    }
  }
  return { config: DEFAULT_CONFIG };
}
