import type { Node as TsNode, Tree } from 'web-tree-sitter';

/**
 * A syntax node that remembers what was asked of it. The analysis visits nodes many times (a
 * function body once per call site, the reach walk again); every access to a web-tree-sitter `Node`
 * crosses into WebAssembly and allocates, so each answer (children, fields, text, position) is
 * fetched once. Copying whole trees out eagerly costs more than parsing; most nodes are never
 * visited. The API is the subset of web-tree-sitter's `Node` the analysis uses.
 */
export class PNode {
  private named?: PNode[];
  private readonly fieldCache = new Map<string, PNode[]>();
  private textCache?: string;
  private start?: { row: number; column: number };
  private end?: { row: number; column: number };
  readonly type: string;
  readonly id: number;

  constructor(
    private readonly node: TsNode,
    private readonly file: FileNodes,
    readonly parent: PNode | null,
  ) {
    this.type = node.type;
    this.id = node.id;
  }

  get namedChildren(): PNode[] {
    this.named ??= this.node.namedChildren.map((c) => this.file.wrap(c, this));
    return this.named;
  }

  get text(): string {
    this.textCache ??= this.node.text;
    return this.textCache;
  }

  get startPosition(): { row: number; column: number } {
    this.start ??= this.node.startPosition;
    return this.start;
  }

  get endPosition(): { row: number; column: number } {
    this.end ??= this.node.endPosition;
    return this.end;
  }

  childForFieldName(name: string): PNode | null {
    return this.childrenForFieldName(name)[0] ?? null;
  }

  childrenForFieldName(name: string): PNode[] {
    let list = this.fieldCache.get(name);
    if (!list) {
      list = this.node.childrenForFieldName(name).map((c) => this.file.wrap(c, this));
      this.fieldCache.set(name, list);
    }
    return list;
  }

  /** Named descendants of the given types, in document order. */
  descendantsOfType(types: string | readonly string[]): PNode[] {
    const wanted = new Set(typeof types === 'string' ? [types] : types);
    const out: PNode[] = [];
    const visit = (n: PNode): void => {
      for (const c of n.namedChildren) {
        if (wanted.has(c.type)) out.push(c);
        visit(c);
      }
    };
    visit(this);
    return out;
  }
}

/** The wrappers of one tree, one per node (so `parent` and identity work). Keeps the tree alive. */
export class FileNodes {
  private readonly byId = new Map<number, PNode>();
  constructor(readonly tree: Tree) {}

  wrap(node: TsNode, parent: PNode | null): PNode {
    let w = this.byId.get(node.id);
    if (!w) {
      w = new PNode(node, this, parent);
      this.byId.set(node.id, w);
    }
    return w;
  }

  root(): PNode {
    return this.wrap(this.tree.rootNode, null);
  }
}
