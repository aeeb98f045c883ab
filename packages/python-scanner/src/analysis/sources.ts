import { PYTHON_SOURCE_CATALOGUE, type Category, type PythonSourceEntry } from '@snapstart/core';

/** A user-declared Python source: a dotted function name (`myapp.ids.new_id`, or a name of an installed module). */
export interface PythonCustomSource {
  readonly name: string;
  readonly category: Category;
}

/** The catalogue as the analysis reads it: qualified dotted name → entry. */
export class PythonSources {
  private readonly byName = new Map<string, PythonSourceEntry>();
  private readonly custom: { name: string; entry: PythonSourceEntry }[] = [];

  constructor(custom: readonly PythonCustomSource[] = []) {
    for (const e of PYTHON_SOURCE_CATALOGUE) if (e.category) this.byName.set(`${e.module}.${e.path}`, e);
    for (const c of custom) {
      const [module, path] = splitLast(c.name);
      this.custom.push({ name: c.name, entry: { module, path, category: c.category, kind: 'value', checked: 'configured', why: 'a configured source' } });
    }
  }

  /** The entry for a call of `qualified` (`uuid.uuid4`, `numpy.random.default_rng`), if it is a source. */
  lookup(qualified: string): PythonSourceEntry | undefined {
    const builtin = this.byName.get(qualified);
    if (builtin) return builtin;
    return this.custom.find((c) => c.name === qualified || qualified.endsWith(`.${c.name}`) || c.name.endsWith(`.${qualified}`))?.entry;
  }

  /** A configured source named `qualified` (a project function's module and name). */
  lookupCustom(qualified: string): PythonSourceEntry | undefined {
    return this.custom.find((c) => c.name === qualified || qualified.endsWith(`.${c.name}`) || c.name.endsWith(`.${qualified}`))?.entry;
  }

  /** Words whose presence means a file may call a source (pre-filter). */
  triggerWords(): string[] {
    return this.custom.map((c) => splitLast(c.name)[1]);
  }
}

function splitLast(name: string): [string, string] {
  const i = name.lastIndexOf('.');
  return i < 0 ? ['', name] : [name.slice(0, i), name.slice(i + 1)];
}

/** `uuid.uuid4()` as messages write a source. */
export function sourceLabel(e: PythonSourceEntry): string {
  return `${e.module ? `${e.module}.` : ''}${e.path}()`.replace('.().', '().');
}
