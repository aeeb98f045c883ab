/** Minimal typing of java-parser's Chevrotain CST, and helpers to read it in source order. */

export interface CstToken {
  readonly image: string;
  readonly startOffset: number;
  readonly startLine?: number;
  readonly startColumn?: number;
  readonly tokenType: { readonly name: string };
}

export interface CstNode {
  readonly name: string;
  readonly children: Readonly<Record<string, readonly CstElement[]>>;
  readonly location?: { readonly startOffset: number; readonly startLine: number; readonly startColumn: number };
}

export type CstElement = CstNode | CstToken;

export function isToken(e: CstElement): e is CstToken {
  return (e as CstToken).image !== undefined;
}

function offsetOf(e: CstElement): number {
  return isToken(e) ? e.startOffset : (e.location?.startOffset ?? 0);
}

/** All children, nodes and tokens, in source order. */
export function ordered(node: CstNode): CstElement[] {
  const all: CstElement[] = [];
  for (const list of Object.values(node.children)) all.push(...list);
  return all.sort((a, b) => offsetOf(a) - offsetOf(b));
}

export function kids(node: CstNode, name: string): CstNode[] {
  return (node.children[name] ?? []).filter((e): e is CstNode => !isToken(e));
}

export function kid(node: CstNode, name: string): CstNode | undefined {
  return kids(node, name)[0];
}

export function tokens(node: CstElement, out: CstToken[] = []): CstToken[] {
  if (isToken(node)) {
    out.push(node);
    return out;
  }
  for (const e of ordered(node)) tokens(e, out);
  return out;
}

/** Source-like text of a node (tokens joined; spaces only where identifiers would merge). */
export function text(node: CstElement): string {
  let out = '';
  let prevWord = false;
  for (const t of tokens(node)) {
    const word = /^[\w$]/.test(t.image);
    if (word && prevWord) out += ' ';
    out += t.image;
    prevWord = /[\w$]$/.test(t.image);
  }
  return out;
}

export function lineOf(e: CstElement): number {
  return isToken(e) ? (e.startLine ?? 0) : (e.location?.startLine ?? 0);
}

export function columnOf(e: CstElement): number {
  return isToken(e) ? (e.startColumn ?? 0) : (e.location?.startColumn ?? 0);
}

export function hasToken(node: CstNode, tokenName: string): boolean {
  return (node.children[tokenName] ?? []).some(isToken);
}

/** Depth-first search for nodes by name, not descending into matches. */
export function findAll(node: CstNode, names: ReadonlySet<string>, out: CstNode[] = []): CstNode[] {
  for (const e of ordered(node)) {
    if (isToken(e)) continue;
    if (names.has(e.name)) out.push(e);
    else findAll(e, names, out);
  }
  return out;
}
