/**
 * A compact model of Java sources: what the analysis needs and nothing more. Workers build it
 * from the java-parser CST (which is large and slow to pass between threads) and send it over.
 * Statements are flattened in source order (branches and loops merged): taint is a union, so
 * the analysis does not need control flow.
 */

export type JExpr =
  | { readonly k: 'name'; readonly parts: readonly string[]; readonly line: number }
  | { readonly k: 'this' }
  | { readonly k: 'super' }
  | { readonly k: 'lit' }
  | {
      readonly k: 'call';
      /** Receiver expression, when the call is `expr.m()` (not a plain or qualified name). */
      readonly target?: JExpr;
      /** `a.b.m()` → ['a', 'b']; `m()` → []. Used when there is no target expression. */
      readonly qualifier: readonly string[];
      readonly name: string;
      readonly args: readonly JExpr[];
      readonly line: number;
      readonly column: number;
    }
  | { readonly k: 'new'; readonly type: string; readonly args: readonly JExpr[]; readonly anonymous?: JClass; readonly line: number }
  | { readonly k: 'field'; readonly target: JExpr; readonly name: string; readonly line: number }
  | { readonly k: 'assign'; readonly target: JExpr; readonly value: JExpr; readonly line: number; readonly column: number }
  | { readonly k: 'lambda'; readonly params: readonly string[]; readonly body: readonly JStmt[] }
  /**
   * Any other expression over operands. `ops`, when present, are the infix operators of a binary
   * expression: `ops[i]` stands between `args[i]` and `args[i + 1]` (`now - start` → ['-']).
   */
  | { readonly k: 'op'; readonly args: readonly JExpr[]; readonly ops?: readonly string[] };

export type JStmt =
  | { readonly k: 'local'; readonly name: string; readonly type: string; readonly init?: JExpr; readonly line: number }
  | { readonly k: 'expr'; readonly e: JExpr }
  | { readonly k: 'return'; readonly e?: JExpr; readonly line: number };

export interface JAnnotation {
  readonly name: string;
  /** Raw text of the arguments, e.g. `"SNAP_START"` or `value = {"a", "b"}`. */
  readonly args: string;
}

export interface JParam {
  readonly name: string;
  readonly type: string;
}

export interface JField {
  readonly name: string;
  readonly type: string;
  readonly isStatic: boolean;
  /** Private fields are read only by code in their own file. */
  readonly isPrivate: boolean;
  readonly annotations: readonly JAnnotation[];
  readonly init?: JExpr;
  readonly line: number;
  readonly column: number;
}

export interface JMethod {
  readonly name: string;
  readonly isStatic: boolean;
  readonly isPublic: boolean;
  readonly returnType: string;
  readonly params: readonly JParam[];
  readonly annotations: readonly JAnnotation[];
  readonly body: readonly JStmt[];
  readonly line: number;
}

export interface JClass {
  readonly name: string;
  /** Package-qualified, with `$` between nested class names. */
  readonly fqn: string;
  readonly kind: 'class' | 'interface' | 'enum' | 'record' | 'anonymous';
  readonly annotations: readonly JAnnotation[];
  readonly isAbstract: boolean;
  readonly superclass?: string;
  readonly interfaces: readonly string[];
  readonly fields: readonly JField[];
  readonly methods: readonly JMethod[];
  readonly constructors: readonly JMethod[];
  readonly staticInits: readonly (readonly JStmt[])[];
  readonly instanceInits: readonly (readonly JStmt[])[];
  /** Arguments of enum constants (`A(UUID.randomUUID())`), evaluated in the static initializer. */
  readonly enumConstantArgs: readonly JExpr[];
  readonly line: number;
  readonly column: number;
}

export interface JImport {
  readonly name: string;
  readonly isStatic: boolean;
  readonly onDemand: boolean;
}

export interface JFile {
  readonly path: string;
  readonly pkg: string;
  readonly imports: readonly JImport[];
  readonly classes: readonly JClass[];
}
