import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import tsParser from '@typescript-eslint/parser';
import { afterAll, describe, expect, it } from 'vitest';
import { installLinearNextToken, uninstallLinearNextToken } from '../../src/engines/linear-next-token.js';
import { REPO_ROOT } from '../helpers.js';

/** The ESTree of `text` as plain data (no parent links), with tokens and comments. */
function tree(text: string, file: string): string {
  const r = tsParser.parseForESLint(text, { ecmaVersion: 'latest', sourceType: 'module', loc: true, range: true, tokens: true, comment: true, filePath: file } as never);
  return JSON.stringify(r.ast, (key, value: unknown) => (key === 'parent' ? undefined : value));
}

/** Every way typescript-estree looks for "the next token": exports, default exports, type arguments, imports with attributes, constructors. */
const SHAPES = `/** doc */
export function a<T>(x: T): T { return x; }
export default function () { return 1; }
export const b = new Map<string, number>();
export class C { public constructor() {} private m() { return f<number>(1); } }
export abstract class D {}
export declare const e: number;
export namespace N { export const x = 1; }
export type T = ReturnType<typeof a<number>>;
import json from './x.json' with { type: 'json' };
const g = (h as any)<string>(\`t\`);
export async function* gen() { yield await Promise.resolve<number>(2); }
`;

describe('typescript-estree with the linear next-token search', () => {
  afterAll(() => installLinearNextToken());

  it('gives the same trees as typescript-estree\'s own search (this repository\'s TypeScript sources, and every shape that uses it)', () => {
    const files: Array<[string, string]> = [['shapes.ts', SHAPES]];
    for (const pkg of ['snapstart-scan/src/engines', 'snapstart-scan/src/cli', 'core/src', 'harness/src']) {
      const dir = join(REPO_ROOT, 'packages', pkg);
      for (const name of readdirSync(dir).filter((n) => n.endsWith('.ts')).slice(0, 12)) files.push([name, readFileSync(join(dir, name), 'utf8')]);
    }
    // Many exported functions: the shape whose search is searched by the new function.
    files.push(['many.ts', Array.from({ length: 400 }, (_, i) => `/** f${i} */\nexport function f${i}<T>(x: T): T { return g<T>(x); }`).join('\n')]);
    uninstallLinearNextToken();
    const original = files.map(([name, text]) => tree(text, name));
    expect(installLinearNextToken()).toBe(true);
    const linear = files.map(([name, text]) => tree(text, name));
    for (let i = 0; i < files.length; i++) expect(linear[i], files[i]![0]).toBe(original[i]);
  });

});
