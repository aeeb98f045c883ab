import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { InitRun } from '../src/analysis/init.js';
import { scanPythonProject } from '../src/index.js';
import { scanSources } from './helpers.js';

describe('python-scanner robustness', () => {
  it('a file with a syntax error gives a diagnostic with file and line, and the rest is still scanned', async () => {
    const r = await scanSources({
      'broken.py': 'import uuid\nX = uuid.uuid4()\ndef handler(event, context:\n    return X\n',
      'app.py': 'import uuid\nID = uuid.uuid4()\ndef handler(event, context):\n    return ID\n',
    });
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ file: 'broken.py', line: 3 });
    expect(r.diagnostics[0]!.message).toMatch(/syntax error/);
    expect(r.findings.map((f) => `${f.file}:${f.line}`)).toEqual(['app.py:2']);
  });

  it('an unterminated string is reported at its line', async () => {
    const r = await scanSources({ 'app.py': 'import uuid\n\ndef handler(event, context):\n    return "open\n' });
    expect(r.diagnostics).toMatchObject([{ file: 'app.py', line: 4 }]);
    expect(r.findings).toEqual([]);
  });

  it('binary and unreadable inputs are diagnostics', async () => {
    const r = await scanSources({ 'blob.py': Buffer.from([0x69, 0x00, 0x01, 0x02]) });
    expect(r.diagnostics[0]!.message).toMatch(/binary file/);
  });

  it('deep recursion and mutual imports terminate', async () => {
    const r = await scanSources({
      'a.py': 'import uuid\nfrom b import g\nID = uuid.uuid4()\ndef f(n):\n    return g(n)\nf(3)\ndef handler(event, context):\n    return ID\n',
      'b.py': 'from a import f\ndef g(n):\n    return f(n)\n',
    });
    expect(r.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual(['a.py:3 python/no-init-uuid']);
  });

  it('virtual environments, __pycache__ and vendored packages are not scanned', async () => {
    const r = await scanSources({
      'app.py': 'import vendored_lib\ndef handler(event, context):\n    return vendored_lib.X\n',
      'vendored_lib/__init__.py': 'import uuid\nX = uuid.uuid4()\n',
      'vendored_lib-1.0.dist-info/METADATA': 'Name: vendored-lib\n',
      '.venv/lib/python3.12/site-packages/x.py': 'import uuid\nY = uuid.uuid4()\n',
      '__pycache__/junk.py': 'import uuid\n',
    });
    expect(r.stats.files).toBe(1);
    expect(r.findings).toEqual([]);
  });

  it('vendored packages are left out also when their files are given one by one (as snapstart-scan does)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'py-vendored-'));
    try {
      const files = {
        'app.py': 'import vendored_lib\ndef handler(event, context):\n    return vendored_lib.X\n',
        'vendored_lib/__init__.py': 'import uuid\nX = uuid.uuid4()\n',
        'vendored_lib-1.0.dist-info/top_level.txt': 'vendored_lib\n',
      };
      for (const [name, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, name)), { recursive: true });
        writeFileSync(join(dir, name), text);
      }
      const r = await scanPythonProject([join(dir, 'app.py'), join(dir, 'vendored_lib/__init__.py')], { cwd: dir });
      expect(r.stats.files).toBe(1);
      expect(r.findings).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an internal error in one handler module is a diagnostic; the other modules keep their findings', async () => {
    const original = InitRun.prototype.execModule;
    const spy = vi.spyOn(InitRun.prototype, 'execModule').mockImplementation(function (this: InitRun, file, steps) {
      if (file.path === 'a.py') throw new Error('boom');
      return original.call(this, file, steps);
    });
    try {
      const handler = 'import uuid\nID = uuid.uuid4()\ndef handler(event, context):\n    return ID\n';
      const r = await scanSources({ 'a.py': handler, 'b.py': handler });
      expect(r.findings.map((f) => f.file)).toEqual(['b.py']);
      expect(r.diagnostics).toEqual([{ file: 'a.py', message: 'internal error while analysing this handler module: boom' }]);
    } finally {
      spy.mockRestore();
    }
  });
});
