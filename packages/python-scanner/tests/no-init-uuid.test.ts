import { describe, expect, it } from 'vitest';
import { py, scanSources, summary } from './helpers.js';

/** A handler module: `init` at the top level (line 2 on), `body` (one line) in `lambda_handler`. */
const handler = (init: string, body: string): string => `import uuid\n${init}\n\ndef lambda_handler(event, context):\n    ${body}\n`;

describe('python/no-init-uuid', () => {
  describe('invalid', () => {
    it('a module global made from uuid4() at import and read by the handler', async () => {
      const r = await scanSources({ 'app.py': handler('SESSION = str(uuid.uuid4())', 'return SESSION') });
      expect(summary(r)).toEqual(['app.py:2 python/no-init-uuid']);
      const f = r.findings[0]!;
      expect(f.message).toContain('`SESSION` (module global of `app.py`)');
      expect(f.message).toContain('`uuid.uuid4()`');
      expect(f.message).toContain('top level of `app.py`, the handler module');
      expect(f.message).toContain('`lambda_handler` reads it (line 5)');
      expect(f.source).toBe('uuid.uuid4()');
      expect(f.severity).toBe('error');
    });

    it('uuid1() in a module the handler imports, with the import in the init path', async () => {
      const r = await scanSources({
        'app.py': py`
          from lib.ids import NODE
          def handler(event, context):
              return str(NODE)
        `,
        'lib/__init__.py': '',
        'lib/ids.py': 'import uuid\nNODE = uuid.uuid1()\n',
      });
      expect(summary(r)).toEqual(['lib/ids.py:2 python/no-init-uuid']);
      expect(r.findings[0]!.initPath.map((s) => s.description)).toEqual(['top level of `lib/ids.py`', 'imported (app.py:1)', 'top level of `app.py`, the handler module']);
    });

    it('an attribute of an object made at init, read through a method', async () => {
      const r = await scanSources({
        'app.py': py`
          import uuid
          class Repo:
              def __init__(self):
                  self.writer_id = uuid.uuid4()
              def put(self, item):
                  return {**item, "writer": str(self.writer_id)}
          repo = Repo()
          def lambda_handler(event, context):
              return repo.put(event)
        `,
      });
      expect(summary(r)).toEqual(['app.py:4 python/no-init-uuid']);
      expect(r.findings[0]!.message).toContain('`Repo.__init__` called from the top level of `app.py` (line 7)');
    });

    it('a closure variable captured by the handler a factory returns at import (descriptor names it)', async () => {
      const r = await scanSources({
        'app.py': py`
          import uuid
          def build():
              run = uuid.uuid4()
              def inner(event, context):
                  return str(run)
              return inner
          handler = build()
        `,
        'template.yaml': 'Resources:\n  F:\n    Properties:\n      Handler: app.handler\n',
      });
      expect(summary(r)).toEqual(['app.py:3 python/no-init-uuid']);
    });

    it('a lazily made global when the handler is warmed up at import', async () => {
      const r = await scanSources({
        'app.py': 'import uuid\nID = None\ndef lambda_handler(event, context):\n    global ID\n    if ID is None:\n        ID = uuid.uuid4()\n    return ID\nlambda_handler({}, None)\n',
      });
      expect(summary(r)).toEqual(['app.py:6 python/no-init-uuid']);
      expect(r.findings[0]!.message).toContain('`lambda_handler` called from the top level of `app.py` (line 8)');
    });
  });

  describe('valid', () => {
    it('uuid4() in the handler', async () => {
      expect(summary(await scanSources({ 'app.py': handler('', 'return str(uuid.uuid4())') }))).toEqual([]);
    });
    it('uuid3/uuid5 at import: deterministic', async () => {
      expect(summary(await scanSources({ 'app.py': handler('NS = uuid.uuid5(uuid.NAMESPACE_DNS, "x")', 'return NS') }))).toEqual([]);
    });
    it('a global made at import that the handler never reads', async () => {
      expect(summary(await scanSources({ 'app.py': handler('BUILD = uuid.uuid4()\nprint(BUILD)', 'return 1') }))).toEqual([]);
    });
    it('a global replaced by a register_after_restore hook (decorator)', async () => {
      const r = await scanSources({
        'app.py': handler('from snapshot_restore_py import register_after_restore\nID = uuid.uuid4()\n@register_after_restore\ndef again():\n    global ID\n    ID = uuid.uuid4()', 'return ID'),
      });
      expect(summary(r)).toEqual([]);
    });
    it('a lazily made global without a warm-up call', async () => {
      expect(summary(await scanSources({ 'app.py': 'import uuid\nID = None\ndef lambda_handler(event, context):\n    global ID\n    if ID is None:\n        ID = uuid.uuid4()\n    return ID\n' }))).toEqual([]);
    });
    it('code under `if __name__ == "__main__":` and test files', async () => {
      const r = await scanSources({
        'app.py': handler('', 'return 1\n\nif __name__ == "__main__":\n    X = uuid.uuid4()\n    lambda_handler({}, X)'),
        'tests/test_app.py': handler('FIXED = uuid.uuid4()', 'return FIXED'),
      });
      expect(summary(r)).toEqual([]);
    });
    it('suppressed with `# snapstart: ignore` or `# noqa: snapstart`', async () => {
      const a = await scanSources({ 'app.py': handler('ID = uuid.uuid4()  # snapstart: ignore', 'return ID') });
      const b = await scanSources({ 'app.py': handler('# noqa: snapstart\nID = uuid.uuid4()', 'return ID') });
      expect(summary(a)).toEqual([]);
      expect(a.stats.suppressed).toBe(1);
      expect(summary(b)).toEqual([]);
    });
  });
});

describe('python/no-init-uuid through default_factory', () => {
  it('invalid: a pydantic model instance made at init gets its id from Field(default_factory=uuid4)', async () => {
    const r = await scanSources({
      'app.py': 'import uuid\nfrom pydantic import BaseModel, Field\nclass Ctx(BaseModel):\n    run_id: uuid.UUID = Field(default_factory=uuid.uuid4)\nCTX = Ctx()\ndef handler(event, context):\n    return str(CTX.run_id)\n',
    });
    expect(summary(r)).toEqual(['app.py:4 python/no-init-uuid']);
    expect(r.findings[0]!.message).toContain('default_factory');
  });
  it('valid: the same model made in the handler', async () => {
    const r = await scanSources({
      'app.py': 'import uuid\nfrom pydantic import BaseModel, Field\nclass Ctx(BaseModel):\n    run_id: uuid.UUID = Field(default_factory=uuid.uuid4)\ndef handler(event, context):\n    return str(Ctx().run_id)\n',
    });
    expect(summary(r)).toEqual([]);
  });
});
