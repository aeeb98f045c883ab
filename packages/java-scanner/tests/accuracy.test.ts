// Detection-accuracy families of issue #12 that exist in Java: CRaC resources registered through
// their own accessor, values fetched through a provider whose cache reads the clock, deterministic
// seeds, age checks and killed definitions.
import { describe, expect, it } from 'vitest';
import { HANDLER_IMPORTS, scanSources, summary } from './helpers.js';

const handler = (fields: string, ctor: string, body: string, extraImports = ''): string => `package app;
${HANDLER_IMPORTS}import java.util.*;
import java.time.*;
${extraImports}public class H implements RequestHandler<String, String> {
${fields}
  public H() {
${ctor}
  }
  public String handleRequest(String s, Context c) {
${body}
  }
}
`;

/** powertools-lambda-java ParametersFunction and its provider stack, reduced to the same shape (issue #20). */
const parametersFunction = `package app;
${HANDLER_IMPORTS}import java.util.Map;
public class ParametersFunction implements RequestHandler<String, String> {
  SSMProvider ssmProvider = SSMProvider.builder().withMaxAge(30).build();
  Map<String, String> allValues = ssmProvider.getMultiple("/powertools-java/sample");
  public String handleRequest(String s, Context c) { return allValues.get(s); }
}
`;
const baseProvider = `package app;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
public abstract class BaseProvider {
  private final Clock clock = Clock.systemUTC();
  protected final CacheManager cacheManager = new CacheManager();
  protected abstract Map<String, String> getMultipleValues(String path);
  public Map<String, String> getMultiple(String path) {
    String key = path + "_multi";
    return (Map<String, String>) cacheManager.getIfNotExpired(key, now()).orElseGet(() -> {
      Map<String, String> params = getMultipleValues(path);
      cacheManager.putInCache(key, params);
      return params;
    });
  }
  private Instant now() { return clock.instant(); }
}
`;
const ssmProvider = `package app;
import java.util.HashMap;
import java.util.Map;
public class SSMProvider extends BaseProvider {
  private final int maxAge;
  SSMProvider(int maxAge) { this.maxAge = maxAge; }
  public static Builder builder() { return new Builder(); }
  protected Map<String, String> getMultipleValues(String path) { return new HashMap<>(); }
  public static class Builder {
    private int maxAge = 5;
    public Builder withMaxAge(int s) { this.maxAge = s; return this; }
    public SSMProvider build() { return new SSMProvider(maxAge); }
  }
}
`;
const cacheManager = `package app;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
public class CacheManager {
  private final Map<String, Object> values = new HashMap<>();
  private final Map<String, Instant> expiry = new HashMap<>();
  public <T> Optional<T> getIfNotExpired(String key, Instant now) {
    Instant until = expiry.get(key);
    if (until != null && until.isAfter(now)) return Optional.of((T) values.get(key));
    return Optional.empty();
  }
  public void putInCache(String key, Object value) { values.put(key, value); expiry.put(key, Instant.now().plusSeconds(5)); }
}
`;
describe('java-scanner accuracy (issue #12)', () => {
  it('a CRaC resource registered through its own static accessor is registered', async () => {
    const source = `package app;
import org.crac.Core;
import org.crac.Resource;
import org.crac.Context;
public final class Cache implements Resource {
  private static final Cache INSTANCE = new Cache();
  private java.util.UUID token = java.util.UUID.randomUUID();
  private Cache() {}
  public static Cache get() { return INSTANCE; }
  static { Core.getGlobalContext().register(get()); }
  public void beforeCheckpoint(Context<? extends Resource> c) {}
  public void afterRestore(Context<? extends Resource> c) { token = java.util.UUID.randomUUID(); }
  public String token() { return token.toString(); }
}
`;
    const result = await scanSources({ 'app/Cache.java': source });
    expect(summary(result).filter((s) => s.includes('crac-resource-not-registered'))).toEqual([]);
  });

  it('a value fetched at init through a provider is not a timestamp because the provider reads the clock for its cache', async () => {
    const provider = `package app;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
public class ParamProvider {
  private final Clock clock = Clock.systemUTC();
  private final Map<String, Instant> fetchedAt = new HashMap<>();
  private final Map<String, String> values = new HashMap<>();
  public String get(String name) {
    Instant now = clock.instant();
    Instant at = fetchedAt.get(name);
    if (at == null || now.isAfter(at.plusSeconds(300))) {
      values.put(name, load(name));
      fetchedAt.put(name, now);
    }
    return values.get(name);
  }
  private String load(String name) { return "value-of-" + name; }
}
`;
    const h = handler('  private final String tableName;', '    tableName = new ParamProvider().get("/app/table");', '    return tableName + s;');
    const result = await scanSources({ 'app/H.java': h, 'app/ParamProvider.java': provider });
    expect(summary(result)).toEqual([]);
  });

  it('a provider that returns the clock reading itself is still a timestamp', async () => {
    const provider = `package app;
import java.time.Instant;
public class Stamps {
  public Instant startedAt() { Instant now = Instant.now(); return now; }
}
`;
    const h = handler('  private final Instant started;', '    started = new Stamps().startedAt();', '    return started + s;');
    const result = await scanSources({ 'app/H.java': h, 'app/Stamps.java': provider });
    expect(summary(result)).toEqual(['app/H.java:9 java/no-init-time started']);
  });

  it('deterministic seeds are not reported; unseeded generators are', async () => {
    const h = handler(
      '  private final Random fixed = new Random(42);\n  private final Random configured = new Random(Long.getLong("seed", 7L));\n  private final Random unseeded = new Random();',
      '',
      '    return s + fixed.nextInt() + configured.nextInt() + unseeded.nextInt();',
    );
    const result = await scanSources({ 'app/H.java': h });
    expect(summary(result)).toEqual(['app/H.java:9 java/no-init-random unseeded']);
  });

  it('an init timestamp used only for an age check is not reported; one returned is', async () => {
    const ttl = handler(
      '  private long loadedAt = System.currentTimeMillis();\n  private Map<String, String> cache = new HashMap<>();',
      '',
      '    if (System.currentTimeMillis() - loadedAt > 60_000) { cache.clear(); loadedAt = System.currentTimeMillis(); }\n    return cache.getOrDefault(s, s);',
    );
    expect(summary(await scanSources({ 'app/H.java': ttl }))).toEqual([]);
    const leaked = handler('  private final long loadedAt = System.currentTimeMillis();', '', '    return s + loadedAt;');
    expect(summary(await scanSources({ 'app/H.java': leaked }))).toEqual(['app/H.java:7 java/no-init-time loadedAt']);
  });

  it('a field overwritten at the start of the handler before any read is not reported', async () => {
    const h = handler('  private long requestStart = System.nanoTime();', '', '    requestStart = System.nanoTime();\n    return s + (System.nanoTime() - requestStart);');
    expect(summary(await scanSources({ 'app/H.java': h }))).toEqual([]);
  });

  it('a clock reading passed to a cache lookup is not in the looked-up value (provider built by a builder in another field)', async () => {
    const files = { 'app/ParametersFunction.java': parametersFunction, 'app/BaseProvider.java': baseProvider, 'app/SSMProvider.java': ssmProvider, 'app/CacheManager.java': cacheManager };
    expect(summary(await scanSources(files, { parseEverything: true }))).toEqual([]);
    expect(summary(await scanSources(files))).toEqual([]);
    // The cache manager is a library (not in the scanned tree): its expiry lookup is known by name.
    const { ['app/CacheManager.java']: _library, ...withoutCache } = files;
    expect(summary(await scanSources(withoutCache, { parseEverything: true }))).toEqual([]);
  });

  it('a project method that returns its clock argument, or keeps it in the object it returns, still carries it', async () => {
    const util = `package app;
import java.time.Instant;
public class Stamp {
  private Instant at;
  public static Instant same(Instant t) { return t; }
  public Stamp with(Instant t) { this.at = t; return this; }
  public boolean isOlderThan(Instant t) { return at != null && at.isBefore(t); }
}
`;
    const h = handler('  private final Instant a;\n  private final Stamp b;\n  private final boolean c;', '    a = Stamp.same(Instant.now());\n    b = new Stamp().with(Instant.now());\n    c = new Stamp().isOlderThan(Instant.now());', '    return s + a + b + c;');
    expect(summary(await scanSources({ 'app/H.java': h, 'app/Stamp.java': util }))).toEqual(['app/H.java:11 java/no-init-time a', 'app/H.java:12 java/no-init-time b']);
  });
});
