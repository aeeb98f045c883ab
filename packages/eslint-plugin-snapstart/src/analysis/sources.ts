import type { Category } from '@snapstart/core';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { CALL, moduleRoot, symbolKey, type SymbolResolver } from './symbols.js';

/** How a source keeps entropy in the JS heap, so that merely calling it at init is a bug. */
export type EntropyCache = 'node-crypto' | 'webcrypto' | 'uuid' | 'nanoid';

export interface SourceSpec {
  /** Symbol key of the callee, see `symbolKey`. */
  readonly key: string;
  readonly category: Category;
  /** How the source is written in messages, e.g. "crypto.randomUUID()". */
  readonly label: string;
  /** Only a source when called without arguments (`new Date()`, `moment()`). */
  readonly noArgs?: boolean;
  readonly entropyCache?: EntropyCache;
}

/** A user-declared source, from rule options or `settings.snapstart.sources`. */
export interface CustomSource {
  /** Module specifier; omit for a global (e.g. "myApp.newId"). */
  readonly module?: string;
  /** Dotted export path inside the module, '' for the module itself (a default-export function). */
  readonly name: string;
  readonly category: Category;
  readonly noArgs?: boolean;
}

function mod(module: string, path: string, category: Category, extra: Partial<SourceSpec> = {}): SourceSpec {
  const label = `${path === '' ? module : `${module}.${path}`}()`.replaceAll('.()', '()');
  return { key: `${moduleRoot(module)}:${path}`, category, label, ...extra };
}

function glob(path: string, category: Category, extra: Partial<SourceSpec> = {}): SourceSpec {
  return { key: `global:${path}`, category, label: `${path}()`.replaceAll('.()', '()'), ...extra };
}

const C = CALL;

/** Every built-in source. Keys use the resolver's canonical spelling (see symbols.ts). */
export const BUILTIN_SOURCES: readonly SourceSpec[] = [
  // node:crypto
  mod('crypto', 'randomUUID', 'uuid', { entropyCache: 'node-crypto' }),
  mod('crypto', 'randomBytes', 'random'),
  mod('crypto', 'randomFillSync', 'random'),
  mod('crypto', 'randomFill', 'random'),
  mod('crypto', 'randomInt', 'random'),
  mod('crypto', 'getRandomValues', 'random'),
  mod('crypto', 'generatePrimeSync', 'secret'),
  mod('crypto', 'generateKeyPairSync', 'secret'),
  mod('crypto', 'generateKeyPair', 'secret'),
  mod('crypto', 'generateKeySync', 'secret'),
  mod('crypto', 'generateKey', 'secret'),
  mod('crypto', `createECDH.${C}.generateKeys`, 'secret'),
  mod('crypto', 'createDiffieHellman', 'secret'),
  mod('crypto', `createDiffieHellman.${C}.generateKeys`, 'secret'),
  mod('crypto', `getDiffieHellman.${C}.generateKeys`, 'secret'),
  mod('crypto', `createDiffieHellmanGroup.${C}.generateKeys`, 'secret'),
  // Web Crypto (globalThis.crypto, require('crypto').webcrypto)
  glob('crypto.randomUUID', 'uuid', { entropyCache: 'webcrypto' }),
  glob('crypto.getRandomValues', 'random'),
  glob('crypto.subtle.generateKey', 'secret'),
  // ID libraries
  mod('uuid', 'v1', 'uuid'),
  mod('uuid', 'v4', 'uuid', { entropyCache: 'uuid' }),
  mod('uuid', 'v6', 'uuid'),
  mod('uuid', 'v7', 'uuid'),
  mod('uuid/v1', '', 'uuid'),
  mod('uuid/v4', '', 'uuid'),
  mod('nanoid', 'nanoid', 'uuid', { entropyCache: 'nanoid' }),
  mod('nanoid', `customAlphabet.${C}`, 'uuid', { entropyCache: 'nanoid' }),
  mod('nanoid', `customRandom.${C}`, 'uuid'),
  mod('nanoid/non-secure', 'nanoid', 'uuid'),
  mod('ulid', 'ulid', 'uuid'),
  mod('ulid', 'monotonicFactory', 'uuid'),
  mod('ulidx', 'ulid', 'uuid'),
  mod('ulidx', 'monotonicFactory', 'uuid'),
  mod('@paralleldrive/cuid2', 'createId', 'uuid'),
  mod('@paralleldrive/cuid2', 'init', 'uuid'),
  mod('cuid', '', 'uuid'),
  mod('cuid', 'slug', 'uuid'),
  mod('ksuid', 'randomSync', 'uuid'),
  mod('ksuid', 'random', 'uuid'),
  mod('hyperid', '', 'uuid'),
  mod('short-uuid', 'generate', 'uuid'),
  mod('short-uuid', `${C}.new`, 'uuid'),
  mod('short-uuid', `${C}.generate`, 'uuid'),
  // Math.random and PRNG libraries (a PRNG made at init replays the same sequence in every clone)
  glob('Math.random', 'random'),
  mod('seedrandom', '', 'random'),
  mod('seedrandom', 'alea', 'random'),
  mod('seedrandom', 'xor128', 'random'),
  mod('seedrandom', 'xorwow', 'random'),
  mod('seedrandom', 'xorshift7', 'random'),
  mod('seedrandom', 'xor4096', 'random'),
  mod('seedrandom', 'tychei', 'random'),
  mod('seed-random', '', 'random'),
  mod('random-seed', 'create', 'random'),
  mod('mersenne-twister', '', 'random'),
  mod('chance', '', 'random'),
  mod('chance', 'Chance', 'random'),
  mod('random-js', 'MersenneTwister19937.autoSeed', 'random'),
  mod('random-js', 'nodeCrypto', 'random'),
  mod('@faker-js/faker', 'faker.string.uuid', 'uuid'),
  // Clocks
  glob('Date.now', 'time'),
  glob('Date', 'time', { noArgs: true, label: 'new Date()' }),
  glob('performance.now', 'time'),
  glob('process.hrtime', 'time'),
  glob('process.hrtime.bigint', 'time'),
  glob('process.uptime', 'time'),
  mod('moment', '', 'time', { noArgs: true }),
  mod('moment', 'utc', 'time', { noArgs: true }),
  mod('dayjs', '', 'time', { noArgs: true }),
  mod('luxon', 'DateTime.now', 'time'),
  mod('luxon', 'DateTime.local', 'time', { noArgs: true }),
  mod('luxon', 'DateTime.utc', 'time', { noArgs: true }),
];

