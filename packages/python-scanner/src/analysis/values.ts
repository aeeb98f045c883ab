import type { Category } from '@snapstart/core';
import type { PyFile } from '../model/module.js';
import type { Node } from '../parse.js';

/** One step of why code runs during init; `file`/`line` say where (rendered per finding). */
export interface Step {
  readonly description: string;
  readonly file?: string;
  readonly line?: number;
}

/** A unique value (or a generator whose state is fixed) made during init. */
export interface Taint {
  /** How messages name the source: `uuid.uuid4()`. */
  readonly source: string;
  readonly category: Category;
  /** `generator`: an object whose later draws replay state fixed at init. */
  readonly kind: 'value' | 'generator';
  readonly file: string;
  readonly line: number;
}

/** Where a value is kept: a module global, an attribute, a closure variable, a default argument. */
export interface Site {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  /** "`SESSION_ID` (module global of `app.py`)". */
  readonly what: string;
  /** Why the store ran during init, innermost first. */
  readonly steps: readonly Step[];
}

/** A binding. Never mutated: a new store makes a new slot, so `from m import X` can share one. */
export interface Slot {
  readonly val: Val;
  readonly site?: Site;
}

/** What the analysis knows of a value. Empty arrays and no `ext`: nothing of interest. */
export interface Val {
  readonly taints: readonly Taint[];
  readonly fns: readonly FnVal[];
  readonly objs: readonly Obj[];
  readonly classes: readonly ClassInfo[];
  readonly mods: readonly ModState[];
  /** Dotted name outside the project (`uuid.uuid4`, `random`, `boto3.client()`). */
  readonly ext?: string;
  /** An event-handler/web app object whose decorated functions are entry points (`app = APIGatewayRestResolver()`). */
  readonly app?: boolean;
  /** A `field(default_factory=…)` / `Field(default_factory=…)`: the taints are those of each new instance. */
  readonly factory?: boolean;
}

export const EMPTY: Val = { taints: [], fns: [], objs: [], classes: [], mods: [] };

const union = <T>(a: readonly T[], b: readonly T[]): readonly T[] => (b.length === 0 ? a : a.length === 0 ? b : [...new Set([...a, ...b])]);

export function merge(...vals: Val[]): Val {
  let out = EMPTY;
  for (const v of vals) {
    if (v === EMPTY) continue;
    if (out === EMPTY) {
      out = v;
      continue;
    }
    out = {
      taints: union(out.taints, v.taints),
      fns: union(out.fns, v.fns),
      objs: union(out.objs, v.objs),
      classes: union(out.classes, v.classes),
      mods: union(out.mods, v.mods),
      ...(out.ext !== undefined ? { ext: out.ext } : v.ext !== undefined ? { ext: v.ext } : {}),
      ...(out.app || v.app ? { app: true } : {}),
    };
  }
  return out;
}

export const valOf = (part: Partial<Val>): Val => ({ ...EMPTY, ...part });

/** Only the taints of a value (what flows through an operation on it). */
export const taintsOnly = (v: Val): Val => (v.taints.length === 0 ? EMPTY : valOf({ taints: v.taints }));

/** An object made during init: an instance of a project class, or a container literal. */
export class Obj {
  readonly attrs = new Map<string, Slot>();
  /** An after-restore hook assigns to it or calls one of its methods: its state is replaced. */
  refreshed = false;
  constructor(
    readonly label: string,
    readonly cls: ClassInfo | undefined,
    /** A dict/list/set literal: any read of it reads what it holds. */
    readonly container: boolean,
  ) {}
}

export interface ClassInfo {
  readonly name: string;
  readonly node: Node;
  readonly mod: ModState;
  /** The class body's names (class attributes and methods). */
  readonly attrs: Map<string, Slot>;
  readonly methods: Map<string, FnVal>;
  /** `x: str = field(default_factory=…)`: what each instance gets. */
  readonly factories: Map<string, Slot>;
  readonly bases: ClassInfo[];
}

export interface FnVal {
  readonly name: string;
  /** A function_definition or a lambda. */
  readonly node: Node;
  readonly mod: ModState;
  /** The scope of the enclosing function, for nested functions and lambdas (closures). */
  readonly closure?: Scope;
  readonly cls?: ClassInfo;
  /** Bound to an object made during init (`svc.handle`). */
  readonly self?: Obj;
  /** Parameter defaults, evaluated when the `def` ran (during init). */
  readonly defaults: Map<string, Slot>;
  /** Shared by bound copies: lru_cache'd functions' first result. */
  readonly cache: { cached: boolean; result?: Val; site?: Site };
}

export interface ModState {
  readonly file: PyFile;
  readonly globals: Map<string, Slot>;
  state: 'new' | 'running' | 'done';
}

/** A running function body, class body or module top level. */
export interface Scope {
  readonly vars: Map<string, Slot>;
  readonly parent?: Scope;
  readonly mod: ModState;
  readonly isModule: boolean;
  readonly globalNames: Set<string>;
  readonly nonlocalNames: Set<string>;
  readonly fn?: FnVal;
  readonly cls?: ClassInfo;
  readonly steps: readonly Step[];
  readonly returns: Val[];
  /** Inside an `if`/`try`/loop: a store adds to the earlier value instead of replacing it. */
  branch: number;
  /** Running an after-restore hook (not init). */
  readonly restore?: boolean;
}
