import { describe, expect, it } from 'vitest';
import { HANDLER_IMPORTS, scanSources, summary } from './helpers.js';

function resourceHandler(register: string, afterRestore = '    id = UUID.randomUUID();'): string {
  return `package app;
${HANDLER_IMPORTS}import java.util.UUID;
import org.crac.Core;
import org.crac.Resource;
public class H implements RequestHandler<String, String>, Resource {
  private UUID id;
  private java.util.Random rng;
  public H() {
    id = UUID.randomUUID();
${register}
  }
  public void beforeCheckpoint(org.crac.Context<? extends Resource> c) {
    rng = new java.util.Random();
  }
  public void afterRestore(org.crac.Context<? extends Resource> c) {
${afterRestore}
  }
  public String handleRequest(String s, Context c) { return s + id; }
}
`;
}

/** A handler whose init makes two java.util.Random generators (a static one and an instance one), reseeded in afterRestore. */
function reseedHandler(register: string, afterRestore: string): string {
  return `package app;
${HANDLER_IMPORTS}import java.util.Random;
import org.crac.Core;
import org.crac.Resource;
public class UuidH implements RequestHandler<String, String>, Resource {
  private static final Random RANDOM = new Random();
  private static final java.security.SecureRandom SEEDS = new java.security.SecureRandom();
  private static final long FIXED = 7L;
  private final Random other = new Random(1);
  private Random rng = new Random();
  public UuidH() {
${register}
  }
  public void beforeCheckpoint(org.crac.Context<? extends Resource> c) {}
  public void afterRestore(org.crac.Context<? extends Resource> c) {
${afterRestore}
  }
  public String handleRequest(String s, Context c) { return s + RANDOM.nextLong() + rng.nextLong() + other.nextLong(); }
}
`;
}

describe('java-scanner CRaC awareness', () => {
  it('does not report a field re-created in afterRestore of a registered resource, but does report beforeCheckpoint state', async () => {
    const result = await scanSources({ 'app/H.java': resourceHandler('    Core.getGlobalContext().register(this);') });
    expect(summary(result)).toEqual(['app/H.java:15 java/no-init-random rng']);
  });

  it('reports an unregistered resource, and the field its afterRestore would have fixed', async () => {
    const result = await scanSources({ 'app/H.java': resourceHandler('') });
    expect(summary(result)).toEqual([
      'app/H.java:7 java/crac-resource-not-registered',
      'app/H.java:11 java/no-init-uuid id',
      'app/H.java:15 java/no-init-random rng',
    ]);
  });

  it.each([
    ['new SecureRandom().nextLong()', '    RANDOM.setSeed(new java.security.SecureRandom().nextLong());\n    rng.setSeed(new java.security.SecureRandom().nextLong());'],
    ['a local drawn from a SecureRandom field', '    long seed = SEEDS.nextLong();\n    UuidH.RANDOM.setSeed(seed);\n    rng.setSeed(seed + 1);'],
    ['System.nanoTime(), through this.field', '    RANDOM.setSeed(System.nanoTime());\n    this.rng.setSeed(System.nanoTime());'],
  ])('does not report a generator reseeded in afterRestore of a registered resource from %s', async (_what, reseed) => {
    const result = await scanSources({ 'app/UuidH.java': reseedHandler('    Core.getGlobalContext().register(this);', reseed) });
    expect(summary(result)).toEqual([]);
  });

  it.each([
    ['a constant seed', '    RANDOM.setSeed(42);\n    rng.setSeed(42L);', ['app/UuidH.java:8 java/no-init-random RANDOM', 'app/UuidH.java:12 java/no-init-random rng']],
    ['draws from generators the snapshot holds (itself, Math.random)', '    RANDOM.setSeed(RANDOM.nextLong());\n    rng.setSeed((long) (Math.random() * 1e18));', ['app/UuidH.java:8 java/no-init-random RANDOM', 'app/UuidH.java:12 java/no-init-random rng']],
    ['a constant field as seed, and a fresh seed given to another generator', '    RANDOM.setSeed(FIXED);\n    other.setSeed(SEEDS.nextLong());', ['app/UuidH.java:8 java/no-init-random RANDOM', 'app/UuidH.java:12 java/no-init-random rng']],
  ])('still reports a generator reseeded in afterRestore with %s', async (_what, reseed, expected) => {
    const result = await scanSources({ 'app/UuidH.java': reseedHandler('    Core.getGlobalContext().register(this);', reseed) });
    expect(summary(result)).toEqual(expected);
  });

  it('still reports a generator reseeded from SecureRandom in afterRestore when the resource is not registered', async () => {
    const result = await scanSources({ 'app/UuidH.java': reseedHandler('', '    RANDOM.setSeed(new java.security.SecureRandom().nextLong());\n    rng.setSeed(System.nanoTime());') });
    expect(summary(result)).toEqual(['app/UuidH.java:7 java/crac-resource-not-registered', 'app/UuidH.java:8 java/no-init-random RANDOM', 'app/UuidH.java:12 java/no-init-random rng']);
  });

  it('reports resources registered without a strong reference', async () => {
    const src = `package app;
${HANDLER_IMPORTS}import org.crac.Core;
import org.crac.Resource;
public class H implements RequestHandler<String, String> {
  public H() {
    Core.getGlobalContext().register(new Resource() {
      public void beforeCheckpoint(org.crac.Context<? extends Resource> c) {}
      public void afterRestore(org.crac.Context<? extends Resource> c) {}
    });
    Core.getGlobalContext().register(new Refresher());
  }
  public String handleRequest(String s, Context c) { return s; }
}
`;
    const refresher = `package app;
import org.crac.Resource;
public class Refresher implements Resource {
  public void beforeCheckpoint(org.crac.Context<? extends Resource> c) {}
  public void afterRestore(org.crac.Context<? extends Resource> c) {}
}
`;
    const result = await scanSources({ 'app/H.java': src, 'app/Refresher.java': refresher });
    expect(summary(result)).toEqual(['app/H.java:8 java/crac-resource-weakly-held', 'app/H.java:12 java/crac-resource-weakly-held']);
    expect(result.findings[0]!.message).toContain('An anonymous Resource');
  });
});

describe('java-scanner suppressions', () => {
  it.each([
    ['@SuppressFBWarnings("AWS_LAMBDA_SNAP_START_BUG") on the class', '@SuppressFBWarnings("AWS_LAMBDA_SNAP_START_BUG")\n', '', ''],
    ['@SuppressFBWarnings(value = "SNAP_START") on the field', '', '  @SuppressFBWarnings(value = "SNAP_START", justification = "deploy id")\n', ''],
    ['@SuppressWarnings("snapstart") on the constructor', '', '', '  @SuppressWarnings("snapstart")\n'],
  ])('honours %s', async (_what, onClass, onField, onCtor) => {
    const src = `package app;
${HANDLER_IMPORTS}import java.util.UUID;
${onClass}public class H implements RequestHandler<String, String> {
${onField}  private final UUID id;
${onCtor}  public H() { id = UUID.randomUUID(); }
  public String handleRequest(String s, Context c) { return s + id; }
}
`;
    const result = await scanSources({ 'app/H.java': src });
    expect(summary(result)).toEqual([]);
    expect(result.stats.suppressed).toBe(1);
  });
});
