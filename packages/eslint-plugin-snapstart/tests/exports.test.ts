import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as root from '../src/index.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
  exports: Record<string, { types: string; default: string }>;
};

describe('eslint-plugin-snapstart entry points', () => {
  it('the package root exports the plugin and what a config or a tool needs, not the internals', () => {
    expect(Object.keys(root).sort()).toEqual(['SOURCE_FILE_GLOBS', 'TEST_FILE_GLOBS', 'default', 'mayContainSource', 'rules', 'sourcePrefilter']);
  });

  it('the internals are reachable as eslint-plugin-snapstart/internal, through the exports map', async () => {
    expect(pkg.exports['./internal']).toEqual({ types: './dist/internal.d.ts', default: './dist/internal.js' });
    const internal = await import('eslint-plugin-snapstart/internal');
    expect(typeof internal.analyzeFile).toBe('function');
    expect(typeof internal.runSnapstartRules).toBe('function');
    expect(typeof internal.resolveOptions).toBe('function');
  });

  it("the plugin's meta.version is the package's version", () => {
    expect(root.default.meta).toEqual({ name: 'eslint-plugin-snapstart', version: pkg.version });
  });
});
