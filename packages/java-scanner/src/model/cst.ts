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
export function ordered(node: CstNode): readonly CstElement[] {
  const lists = Object.values(node.children);
  // Most nodes have one kind of child, already in source order: no copy, no sort.
  if (lists.length === 1) return lists[0]!;
  const all: CstElement[] = [];
  for (const list of lists) all.push(...list);
  return all.sort((a, b) => offsetOf(a) - offsetOf(b));
}

export function kids(node: CstNode, name: string): CstNode[] {
  return (node.children[name] ?? []).filter((e): e is CstNode => !isToken(e));
}

export function kid(node: CstNode, name: string): CstNode | undefined {
  const list = node.children[name];
  if (!list) return undefined;
  for (const e of list) if (!isToken(e)) return e;
  return undefined;
}

/** Every token under `node`, in source order (collected depth-first, sorted only if needed). */
export function tokens(node: CstElement): CstToken[] {
  const out: CstToken[] = [];
  if (isToken(node)) {
    out.push(node);
    return out;
  }
  // Hot path of the converter (every name, type and parameter): no closures, no per-node arrays.
  const stack: CstElement[] = [node];
  let sorted = true;
  let last = -1;
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (isToken(e)) {
      if (e.startOffset < last) sorted = false;
      last = e.startOffset;
      out.push(e);
      continue;
    }
    const children = e.children;
    for (const key in children) {
      const list = children[key]!;
      for (let i = list.length - 1; i >= 0; i--) stack.push(list[i]!);
    }
  }
  return sorted ? out : out.sort((a, b) => a.startOffset - b.startOffset);
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
