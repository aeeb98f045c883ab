import { RULES } from '@snapstart/core';
import { describe, expect, it } from 'vitest';
import { handlerWith, scanSources, summary } from '../helpers.js';

describe('java/no-init-random', () => {
  it('reports an unseeded generator kept in a field', async () => {
    const result = await scanSources({ 'app/H.java': handlerWith('  private final java.util.Random rng = new java.util.Random();', '') });
    expect(summary(result)).toEqual(['app/H.java:6 java/no-init-random rng']);
    expect(result.findings[0]).toMatchObject({ category: 'random', severity: RULES['java/no-init-random'].defaultSeverity });
  });

  it('not a seeded one, nor SecureRandom', async () => {
    const h = handlerWith('  private final java.util.Random fixed = new java.util.Random(42);\n  private final java.security.SecureRandom sr = new java.security.SecureRandom();', '');
    expect(summary(await scanSources({ 'app/H.java': h }))).toEqual([]);
  });
});
