// Lints the example functions with snapstart's recommended config: `npx eslint examples/`.
import tsParser from '@typescript-eslint/parser';
import snapstart from 'eslint-plugin-snapstart';

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', 'packages/**', 'bench/**', '.snapstart-tmp/**'] },
  { files: ['**/*.{ts,mts,cts,tsx}'], languageOptions: { parser: tsParser } },
  snapstart.configs.recommended,
];
