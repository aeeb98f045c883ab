import { describe, expect, it } from 'vitest';
import { scanSources, summary } from './helpers.js';

/** A handler that stores `expr` in a field, declared on line 9 with the assignment on line 11. */
function storing(type: string, expr: string, imports = ''): string {
  return `package app;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.*;
import java.time.*;
import java.security.*;
import javax.crypto.KeyGenerator;
${imports}public class H implements RequestHandler<String, String> {
  private final ${type} value;
  public H(Clock clock, SecureRandom secure, KeyPairGenerator kpg, KeyGenerator kg) {
    value = ${expr};
  }
  public String handleRequest(String in, Context c) { return in; }
}
`;
}

describe('java-scanner sources', () => {
  it.each([
    ['UUID', 'UUID.randomUUID()', 'java/no-init-uuid'],
    ['UUID', 'java.util.UUID.randomUUID()', 'java/no-init-uuid'],
    ['double', 'Math.random()', 'java/no-init-random'],
    ['double', 'StrictMath.random()', 'java/no-init-random'],
    ['Random', 'new Random()', 'java/no-init-random'],
    ['Random', 'new Random(System.nanoTime())', 'java/no-init-random'],
    ['SplittableRandom', 'new SplittableRandom()', 'java/no-init-random'],
    ['int', 'ThreadLocalRandom.current().nextInt()', 'java/no-init-random'],
    ['long', 'secure.nextLong()', 'java/no-init-random'],
    ['String', 'RandomStringUtils.randomAlphanumeric(12)', 'java/no-init-random'],
    ['int', 'RandomUtils.nextInt(0, 10)', 'java/no-init-random'],
    ['Instant', 'Instant.now()', 'java/no-init-time'],
    ['Instant', 'clock.instant()', 'java/no-init-time'],
    ['long', 'clock.millis()', 'java/no-init-time'],
    ['long', 'Clock.systemUTC().millis()', 'java/no-init-time'],
    ['long', 'System.currentTimeMillis()', 'java/no-init-time'],
    ['long', 'System.nanoTime()', 'java/no-init-time'],
    ['Date', 'new Date()', 'java/no-init-time'],
    ['Calendar', 'Calendar.getInstance()', 'java/no-init-time'],
    ['LocalDate', 'LocalDate.now()', 'java/no-init-time'],
    ['LocalTime', 'LocalTime.now()', 'java/no-init-time'],
    ['LocalDateTime', 'LocalDateTime.now()', 'java/no-init-time'],
    ['ZonedDateTime', 'ZonedDateTime.now()', 'java/no-init-time'],
    ['OffsetDateTime', 'OffsetDateTime.now(ZoneOffset.UTC)', 'java/no-init-time'],
    ['KeyPair', 'kpg.generateKeyPair()', 'java/no-init-secret'],
    ['KeyPair', 'kpg.genKeyPair()', 'java/no-init-secret'],
    ['javax.crypto.SecretKey', 'kg.generateKey()', 'java/no-init-secret'],
    ['byte[]', 'secure.generateSeed(16)', 'java/no-init-secret'],
  ])('%s value = %s → %s', async (type, expr, rule) => {
    const result = await scanSources({ 'app/H.java': storing(type, expr) });
    expect(summary(result)).toEqual([`app/H.java:11 ${rule} value`]);
    expect(result.diagnostics).toEqual([]);
  });

  it('resolves a static import of randomUUID', async () => {
    const result = await scanSources({ 'app/H.java': storing('UUID', 'randomUUID()', 'import static java.util.UUID.randomUUID;\n') });
    expect(summary(result)).toEqual(['app/H.java:12 java/no-init-uuid value']);
  });

  it.each([
    ['SecureRandom', 'new SecureRandom()'],
    ['SecureRandom', 'secure'],
    ['Random', 'secure'],
    ['Random', '(Random) secure'],
    ['Date', 'new Date(0L)'],
    ['Instant', 'Instant.ofEpochMilli(0)'],
    ['String', '"constant"'],
    ['UUID', 'UUID.fromString("6f1c1a3e-7f2b-4c7e-9a55-0f4bd7cf1f0a")'],
  ])('does not report %s value = %s', async (type, expr) => {
    const result = await scanSources({ 'app/H.java': storing(type, expr) });
    expect(summary(result)).toEqual([]);
  });

  it('accepts user-configured sources', async () => {
    const result = await scanSources(
      { 'app/H.java': storing('String', 'Ids.newInstanceId()', 'import com.acme.Ids;\n') },
      { sources: [{ owner: 'com.acme.Ids', method: 'newInstanceId', category: 'other' }] },
    );
    expect(summary(result)).toEqual(['app/H.java:12 java/no-init-custom-source value']);
  });
});
