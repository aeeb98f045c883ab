import { RULES } from '@snapstart/core';
import { describe, expect, it } from 'vitest';
import { HANDLER_IMPORTS, scanSources, summary } from '../helpers.js';

const handler = (ctor: string): string => `package app;
${HANDLER_IMPORTS}import org.crac.Core;
public class H implements RequestHandler<String, String> {
  private final Hook kept = new Hook();
  public H() {
${ctor}
  }
  public String handleRequest(String s, Context c) { return s; }
}
`;
const hook = `package app;
import org.crac.Context;
import org.crac.Resource;
public class Hook implements Resource {
  public void beforeCheckpoint(Context<? extends Resource> c) {}
  public void afterRestore(Context<? extends Resource> c) {}
}
`;

describe('java/crac-resource-weakly-held', () => {
  it('reports a new resource registered and kept nowhere else', async () => {
    const result = await scanSources({ 'app/H.java': handler('    Core.getGlobalContext().register(new Hook());'), 'app/Hook.java': hook });
    expect(summary(result)).toEqual(['app/H.java:8 java/crac-resource-weakly-held']);
    expect(result.findings[0]).toMatchObject({ category: RULES['java/crac-resource-weakly-held'].category, severity: RULES['java/crac-resource-weakly-held'].defaultSeverity });
  });

  it('not a resource kept in a field', async () => {
    expect(summary(await scanSources({ 'app/H.java': handler('    Core.getGlobalContext().register(kept);'), 'app/Hook.java': hook }))).toEqual([]);
  });
});