export function customSourceSpec(source: CustomSource): SourceSpec {
  const path = source.name;
  const base = source.module === undefined ? glob(path, source.category) : mod(source.module, path, source.category);
  return source.noArgs ? { ...base, noArgs: true } : base;
}

/** A source key split back into its module (if any) and the last named path segment. */
function keyParts(key: string): { module?: string; lastName: string } {
  const isModule = key.startsWith('module:');
  const module = isModule ? key.slice(7, key.indexOf(':', 7)) : undefined;
  const path = key.slice(key.indexOf(':', isModule ? 7 : 0) + 1);
  const lastName = path.split('.').filter((s) => s !== CALL).at(-1) ?? '';
  return module === undefined ? { lastName } : { module, lastName };
}

/** Text fragments of which at least one must occur in a file for it to contain a source (pre-filter). */
export function sourceTriggers(specs: readonly SourceSpec[]): string[] {
  const out = new Set<string>();
  for (const spec of specs) {
    const { module, lastName } = keyParts(spec.key);
    // For a default-export function the only reliable text is the module specifier.
    if (lastName) out.add(lastName);
    if (module) out.add(module);
  }
  return [...out].filter((s) => s.length > 0);
}

/** Matches call and `new` expressions against a table of sources. */
export class SourceMatcher {
  private readonly byKey = new Map<string, SourceSpec>();
  /** Last path segments of every key: a cheap test before any resolution. */
  private readonly lastNames = new Set<string>();
  /** Text pre-filter: a file that matches none of these has no source. */
  readonly trigger: RegExp;

  /** Built once per distinct options (see analyze.ts), then shared by every file. */
  constructor(readonly specs: readonly SourceSpec[]) {
    const escaped = sourceTriggers(specs).map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.trigger = new RegExp(escaped.join('|'));
    for (const spec of specs) {
      this.byKey.set(spec.key, spec);
      this.lastNames.add(keyParts(spec.key).lastName);
    }
  }

  match(node: TSESTree.CallExpression | TSESTree.NewExpression, resolver: SymbolResolver): SourceSpec | undefined {
    if (!this.mightMatch(node.callee)) return undefined;
    const ref = resolver.resolve(node.callee);
    if (!ref) return undefined;
    const spec = this.byKey.get(symbolKey(ref));
    if (!spec) return undefined;
    if (spec.noArgs && node.arguments.length > 0) return undefined;
    return spec;
  }

  private mightMatch(callee: TSESTree.Node): boolean {
    // Identifiers can be aliases (`const r = Math.random`), so only member names are pre-checked.
    if (callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier) {
      return this.lastNames.has(callee.property.name);
    }
    return true;
  }
}
