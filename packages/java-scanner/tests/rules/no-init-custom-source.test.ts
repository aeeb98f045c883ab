import { RULES } from '@snapstart/core';
import { describe, expect, it } from 'vitest';
import { handlerWith, scanSources, summary } from '../helpers.js';

describe('java/no-init-custom-source', () => {
  const h = handlerWith('  private final String token;', '    token = com.acme.Tokens.mint();');
  it('reports a value from a configured source of category "other"', async () => {
    const result = await scanSources({ 'app/H.java': h }, { sources: [{ owner: 'com.acme.Tokens', method: 'mint', category: 'other' }] });
    expect(summary(result)).toEqual(['app/H.java:8 java/no-init-custom-source token']);
    expect(result.findings[0]).toMatchObject({ category: 'other', severity: RULES['java/no-init-custom-source'].defaultSeverity });
  });

  it('nothing without the configured source', async () => {
    expect(summary(await scanSources({ 'app/H.java': h }))).toEqual([]);
  });
});
