import { describe, expect, it } from 'vitest';
import { scanSources, summary } from './helpers.js';

const HOOKS = 'import random\nfrom snapshot_restore_py import register_after_restore, register_before_snapshot\n@register_after_restore\ndef reseed():\n    random.seed()\ndef warm():\n    pass\nregister_before_snapshot(warm)\n';

describe('python/hook-not-imported', () => {
  it('invalid: a hook module that no handler imports', async () => {
    const r = await scanSources({ 'app.py': 'def handler(event, context):\n    return 1\n', 'hooks.py': HOOKS });
    expect(summary(r)).toEqual(['hooks.py:3 python/hook-not-imported', 'hooks.py:8 python/hook-not-imported']);
    expect(r.findings[0]!.message).toContain('no handler module imports it');
  });
  it('valid: imported by the handler module, directly or through another module', async () => {
    const direct = await scanSources({ 'app.py': 'import hooks\ndef handler(event, context):\n    return 1\n', 'hooks.py': HOOKS });
    const indirect = await scanSources({ 'app.py': 'import setup_env\ndef handler(event, context):\n    return 1\n', 'setup_env.py': 'from hooks import reseed\n', 'hooks.py': HOOKS });
    expect(summary(direct)).toEqual([]);
    expect(summary(indirect)).toEqual([]);
  });
  it('valid: no handler in the scan (nothing to say which modules are imported)', async () => {
    expect(summary(await scanSources({ 'hooks.py': HOOKS }))).toEqual([]);
  });
});
