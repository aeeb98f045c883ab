import { describe, expect, it } from 'vitest';
import { handlerWith, HANDLER_IMPORTS, scanSources, summary } from './helpers.js';

const H = 'app/H.java';

describe('java-scanner flows', () => {
  it.each([
    ['through a local', '  private String id;', '    String tmp = UUID.randomUUID().toString();\n    id = tmp;', 8],
    ['string concatenation', '  private String id;', '    id = "log-" + UUID.randomUUID() + ".txt";', 7],
    ['String.format', '  private String id;', '    id = String.format("%s-%d", "x", System.currentTimeMillis());', 7],
    ['a builder chain', '  private String id;', '    id = new StringBuilder().append("x").append(UUID.randomUUID()).toString();', 7],
    ['a wrapper object', '  private Holder id;', '    id = new Holder(UUID.randomUUID());', 7],
    ['this.field', '  private UUID id;', '    this.id = UUID.randomUUID();', 7],
    ['a ternary', '  private long t;', '    t = true ? System.nanoTime() : 0L;', 7],
    ['a collection filled at init', '  private final List<String> ids = new ArrayList<>();', '    ids.add(UUID.randomUUID().toString());', 7],
    ['a map filled at init', '  private final Map<String, Long> times = new HashMap<>();', '    this.times.put("boot", System.currentTimeMillis());', 7],
  ])('reports a value stored %s', async (_what, fields, body, line) => {
    const result = await scanSources({ [H]: handlerWith(fields, body, 'import java.util.*;\n') });
    expect(summary(result).map((s) => s.split(' ')[0])).toEqual([`${H}:${line + 2}`]);
  });

  it('does not report values used only during init', async () => {
    const body = '    long t0 = System.currentTimeMillis();\n    warm();\n    System.out.println("init took " + (System.currentTimeMillis() - t0));\n    String probe = UUID.randomUUID().toString();\n    check(probe);';
    const result = await scanSources({ [H]: handlerWith('  private final String name = "fixed";\n  void warm() {}\n  void check(String s) {}', body, 'import java.util.*;\n') });
    expect(summary(result)).toEqual([]);
  });

  it('does not report values created in the handler method', async () => {
    const src = `package app;
${HANDLER_IMPORTS}import java.util.UUID;
public class H implements RequestHandler<String, String> {
  private String lastId;
  public String handleRequest(String in, Context c) { lastId = UUID.randomUUID().toString(); return lastId; }
}
`;
    expect(summary(await scanSources({ [H]: src }))).toEqual([]);
  });

  it('follows helper methods that return a source, in the class and in other classes', async () => {
    const src = `package app;
${HANDLER_IMPORTS}import java.util.UUID;
public class H implements RequestHandler<String, String> {
  private static final String LOG = "app.log." + Times.stamp();
  private final String id = newId();
  private String newId() { return UUID.randomUUID().toString() + "-x"; }
  public String handleRequest(String in, Context c) { return LOG + id; }
}
`;
    const times = `package app;
public final class Times {
  private Times() {}
  public static long stamp() { return System.currentTimeMillis(); }
}
`;
    const result = await scanSources({ [H]: src, 'app/Times.java': times });
    expect(summary(result)).toEqual([`${H}:6 java/no-init-time LOG`, `${H}:7 java/no-init-uuid id`]);
    expect(result.findings[0]!.message).toContain('`System.currentTimeMillis()` (in `Times`, line 4)');
  });

  it('follows methods called from the constructor, several levels deep, and static and instance initializer blocks', async () => {
    const src = `package app;
${HANDLER_IMPORTS}import java.util.*;
public class H implements RequestHandler<String, String> {
  private static long boot;
  private double jitter;
  private UUID id;
  static { boot = System.nanoTime(); }
  { jitter = Math.random(); }
  public H() { setup(); }
  private void setup() { configure(); }
  private void configure() { id = UUID.randomUUID(); }
  public String handleRequest(String in, Context c) { return in + id + boot + jitter; }
}
`;
    const result = await scanSources({ [H]: src });
    expect(summary(result)).toEqual([`${H}:9 java/no-init-time boot`, `${H}:10 java/no-init-random jitter`, `${H}:13 java/no-init-uuid id`]);
    expect(result.findings[2]!.message).toContain('`H.configure` is called (line 12), `H.setup` is called (line 11), constructor of `H`');
  });

  it('reports an object whose constructor stores generator state where the handler keeps it', async () => {
    const lib = `package app;
import java.util.Random;
public class Dice {
  private final Random random;
  public Dice() { this.random = new Random(); }
  public int roll() { return random.nextInt(6); }
}
`;
    const src = `package app;
${HANDLER_IMPORTS}public class H implements RequestHandler<String, String> {
  private static final Dice SHARED = new Dice();
  private final Dice dice;
  private final int firstRoll;
  public H() { dice = new Dice(); firstRoll = dice.roll(); }
  public String handleRequest(String in, Context c) { return in + dice.roll() + SHARED.roll() + firstRoll; }
}
`;
    const result = await scanSources({ [H]: src, 'app/Dice.java': lib });
    expect(summary(result)).toEqual([`${H}:5 java/no-init-random SHARED`, `${H}:8 java/no-init-random dice`, `${H}:8 java/no-init-random firstRoll`]);
  });

  it('reports generators that are injected or of unknown origin, but not SecureRandom', async () => {
    const src = `package app;
${HANDLER_IMPORTS}import java.security.SecureRandom;
import java.util.Random;
public class H implements RequestHandler<String, String> {
  private final Random injected;
  private final Random cast;
  private final Random upcast;
  private final SecureRandom secure;
  public H(Random rng, SecureRandom sec) {
    this.injected = rng;
    this.cast = Random.class.cast(sec);
    this.upcast = sec;
    this.secure = sec;
  }
  public String handleRequest(String in, Context c) { return in; }
}
`;
    expect(summary(await scanSources({ [H]: src }))).toEqual([`${H}:12 java/no-init-random injected`, `${H}:13 java/no-init-random cast`]);
  });

  it('handles Java 17-21 syntax: records, sealed types, switch expressions, text blocks, var', async () => {
    const src = `package app;
${HANDLER_IMPORTS}import java.util.UUID;
public class H implements RequestHandler<String, String> {
  sealed interface Shape permits Circle {}
  record Circle(double r) implements Shape {}
  private static final String BANNER = """
      hello
      """;
  private final String id;
  public H() {
    var raw = UUID.randomUUID();
    int n = switch (raw.version()) { case 4 -> 1; default -> 0; };
    id = raw.toString() + n;
  }
  public String handleRequest(String in, Context c) { return BANNER + id; }
}
`;
    const result = await scanSources({ [H]: src });
    expect(result.diagnostics).toEqual([]);
    expect(summary(result)).toEqual([`${H}:15 java/no-init-uuid id`]);
  });
});

