export type Hook = () => void | Promise<void>;

export interface Registry {
  readonly beforeSnapshot: Hook[];
  readonly afterRestore: Hook[];
}

// One registry per process, even when several copies of this package are bundled: the engine and
// the user's code may load different copies.
const KEY = Symbol.for('snapstart.runtime-hooks.registry');

/** The process's hook lists (created on first use). */
export function registry(): Registry {
  const holder = globalThis as unknown as Record<symbol, Registry | undefined>;
  let r = holder[KEY];
  if (!r) {
    r = { beforeSnapshot: [], afterRestore: [] };
    holder[KEY] = r;
  }
  return r;
}
