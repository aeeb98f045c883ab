// Two jobs: lint the example functions with snapstart's recommended config (`npx eslint examples/`),
// and lint the project's own TypeScript (packages/*/src) with typescript-eslint's type-checked
// rules (`npm run lint`; packages/core/tests/self-lint.test.ts runs it in `npm test`).
import tsParser from '@typescript-eslint/parser';
import snapstart from 'eslint-plugin-snapstart';
import tseslint from 'typescript-eslint';

const EXAMPLES = ['examples/**/*.{ts,mts,cts,tsx,js,mjs,cjs}'];

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', '**/build/**', 'bench/**', '.snapstart-tmp/**', 'packages/*/tests/fixtures/**'] },
  { files: ['examples/**/*.{ts,mts,cts,tsx}'], languageOptions: { parser: tsParser } },
  { ...snapstart.configs.recommended, files: EXAMPLES },
  ...tseslint.configs.recommendedTypeChecked.map((c) => ({ ...c, files: ['packages/*/src/**/*.ts'] })),
  {
    files: ['packages/*/src/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Methods async by contract (Engine.restore, a Response's text(), an image build) stay async
      // without an await: a synchronous throw inside must reach the caller as a rejection.
      '@typescript-eslint/require-await': 'off',
      // Unused parameters are kept where an interface fixes the signature (engines, rule visitors);
      // a leading underscore says so.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
];
