import { RULES } from '@snapstart/core';
import { describe, expect, it } from 'vitest';
import { handlerWith, scanSources, summary } from '../helpers.js';

describe('java/no-init-time', () => {
  it('reports a timestamp kept in a field, as a warning (RULES)', async () => {
    const result = await scanSources({ 'app/H.java': handlerWith('  private final long startedAt;', '    startedAt = System.currentTimeMillis();') });
    expect(summary(result)).toEqual(['app/H.java:8 java/no-init-time startedAt']);
    expect(result.findings[0]).toMatchObject({ category: 'time', severity: RULES['java/no-init-time'].defaultSeverity });
  });

  it('not a duration measured at init', async () => {
    const h = handlerWith('  private final long initMillis;', '    long t0 = System.nanoTime();\n    initMillis = System.nanoTime() - t0;');
    expect(summary(await scanSources({ 'app/H.java': h }))).toEqual([]);
  });
});
