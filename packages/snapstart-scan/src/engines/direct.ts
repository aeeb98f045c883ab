// The scan's fast path for TS/JS: parse and analyze a file the way ESLint would with the scan's
// own config — same parsers, same options, same scope analysis — and run snapstart's rules on it
// directly (eslint-plugin-snapstart's runSnapstartRules), skipping ESLint's traversal and
// code-path analysis that no snapstart rule uses. Files with ESLint directive comments, and scans
// with the user's ESLint config, go through ESLint itself (eslint.ts).
import tsParser from '@typescript-eslint/parser';
import type { TSESLint } from '@typescript-eslint/utils';
import { SourceCode } from 'eslint';
import * as eslintScope from 'eslint-scope';
import * as evk from 'eslint-visitor-keys';
import * as espree from 'espree';
import { installLinearNextToken } from './linear-next-token.js';

// Before any TypeScript is parsed, on either path (ESLint loads the same typescript-estree).
installLinearNextToken();

/** ESLint's `ecmaVersion: "latest"`, as it hands it to scope analysis (a year). */
const LATEST = espree.latestEcmaVersion + 2009;

/** Comments only ESLint interprets: disable/enable directives, inline config, declared globals. */
const DIRECTIVE = /\beslint(?:-disable|-enable|-env)?\b|\/\*\s*globals?\s/;

/** Whether the fast path gives exactly ESLint's result for this text. */
export function directPathApplies(text: string): boolean {
  return !DIRECTIVE.test(text);
}

export interface ParseFailure {
  readonly message: string;
  readonly line: number;
  readonly column: number;
}

const TS = /\.[cm]?tsx?$/;

/** ESLint's source type for a file under its default config: `.cjs` is CommonJS, the rest modules. */
function sourceTypeOf(path: string): 'module' | 'commonjs' {
  return path.endsWith('.cjs') ? 'commonjs' : 'module';
}

/**
 * Parses like ESLint's JavaScript language does (BOM and shebang handled the same way). The
 * `as never` casts bridge ESLint's ESTree typings and typescript-eslint's, which differ in name
 * only: these are the objects ESLint itself builds from the same parsers.
 */
export function parseForRules(text: string, path: string): SourceCode | ParseFailure {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // ESLint parses a shebang as a line comment (the same length, so locations do not move).
  const toParse = body.replace(/^#!([^\r\n]*)/, '//$1');
  const sourceType = sourceTypeOf(path);
  // JSX in `.js` as well as `.jsx`: React code often lives in `.js` files (as Babel and bundlers
  // read them), and enabling it changes nothing for code without JSX. Not in `.ts`, where `<T>x` is a cast.
  const jsx = /\.(jsx?|tsx)$/.test(path);
  const options = { ecmaVersion: LATEST, sourceType, ecmaFeatures: { jsx }, loc: true, range: true, tokens: true, comment: true, eslintVisitorKeys: true, eslintScopeManager: true, filePath: path };
  try {
    if (TS.test(path)) {
      // typescript-eslint types ecmaVersion as a union of years; LATEST is one of them at run time.
      // No node maps: no snapstart rule reads parserServices, and the maps keep the TypeScript AST
      // alive beside the ESTree one (about half the heap of a large file, and time to fill them).
      const r = tsParser.parseForESLint(toParse, { ...options, sourceType: 'module', preserveNodeMaps: false } as Parameters<typeof tsParser.parseForESLint>[1]);
      return new SourceCode({ text: body, ast: r.ast as never, parserServices: r.services, scopeManager: r.scopeManager as never, visitorKeys: r.visitorKeys as never });
    }
    const ast = espree.parse(toParse, options as never);
    const scopeManager = eslintScope.analyze(ast as never, {
      ignoreEval: true,
      ecmaVersion: LATEST,
      sourceType,
      childVisitorKeys: evk.KEYS,
      fallback: evk.getKeys,
      jsx,
    } as never);
    return new SourceCode({ text: body, ast: ast as never, parserServices: {}, scopeManager: scopeManager, visitorKeys: evk.KEYS as never });
  } catch (err) {
    // ESLint's own wording and positions for a parse error.
    const e = err as { message: string; lineNumber?: number; column?: number };
    return { message: `Parsing error: ${e.message.replace(/^line \d+:/i, '').trim()}`, line: e.lineNumber ?? 1, column: e.column ?? 1 };
  }
}

export function isParseFailure(r: SourceCode | ParseFailure): r is ParseFailure {
  return !(r instanceof SourceCode);
}

/** The typescript-eslint view of ESLint's SourceCode (the same object). */
export function asRuleSource(code: SourceCode): TSESLint.SourceCode {
  return code as unknown as TSESLint.SourceCode;
}
