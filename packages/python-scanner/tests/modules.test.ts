import { describe, expect, it } from 'vitest';
import { PyProject } from '../src/analysis/project.js';
import { moduleNameOf } from '../src/model/module.js';

const project = (paths: string[]): PyProject => new PyProject(paths.map((path) => ({ path, ...moduleNameOf(path) })));

describe('python module resolution', () => {
  it('resolves absolute imports below a root the importer is in, relative imports by path', () => {
    const p = project(['fn/app.py', 'fn/lib/__init__.py', 'fn/lib/ids.py', 'other/lib/ids.py', 'fn/pkg/__init__.py', 'fn/pkg/a.py', 'fn/pkg/b.py']);
    const app = p.file('fn/app.py')!;
    expect(p.resolveModule(app, 'lib.ids', 0)?.path).toBe('fn/lib/ids.py');
    expect(p.resolveModule(p.file('fn/pkg/a.py')!, 'b', 1)?.path).toBe('fn/pkg/b.py');
    expect(p.resolveModule(p.file('fn/pkg/a.py')!, '', 1)?.path).toBe('fn/pkg/__init__.py');
  });

  it('does not take a stdlib name for a module nested in a package or in an unrelated directory', () => {
    const p = project(['app.py', 'numpy/__init__.py', 'numpy/random/__init__.py', 'numpy/typing/tests/data/pass/random.py', 'tools/time.py']);
    const app = p.file('app.py')!;
    expect(p.resolveModule(app, 'random', 0)).toBeUndefined();
    expect(p.resolveModule(app, 'time', 0)).toBeUndefined();
    expect(p.resolveModule(app, 'numpy.random', 0)?.path).toBe('numpy/random/__init__.py');
  });

  it('finds modules of a Lambda layer (`python/` directory)', () => {
    const p = project(['functions/orders/app.py', 'layers/shared/python/shared/__init__.py', 'layers/shared/python/shared/util.py']);
    expect(p.resolveModule(p.file('functions/orders/app.py')!, 'shared.util', 0)?.path).toBe('layers/shared/python/shared/util.py');
  });
});

describe('textual imports (pre-filter)', () => {
  it('reads import lines, aliases, relative and parenthesized multi-line imports, not words in text', async () => {
    const { textImports } = await import('../src/prefilter.js');
    const text = 'import os, a.b as c\nfrom .x import (y,\n    z)\nfrom ..p.q import r  # comment\nprint("important")\n  import late\n';
    expect(textImports(text)).toEqual([
      { module: 'os', level: 0, names: [] },
      { module: 'a.b', level: 0, names: [] },
      { module: 'x', level: 1, names: ['y', 'z'] },
      { module: 'p.q', level: 2, names: ['r'] },
      { module: 'late', level: 0, names: [] },
    ]);
  });
});

describe('handler-module pre-filter', () => {
  it('agrees with the single regular expression on handler shapes and adapters', async () => {
    const { HANDLER_TRIGGER, mayBeHandlerModule } = await import('../src/prefilter.js');
    const texts = [
      'def lambda_handler(event, context):\n    pass\n',
      'import x\nasync def handler(event, context):\n    pass\n',
      'import x\ndef process(evt: dict, ctx):\n    pass\n',
      'import x\n    def handler(event, context):\n        pass\n',
      'x = 1\nhandler = Mangum(app)\n',
      'app = chalice.Chalice(app_name="a")\n',
      'def helper(a, b):\n    return a\n',
      '"""\ndef handler(event, context): ...\n"""\n',
    ];
    for (const t of texts) expect(mayBeHandlerModule(t), t).toBe(HANDLER_TRIGGER.test(t));
  });
});
