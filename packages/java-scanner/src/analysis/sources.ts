import type { Category } from '@snapstart/core';

/** A user-declared Java source: a method of a class (simple or qualified class name). */
export interface JavaCustomSource {
  readonly owner: string;
  readonly method: string;
  readonly category: Category;
}

/** Static methods `Owner.method()` that create unique values. */
const STATIC_SOURCES: ReadonlyMap<string, Category> = new Map([
  ['UUID.randomUUID', 'uuid'],
  ['Math.random', 'random'],
  ['StrictMath.random', 'random'],
  ['ThreadLocalRandom.current', 'random'],
  ['System.currentTimeMillis', 'time'],
  ['System.nanoTime', 'time'],
  ['Instant.now', 'time'],
  ['LocalDate.now', 'time'],
  ['LocalTime.now', 'time'],
  ['LocalDateTime.now', 'time'],
  ['ZonedDateTime.now', 'time'],
  ['OffsetDateTime.now', 'time'],
  ['OffsetTime.now', 'time'],
  ['Year.now', 'time'],
  ['YearMonth.now', 'time'],
  ['MonthDay.now', 'time'],
  ['Calendar.getInstance', 'time'],
  ['GregorianCalendar.getInstance', 'time'],
  ['Clock.systemUTC', 'time'],
  ['Clock.systemDefaultZone', 'time'],
]);

/** Types whose instances are pseudo-random generators (SecureRandom is deliberately absent). */
export const PRNG_TYPES = new Set(['Random', 'SplittableRandom', 'ThreadLocalRandom']);
const PRNG_METHOD = /^(next\w*|ints|longs|doubles|split)$/;

/** Where a value comes from, as shown in messages. */
export interface SourceHit {
  readonly label: string;
  readonly category: Category;
}

export class JavaSources {
  private readonly custom = new Map<string, Category>();

  constructor(custom: readonly JavaCustomSource[] = []) {
    for (const s of custom) this.custom.set(`${s.owner.split('.').at(-1)}.${s.method}`, s.category);
  }

  /** `Owner.method(…)` with a statically known owner (from the qualifier or a static import). */
  staticCall(owner: string, method: string): SourceHit | undefined {
    const key = `${owner}.${method}`;
    const custom = this.custom.get(key);
    if (custom) return { label: `${key}()`, category: custom };
    const builtin = STATIC_SOURCES.get(key);
    if (builtin) {
      // Clock.systemUTC() itself is not a reading; only its instant()/millis() are (see instanceCall).
      if (owner === 'Clock') return undefined;
      return { label: `${key}()`, category: builtin };
    }
    if (owner === 'RandomStringUtils' && /^random/.test(method)) return { label: `${key}()`, category: 'random' };
    if (owner === 'RandomUtils' && /^next/.test(method)) return { label: `${key}()`, category: 'random' };
    return undefined;
  }

  /** `receiver.method(…)` where the receiver's declared type (simple name) is known, if at all. */
  instanceCall(receiverType: string | undefined, method: string, argCount: number): SourceHit | undefined {
    // Values drawn at init are captured even from a SecureRandom (only the generator is reseeded).
    if (receiverType && (PRNG_TYPES.has(receiverType) || receiverType === 'SecureRandom') && PRNG_METHOD.test(method)) {
      return { label: `${receiverType}.${method}()`, category: 'random' };
    }
    if (receiverType === 'Clock' && (method === 'instant' || method === 'millis')) return { label: `Clock.${method}()`, category: 'time' };
    if (method === 'generateKeyPair' || method === 'genKeyPair') return { label: `KeyPairGenerator.${method}()`, category: 'secret' };
    if (method === 'generateKey' && argCount === 0 && (receiverType === undefined || receiverType === 'KeyGenerator')) {
      return { label: 'KeyGenerator.generateKey()', category: 'secret' };
    }
    if (method === 'generateSeed' && argCount === 1) return { label: 'SecureRandom.generateSeed()', category: 'secret' };
    if (receiverType) {
      const custom = this.custom.get(`${receiverType}.${method}`);
      if (custom) return { label: `${receiverType}.${method}()`, category: custom };
    }
    return undefined;
  }

  /** `new T(…)`. */
  construction(type: string, argCount: number): SourceHit | undefined {
    const simple = type.split('.').at(-1) ?? type;
    // With a seed, a generator replays a fixed sequence: a source only if the seed is (see flow.ts).
    if ((simple === 'Random' || simple === 'SplittableRandom') && argCount === 0) return { label: `new ${simple}()`, category: 'random' };
    if (simple === 'Date' && argCount === 0) return { label: 'new Date()', category: 'time' };
    if (simple === 'GregorianCalendar' && argCount === 0) return { label: 'new GregorianCalendar()', category: 'time' };
    return undefined;
  }

  /** Names a file must mention to possibly contain a source (for the pre-filter). */
  customTriggers(): string[] {
    return [...this.custom.keys()].map((k) => k.split('.').at(-1)!);
  }
}
