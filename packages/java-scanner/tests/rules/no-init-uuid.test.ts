import { RULES } from '@snapstart/core';
import { describe, expect, it } from 'vitest';
import { handlerWith, scanSources, summary } from '../helpers.js';

describe('java/no-init-uuid', () => {
  it('reports a UUID stored in a field during init, with the category and severity of RULES', async () => {
    const result = await scanSources({ 'app/H.java': handlerWith('  private final String id;', '    id = java.util.UUID.randomUUID().toString();') });
    expect(summary(result)).toEqual(['app/H.java:8 java/no-init-uuid id']);
    expect(result.findings[0]).toMatchObject({ category: RULES['java/no-init-uuid'].category, severity: RULES['java/no-init-uuid'].defaultSeverity, source: 'UUID.randomUUID()' });
  });

  it('not a UUID made in the handler, nor one suppressed on the field', async () => {
    expect(summary(await scanSources({ 'app/H.java': handlerWith('  private String id;', '') }))).toEqual([]);
    const suppressed = await scanSources({ 'app/H.java': handlerWith('  @SuppressWarnings("snapstart") private final String id;', '    id = java.util.UUID.randomUUID().toString();') });
    expect(summary(suppressed)).toEqual([]);
    expect(suppressed.stats.suppressed).toBe(1);
  });
});