describe('java-scanner: init timing code is not a unique value', () => {
  it('does not report durations measured during init (clock minus clock, Duration.between, until)', async () => {
    const fields = '  private final long constructorTime;\n  private final Duration warmup;\n  private final long untilMs;\n  void warm() {}';
    const body = [
      '    long start = System.currentTimeMillis();',
      '    Instant begin = Instant.now();',
      '    warm();',
      '    constructorTime = System.currentTimeMillis() - start;',
      '    warmup = Duration.between(begin, Instant.now());',
      '    untilMs = begin.until(Instant.now(), ChronoUnit.MILLIS);',
    ].join('\n');
    const result = await scanSources({ [H]: handlerWith(fields, body, 'import java.time.*;\nimport java.time.temporal.ChronoUnit;\n') });
    expect(summary(result)).toEqual([]);
  });

  it('does not report a Timer utility that records init phases, nor its start field used only as a baseline', async () => {
    const timer = `package app;
import java.util.LinkedHashMap;
import java.util.Map;
public final class Timer {
  private final Map<String, Long> phases = new LinkedHashMap<>();
  private long last;
  public void start() { last = System.nanoTime(); }
  public void phase(String name) {
    long now = System.nanoTime();
    phases.put(name, now - last);
    last = now;
  }
  public Map<String, Long> phases() { return phases; }
}
`;
    const src = `package app;
${HANDLER_IMPORTS}
public class H implements RequestHandler<String, String> {
  private static final long LOADED_AT = System.nanoTime();
  private final Timer timer = new Timer();
  private final long initNanos;
  public H() {
    timer.start();
    timer.phase("config");
    initNanos = System.nanoTime() - LOADED_AT;
  }
  public String handleRequest(String in, Context c) { return in + timer.phases() + initNanos; }
}
`;
    const result = await scanSources({ [H]: src, 'app/Timer.java': timer });
    expect(summary(result)).toEqual([]);
  });

  it('still reports a clock reading that is read other than as a baseline', async () => {
    const src = `package app;
${HANDLER_IMPORTS}import java.time.Instant;
public class H implements RequestHandler<String, String> {
  private final long startedAt = System.currentTimeMillis();
  private final Instant bootedAt = Instant.now();
  public String handleRequest(String in, Context c) {
    long uptime = System.currentTimeMillis() - startedAt;
    return "booted " + bootedAt + " session-" + startedAt + " up " + uptime;
  }
}
`;
    expect(summary(await scanSources({ [H]: src }))).toEqual([`${H}:6 java/no-init-time startedAt`, `${H}:7 java/no-init-time bootedAt`]);
  });

  it('keeps reporting a public baseline field that an unparsed file may read', async () => {
    const src = `package app;
${HANDLER_IMPORTS}
public class H implements RequestHandler<String, String> {
  public static final long STARTED = System.currentTimeMillis();
  public String handleRequest(String in, Context c) { return in + (System.currentTimeMillis() - STARTED); }
}
`;
    // This file has no source call and no handler marker, so it is not parsed: it could do anything with STARTED.
    const other = 'package app;\npublic class Banner {\n  public String text() { return "started at " + H.STARTED; }\n}\n';
    expect(summary(await scanSources({ [H]: src, 'app/Banner.java': other }))).toEqual([`${H}:6 java/no-init-time STARTED`]);
    expect(summary(await scanSources({ [H]: src }))).toEqual([]);
  });

  it('skips disabled profiling code: if (false), static final boolean flags, early returns', async () => {
    const profiler = `package app;
public final class Profiler {
  private static final boolean ENABLED = false;
  private static long mark;
  public static void mark() {
    if (!ENABLED) return;
    mark = System.currentTimeMillis();
  }
  public static long mark2() { return mark; }
}
`;
    const src = `package app;
${HANDLER_IMPORTS}import java.util.UUID;
public class H implements RequestHandler<String, String> {
  private static final boolean PROFILE = false;
  private long t0;
  private String traceId;
  private String liveId;
  public H() {
    Profiler.mark();
    if (PROFILE && t0 == 0) { t0 = System.nanoTime(); }
    if (false) traceId = UUID.randomUUID().toString();
    if (H.PROFILE) { traceId = UUID.randomUUID().toString(); } else { liveId = UUID.randomUUID().toString(); }
  }
  public String handleRequest(String in, Context c) { return in + t0 + traceId + liveId + Profiler.mark2(); }
}
`;
    expect(summary(await scanSources({ [H]: src, 'app/Profiler.java': profiler }))).toEqual([`${H}:14 java/no-init-uuid liveId`]);
  });
});
