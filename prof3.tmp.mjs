import tsParser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import plugin from 'eslint-plugin-snapstart';
import { generateCorpus } from '/work/main/bench/corpus-ts.js';
const corpus = generateCorpus(3000);
const linter = new Linter();
const base = [{ files: ['**/*.{ts,js,cjs,mjs}'], languageOptions: { parser: tsParser } }, { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } }];
const trivial = { plugins: { t: { rules: { r: { create: () => ({ 'Program:exit'() {} }) } } } }, rules: { 't/r': 'error' } };
const cfgs = { none: base, trivial: [...base, trivial], recommended: [...base, plugin.configs.recommended] };
const res = {};
const order = ['none','trivial','recommended','recommended','trivial','none','none','recommended','trivial'];
for (const k of order) { const c = cfgs[k];
  const t = performance.now(); for (const f of corpus) linter.verify(f.text, c, f.name); (res[k] ??= []).push(performance.now() - t);
}
for (const [k, v] of Object.entries(res)) console.log(k, v.map(x=>x.toFixed(0)).join(' '));
