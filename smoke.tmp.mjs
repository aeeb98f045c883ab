import { Linter } from 'eslint';
import plugin from '/work/main/packages/eslint-plugin-snapstart/dist/index.js';
import tsParser from '@typescript-eslint/parser';
const linter = new Linter();
const code = process.argv[2];
const msgs = linter.verify(code, [{ files: ['**/*.ts'], languageOptions: { parser: tsParser }, plugins: { snapstart: plugin }, rules: Object.fromEntries(Object.keys(plugin.rules).map(r => ['snapstart/' + r, 'error'])) }], 'x.ts');
for (const m of msgs) console.log(m.line + ':' + m.column, m.ruleId, m.message, m.fix ? 'FIX' : '', m.suggestions?.length ? 'SUGG' : '');
