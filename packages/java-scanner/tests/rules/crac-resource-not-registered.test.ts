import { RULES } from '@snapstart/core';
import { describe, expect, it } from 'vitest';
import { scanSources, summary } from '../helpers.js';

const resource = (registration: string, annotation = ''): string => `package app;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
${annotation}public class Refresher implements Resource {
  public Refresher() { ${registration} }
  public void beforeCheckpoint(Context<? extends Resource> c) {}
  public void afterRestore(Context<? extends Resource> c) {}
}
`;

describe('java/crac-resource-not-registered', () => {
  it('reports a resource with hooks that nothing registers', async () => {
    const result = await scanSources({ 'app/Refresher.java': resource('') });
    expect(summary(result)).toEqual(['app/Refresher.java:5 java/crac-resource-not-registered']);
    expect(result.findings[0]).toMatchObject({ category: RULES['java/crac-resource-not-registered'].category, severity: RULES['java/crac-resource-not-registered'].defaultSeverity });
  });

  it('not one registered in its constructor, nor one suppressed on the class', async () => {
    expect(summary(await scanSources({ 'app/Refresher.java': resource('Core.getGlobalContext().register(this);') }))).toEqual([]);
    const suppressed = await scanSources({ 'app/Refresher.java': resource('', '@SuppressWarnings("snapstart")\n') });
    expect(summary(suppressed)).toEqual([]);
    expect(suppressed.stats.suppressed).toBe(1);
  });
});
