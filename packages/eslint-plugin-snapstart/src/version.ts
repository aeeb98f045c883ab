import { readFileSync } from 'node:fs';

/** The package's version (from its package.json, one directory above src/ and dist/), for the plugin's `meta`. */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
