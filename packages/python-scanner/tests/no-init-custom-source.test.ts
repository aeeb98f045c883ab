import { describe, expect, it } from 'vitest';
import { py, scanSources, summary } from './helpers.js';

const FILES = {
  'app.py': py`
    from myapp.ids import new_id
    WORKER_ID = new_id()

    def lambda_handler(event, context):
        return {"worker": WORKER_ID, "request": new_id()}
  `,
  'myapp/__init__.py': '',
  // A client the scanner knows nothing about: only the configuration says new_id() makes unique values.
  'myapp/ids.py': 'import ids_service\n\ndef new_id():\n    return ids_service.next()\n',
};

describe('python/no-init-custom-source', () => {
  it('a value from a configured source of category "other" made at import and read by the handler', async () => {
    const r = await scanSources(FILES, { sources: [{ name: 'myapp.ids.new_id', category: 'other' }] });
    expect(summary(r)).toEqual(['app.py:2 python/no-init-custom-source']);
    const f = r.findings[0]!;
    expect(f.category).toBe('other');
    expect(f.severity).toBe('error');
    expect(f.message).toContain('`WORKER_ID`');
  });

  it('a configured source of a built-in category is reported under that category\'s rule', async () => {
    const r = await scanSources(FILES, { sources: [{ name: 'myapp.ids.new_id', category: 'uuid' }] });
    expect(summary(r)).toEqual(['app.py:2 python/no-init-uuid']);
  });

  it('not reported without the source declared, nor when the handler makes the value', async () => {
    expect(summary(await scanSources(FILES))).toEqual([]);
    const inHandler = { ...FILES, 'app.py': 'from myapp.ids import new_id\n\ndef lambda_handler(event, context):\n    return new_id()\n' };
    expect(summary(await scanSources(inHandler, { sources: [{ name: 'myapp.ids.new_id', category: 'other' }] }))).toEqual([]);
  });
});
