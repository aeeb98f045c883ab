import { createRequire } from 'node:module';
import type { Diagnostic } from '@snapstart/core';
import { Language, Parser, type Node as TsNode, type Tree } from 'web-tree-sitter';
import { FileNodes, type PNode } from './model/node.js';

/** The syntax node type the analysis works on. */
export type Node = PNode;
export type { Tree };

/** Files above this size are reported and skipped. */
export const MAX_PARSE_BYTES = 8 * 1024 * 1024;

const require = createRequire(import.meta.url);
let ready: Promise<Parser> | undefined;

/**
 * The tree-sitter parser with the Python grammar. Loaded once per process: the runtime and the
 * grammar are WebAssembly (no native build, no Python install), ~1 MB each.
 */
export function pythonParser(): Promise<Parser> {
  ready ??= (async () => {
    await Parser.init();
    const language = await Language.load(require.resolve('tree-sitter-python/tree-sitter-python.wasm'));
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return ready;
}

/** Decodes bytes as UTF-8, or says why the file is not Python text. */
export function decodeSource(path: string, bytes: Uint8Array): { text: string } | { diagnostic: Diagnostic } {
  if (bytes.length > MAX_PARSE_BYTES) {
    return { diagnostic: { file: path, message: `skipped: ${(bytes.length / 1048576).toFixed(1)} MiB is over the ${MAX_PARSE_BYTES / 1048576} MiB limit for one Python file` } };
  }
  if (bytes.subarray(0, 8192).includes(0)) return { diagnostic: { file: path, message: 'skipped: binary file (contains NUL bytes), not Python source' } };
  return { text: new TextDecoder('utf-8', { fatal: false }).decode(bytes) };
}

/** The first syntax error of a tree (an ERROR node or a token the parser had to invent), if any. */
export function firstSyntaxError(tree: Tree): TsNode | undefined {
  if (!tree.rootNode.hasError) return undefined;
  let found: TsNode | undefined;
  const visit = (n: TsNode): void => {
    if (found) return;
    if (n.isError || n.isMissing) {
      found = n;
      return;
    }
    if (!n.hasError) return;
    for (const c of n.children) if (c) visit(c);
  };
  visit(tree.rootNode);
  return found ?? tree.rootNode;
}

export type ParseOutcome = { readonly root: Node; readonly tree: Tree } | { readonly diagnostic: Diagnostic };

/**
 * Parses one file (the caller deletes the tree when done with its nodes). tree-sitter recovers from errors, but a tree with errors may put statements
 * in the wrong scope, so such a file is reported (with the line of the first error) and not
 * analysed: a wrong init region would give wrong findings.
 */
export async function parsePythonSource(path: string, text: string): Promise<ParseOutcome> {
  const parser = await pythonParser();
  const tree = parser.parse(text);
  if (!tree) return { diagnostic: { file: path, message: 'the Python parser returned no tree' } };
  const error = firstSyntaxError(tree);
  if (error) {
    tree.delete();
    const what = error.isMissing ? `missing \`${error.type}\`` : `unexpected \`${error.text.split('\n')[0]!.slice(0, 40)}\``;
    return {
      diagnostic: {
        file: path,
        line: error.startPosition.row + 1,
        column: error.startPosition.column + 1,
        message: `not analysed: Python syntax error (${what}); the rest of the scan goes on without this file`,
      },
    };
  }
  return { root: new FileNodes(tree).root(), tree };
}
