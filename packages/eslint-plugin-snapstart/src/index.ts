import { RULES, TEST_FILE_GLOBS as SHARED_TEST_FILE_GLOBS, type RuleId } from '@snapstart/core';
import type { TSESLint } from '@typescript-eslint/utils';
import { rules } from './rules/index.js';
import { VERSION } from './version.js';

export type { HandlerFile, SnapstartOptions } from './analysis/options.js';
export { mayContainSource, sourcePrefilter } from './analysis/analyze.js';

/** Test code runs outside the snapshot; the recommended config does not lint it (shared with the CLI). */
export const TEST_FILE_GLOBS = [...SHARED_TEST_FILE_GLOBS];

export const SOURCE_FILE_GLOBS = ['**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}'];

function severity(id: RuleId): 'error' | 'warn' {
  return RULES[id].defaultSeverity === 'error' ? 'error' : 'warn';
}

const plugin = {
  meta: { name: 'eslint-plugin-snapstart', version: VERSION },
  rules,
  configs: {} as Record<'recommended', TSESLint.FlatConfig.Config>,
};

plugin.configs.recommended = {
  name: 'snapstart/recommended',
  files: SOURCE_FILE_GLOBS,
  ignores: TEST_FILE_GLOBS,
  plugins: { snapstart: plugin as unknown as TSESLint.FlatConfig.Plugin },
  rules: Object.fromEntries(
    (Object.keys(rules) as RuleId[]).map((id) => [`snapstart/${id}`, severity(id)]),
  ),
};

export { rules };
export default plugin;
