/**
 * What kind of unique value a finding is about. Every analyzer (ESLint, Java, harness) speaks
 * in these terms so that a SARIF report or a baseline can mix languages.
 */
export const CATEGORIES = ['uuid', 'random', 'time', 'secret', 'entropy-cache', 'other'] as const;

export type Category = (typeof CATEGORIES)[number];

/** The categories a user-declared source may have (an entropy cache is a library's state, not a value). */
export const SOURCE_CATEGORIES = CATEGORIES.filter((c): c is Exclude<Category, 'entropy-cache'> => c !== 'entropy-cache');

export const CATEGORY_DESCRIPTIONS: Readonly<Record<Category, string>> = {
  uuid: 'unique identifiers (UUIDs, nanoid, ULID, cuid, KSUID, …)',
  random: 'random numbers and pseudo-random generator state',
  time: 'timestamps and clock readings',
  secret: 'keys, key pairs and other secret material',
  'entropy-cache': 'runtime entropy caches that a snapshot captures (Node randomUUID)',
  other: 'user-configured sources of unique values',
};

export function isCategory(value: unknown): value is Category {
  return typeof value === 'string' && (CATEGORIES as readonly string[]).includes(value);
}
