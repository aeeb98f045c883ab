// typescript-estree (8.x) turns every `export function …`, `export const …`, `export default …`
// and every call with type arguments into ESTree by looking for "the token after this one" with
// `findNextToken(token, sourceFile)`: a walk from the root of the file that scans the children of
// each node from the first one. At the top level that is a linear scan of every statement before
// the token, so a file with n exported declarations costs O(n²): a 1.7 MB file of 17,000 small
// exported functions spent most of its 18 s there (profile: `node --cpu-prof`, `findNextToken` →
// `firstDefined`). This module replaces that one function, in the module instance that
// @typescript-eslint/parser uses, with one that gives the same answer but skips, by binary
// search, the children that end before the token starts (they can neither contain it nor start
// where it ends). The result is the same token: tests/reliability/large-files.test.ts parses
// files with and without it and compares the trees.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The part of a TypeScript node this module reads. */
interface TsNode {
  readonly pos: number;
  readonly end: number;
  getChildren(sourceFile?: unknown): readonly TsNode[];
}

type FindNextToken = (previousToken: TsNode, parent: TsNode, ast: unknown) => TsNode | undefined;

interface NodeUtils {
  findNextToken: FindNextToken;
  nodeHasTokens(n: TsNode, ast: unknown): boolean;
}

/** Below this many children a plain scan is as fast as a search. */
const SEARCH_FROM = 32;

/**
 * Whether the children's end offsets never decrease (true for TypeScript's children lists: nodes
 * in source order, JSDoc first and ending before the node's first token). Checked once per list,
 * since `getChildren` caches the list on its node: if a list were out of order, the original scan
 * from the first child is used for it.
 */
const ordered = new WeakMap<readonly TsNode[], boolean>();
function endsAreOrdered(children: readonly TsNode[]): boolean {
  let known = ordered.get(children);
  if (known === undefined) {
    known = true;
    for (let i = 1; i < children.length; i++) {
      if (children[i]!.end < children[i - 1]!.end) {
        known = false;
        break;
      }
    }
    ordered.set(children, known);
  }
  return known;
}

function linearFindNextToken(utils: NodeUtils, isToken: (n: TsNode) => boolean): FindNextToken {
  return (previousToken, parent, ast) => {
    const find = (n: TsNode): TsNode | undefined => {
      if (isToken(n) && n.pos === previousToken.end) return n;
      const children = n.getChildren(ast);
      let first = 0;
      if (children.length >= SEARCH_FROM && endsAreOrdered(children)) {
        // The first child that ends at or after the token's start: every child before it ends
        // before the token, so it neither encloses it nor starts where it ends.
        let hi = children.length;
        while (first < hi) {
          const mid = (first + hi) >>> 1;
          if (children[mid]!.end < previousToken.pos) first = mid + 1;
          else hi = mid;
        }
      }
      for (let i = first; i < children.length; i++) {
        const child = children[i]!;
        const dive = (child.pos <= previousToken.pos && child.end > previousToken.end) || child.pos === previousToken.end;
        if (dive && utils.nodeHasTokens(child, ast)) {
          const found = find(child);
          if (found !== undefined) return found;
        }
      }
      return undefined;
    };
    return find(parent);
  };
}

let installed: { original: FindNextToken; utils: NodeUtils } | undefined;

/** The node-utils module of the typescript-estree that @typescript-eslint/parser loads. */
function parserNodeUtils(): { utils: NodeUtils; isToken: (n: TsNode) => boolean } | undefined {
  try {
    const require = createRequire(import.meta.url);
    const fromParser = createRequire(require.resolve('@typescript-eslint/parser'));
    const estreeMain = fromParser.resolve('@typescript-eslint/typescript-estree');
    const utils = fromParser(join(dirname(estreeMain), 'node-utils.js')) as Partial<NodeUtils>;
    const ts = createRequire(estreeMain)('typescript') as { isToken(n: TsNode): boolean };
    if (typeof utils.findNextToken !== 'function' || utils.findNextToken.length !== 3 || typeof utils.nodeHasTokens !== 'function') return undefined;
    return { utils: utils as NodeUtils, isToken: (n) => ts.isToken(n) };
  } catch {
    return undefined; // another layout of typescript-estree: keep its own function
  }
}

/**
 * Installs the search (once per thread). Returns false when typescript-estree does not have the
 * expected shape, in which case nothing is changed and parsing is only slower on such files.
 */
export function installLinearNextToken(): boolean {
  if (installed) return true;
  const found = parserNodeUtils();
  if (!found) return false;
  installed = { original: found.utils.findNextToken, utils: found.utils };
  found.utils.findNextToken = linearFindNextToken(found.utils, found.isToken);
  return true;
}

/** Puts typescript-estree's own function back (for the test that compares both). */
export function uninstallLinearNextToken(): void {
  if (!installed) return;
  installed.utils.findNextToken = installed.original;
  installed = undefined;
}
