import { RULES } from '@snapstart/core';
import { describe, expect, it } from 'vitest';
import { handlerWith, scanSources, summary } from '../helpers.js';

describe('java/no-init-secret', () => {
  it('reports key material generated at init', async () => {
    const h = handlerWith('  private final java.security.KeyPair keys;', '    try { keys = java.security.KeyPairGenerator.getInstance("EC").generateKeyPair(); } catch (Exception e) { throw new RuntimeException(e); }');
    const result = await scanSources({ 'app/H.java': h });
    expect(summary(result)).toEqual(['app/H.java:8 java/no-init-secret keys']);
    expect(result.findings[0]).toMatchObject({ category: 'secret', severity: RULES['java/no-init-secret'].defaultSeverity });
  });

  it('not key material made in the handler', async () => {
    expect(summary(await scanSources({ 'app/H.java': handlerWith('  private java.security.KeyPair keys;', '') }))).toEqual([]);
  });
});
