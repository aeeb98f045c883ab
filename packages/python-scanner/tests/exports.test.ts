import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as root from '../src/index.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, { types: string; default: string }>;
};

describe('@snapstart/python-scanner entry points', () => {
  it('the package root is the scan API only', () => {
    expect(Object.keys(root).sort()).toEqual(['PYTHON_SKIPPED_DIRECTORIES', 'scanPython', 'scanPythonProject']);
  });

  it('the parser is reachable as @snapstart/python-scanner/internal, through the exports map', async () => {
    expect(pkg.exports['./internal']).toEqual({ types: './dist/internal.d.ts', default: './dist/internal.js' });
    const internal = await import('@snapstart/python-scanner/internal');
    expect(Object.keys(internal).sort()).toEqual(['MAX_PARSE_BYTES', 'decodeSource', 'parseHandlerString', 'parsePythonSource', 'pythonParser']);
  });
});
