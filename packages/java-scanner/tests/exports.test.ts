import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as root from '../src/index.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, { types: string; default: string }>;
};

describe('@snapstart/java-scanner entry points', () => {
  it('the package root is the scan API only', () => {
    expect(Object.keys(root).sort()).toEqual(['DEFAULT_JAVA_EXCLUDES', 'JAVA_TEST_FILE_GLOBS', 'scanJava', 'scanJavaProject']);
  });

  it('the parser is reachable as @snapstart/java-scanner/internal, through the exports map', async () => {
    expect(pkg.exports['./internal']).toEqual({ types: './dist/internal.d.ts', default: './dist/internal.js' });
    const internal = await import('@snapstart/java-scanner/internal');
    expect(Object.keys(internal).sort()).toEqual(['MAX_PARSE_BYTES', 'decodeSource', 'parseJavaSource']);
  });
});
