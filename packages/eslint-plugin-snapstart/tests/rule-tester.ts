import { RuleTester } from '@typescript-eslint/rule-tester';
import * as espree from 'espree';

/** typescript-eslint's parser (the default) for TS and ESM sources. */
export const ruleTester = new RuleTester();

/** Plain JavaScript through ESLint's own parser, as users without TypeScript run it. */
export const espreeOptions = { parser: espree, ecmaVersion: 'latest', sourceType: 'module' } as const;
export const commonjsOptions = { parser: espree, ecmaVersion: 'latest', sourceType: 'commonjs' } as const;
