// SOURCE_CATALOGUE: every TS/JS source snapstart knows (Node, the web platform, libraries, and
// init work hidden behind libraries), each with the release it was checked against. Both
// analyzers and docs/sources.md (generated: npm run docs:sources -w @snapstart/core) read it.
import type { Category } from './categories.js';
export { PYTHON_SOURCE_CATALOGUE, type PythonSourceEntry, type PythonSourceKind, type PythonSourceCondition } from './sources-python.js';

/**
 * Per-process state that a library creates on its first call and reuses on later calls. A call
 * during init puts that state into the snapshot, so values made later — even inside the handler —
 * repeat across clones. Reported by `no-init-entropy-cache` at the init call that creates it.
 */
export interface SourceState {
  /** Stable id (also the key of the advice the rule prints). */
  readonly id: string;
  /** Completes "… fills <what>, which the snapshot captures". */
  readonly what: string;
  /** Completes "values generated later … repeat across restored clones. <advice>." */
  readonly advice: string;
  /** The state is only created when the call has no `{ disableEntropyCache: true }` (Node's randomUUID): autofixable. */
  readonly disableEntropyCacheOption?: true;
}

/**
 * When a call of the source is one. Default: always.
 * - `no-args`: only without arguments (`new Date()`, `new ObjectId()`; `new Date(x)` parses x).
 * - `unseeded`: only when no seed is given (`seedrandom()`, not `seedrandom('fixed')`), or an
 *   options object asks for entropy (`{ entropy: true }`).
 * - `{ missingOption }`: only when no object-literal argument has that key (`mqtt.connect(url)`
 *   without `clientId`); a non-literal options object is given the benefit of the doubt.
 * - `unseeded-factory`: a draw (`chance.guid()`) from a generator made by a factory call with no
 *   seed (`new Chance()`); the factory call itself creates state but no value.
 * - `factory`: a draw from a generator whose factory always picks random state (`hyperid()`).
 * - `{ withOption }`: only when an object-literal argument sets that key to something other than
 *   `0`, `false`, `null` or `undefined` (`new Logger({ sampleRateValue: 0.1 })`).
 * For `unseeded-factory` and `factory`, a draw made after init from a generator made during init is reported at the
 * draw: the generator's state is in the snapshot, so every clone draws the same values.
 */
export type SourceCondition = 'no-args' | 'unseeded' | 'unseeded-factory' | 'factory' | { readonly missingOption: string } | { readonly withOption: string };

/** One way a program obtains a unique value or per-process random state: a catalogue entry. */
export interface SourceEntry {
  /**
   * npm package or Node built-in (`crypto`, also reached as `node:crypto`), or `global`. A trailing
   * `*` matches any rest of the name (`@aws-sdk/*`).
   */
  readonly module: string;
  /**
   * Dotted path under the module's exports (or the global object); `()` is the result of a call
   * or `new`; `*` one named segment (an identifier, not `()`), `**` any number of segments; '' the
   * module itself.
   */
  readonly path: string;
  /** What the value is; undefined when the call makes state but returns nothing unique (an SDK request). */
  readonly category?: Category;
  readonly when?: SourceCondition;
  readonly state?: SourceState;
  /** How messages write it; default derived from module and path. */
  readonly label?: string;
  /** The release the entry's behaviour was checked against. */
  readonly checked: string;
  /** Why it is a source (for the docs). */
  readonly why: string;
}

const NODE = 'Node.js 20.20';

const NODE_UUID_CACHE: SourceState = {
  id: 'node-uuid-cache',
  what: "Node's 128-UUID entropy cache",
  advice: 'Pass { disableEntropyCache: true }',
  disableEntropyCacheOption: true,
};
const NODE_RANDOMINT_CACHE: SourceState = {
  id: 'node-randomint-cache',
  what: "Node's 6 KiB randomInt() cache (1,024 draws, refilled only when used up)",
  advice: 'Call randomInt() in the handler only, or drain the cache after restore (1,024 calls of crypto.randomInt() in an after-restore hook)',
};
const WEBCRYPTO_UUID_CACHE: SourceState = {
  id: 'webcrypto-uuid-cache',
  what: "Node's 128-UUID entropy cache (shared with Web Crypto)",
  advice: "Web Crypto's randomUUID() takes no options: use randomUUID({ disableEntropyCache: true }) from node:crypto",
};
const UUID_POOL: SourceState = {
  id: 'uuid-v4-pool',
  what: "the uuid package's random state (for v4: Node's UUID cache in uuid ≥ 9, a 256-byte pool in 8.3; for v6/v7: the 256-byte pool, and v7's sequence)",
  advice: 'Use randomUUID({ disableEntropyCache: true }) from node:crypto, or make IDs in the handler only',
};
const UUID_V1_NODE: SourceState = {
  id: 'uuid-v1-node',
  what: "the uuid package's node id and clock sequence, chosen at random on the first v1 call",
  advice: 'Use v4 (randomUUID({ disableEntropyCache: true })) or v7, or make no v1/v6 UUID during init',
};
const NANOID_POOL: SourceState = {
  id: 'nanoid-pool',
  what: "nanoid's pool of random bytes",
  advice: 'Generate IDs in the handler only, or fill the pool after restore',
};
const OBJECTID_PROCESS: SourceState = {
  id: 'objectid-process',
  what: "the bson library's process-unique bytes and counter, which every later ObjectId embeds",
  advice: 'Create no ObjectId during init (ObjectIds made in the handler then share their process part and counter across clones)',
};
const AWS_SDK_INVOCATION_ID: SourceState = {
  id: 'aws-sdk-invocation-id',
  what: "Node's 128-UUID entropy cache, through the amz-sdk-invocation-id the AWS SDK v3 gives every request (global crypto.randomUUID())",
  advice:
    'Send no SDK request during init, or drain the cache after restore (128 calls of crypto.randomUUID() in an after-restore hook)',
};

const POWERTOOLS_LOG_SAMPLING: SourceState = {
  id: 'powertools-logger-sampling',
  what: "Powertools Logger's debug-sampling decision (drawn with crypto.randomInt() in the constructor when a sample rate is set; the first refreshSampleRateCalculation() keeps it, and later ones draw from the randomInt() cache that draw filled)",
  advice:
    'Every clone logs its first invocation at the level the snapshot drew: create the Logger with a sample rate in the handler, or call logger.refreshSampleRateCalculation() twice in an after-restore hook',
};

const POWERTOOLS_PARAMETERS = '@aws-lambda-powertools/parameters 2.35.0 (SDK v3 clients)';
const POWERTOOLS_PARAMETERS_WHY =
  "a Powertools Parameters getter: the first call (not yet cached) sends an SDK v3 request, whose amz-sdk-invocation-id comes from the global crypto.randomUUID(): awaited at init, it fills Node's UUID cache";
const MIDDY_PREFETCH_WHY =
  "the middleware prefetches when it is created (unless disablePrefetch, awsClientAssumeRole or cacheExpiry: 0): an SDK v3 request at init, whose invocation id fills Node's UUID cache";

/** Init work hidden behind libraries: calls whose implementation sends SDK requests or draws random state. */
const LIBRARY_INIT_WORK: readonly SourceEntry[] = [
  ...(
    [
      ['ssm', 'getParameter'], ['ssm', 'getParameters'], ['ssm', 'getParametersByName'],
      ['ssm', 'SSMProvider.().get'], ['ssm', 'SSMProvider.().getMultiple'], ['ssm', 'SSMProvider.().getParametersByName'],
      ['secrets', 'getSecret'], ['secrets', 'SecretsProvider.().get'],
      ['appconfig', 'getAppConfig'], ['appconfig', 'AppConfigProvider.().get'],
      ['dynamodb', 'DynamoDBProvider.().get'], ['dynamodb', 'DynamoDBProvider.().getMultiple'],
    ] as const
  ).map(([sub, path]): SourceEntry => ({
    module: `@aws-lambda-powertools/parameters/${sub}`, path, state: AWS_SDK_INVOCATION_ID, checked: POWERTOOLS_PARAMETERS, why: POWERTOOLS_PARAMETERS_WHY,
  })),
  {
    module: '@aws-lambda-powertools/logger', path: 'Logger', when: { withOption: 'sampleRateValue' }, state: POWERTOOLS_LOG_SAMPLING, label: 'new Logger({ sampleRateValue })',
    checked: '@aws-lambda-powertools/logger 2.36.0', why: 'with a sample rate, the constructor draws whether this environment logs at DEBUG; refreshSampleRateCalculation() skips its first call, so the first invocation of every clone keeps the init draw',
  },
  { module: '@middy/ssm', path: '', when: { missingOption: 'disablePrefetch' }, state: AWS_SDK_INVOCATION_ID, label: 'ssm() middleware', checked: '@middy/ssm 7.9.2', why: MIDDY_PREFETCH_WHY },
  { module: '@middy/secrets-manager', path: '', when: { missingOption: 'disablePrefetch' }, state: AWS_SDK_INVOCATION_ID, label: 'secretsManager() middleware', checked: '@middy/secrets-manager 6.4.5', why: MIDDY_PREFETCH_WHY },
  { module: '@middy/sts', path: '', when: { missingOption: 'disablePrefetch' }, state: AWS_SDK_INVOCATION_ID, label: 'sts() middleware', checked: '@middy/sts 4.7.0', why: MIDDY_PREFETCH_WHY },
];

/**
 * Every source snapstart knows: Node's and the web platform's, and libraries' (each with the
 * release it was checked against). Both analyzers and the docs read this table; rules never
 * re-declare sources.
 */
export const SOURCE_CATALOGUE: readonly SourceEntry[] = [
  // node:crypto
  { module: 'crypto', path: 'randomUUID', category: 'uuid', state: NODE_UUID_CACHE, checked: NODE, why: 'a random UUID, served from a 128-UUID cache filled on the first call' },
  { module: 'crypto', path: 'randomBytes', category: 'random', checked: NODE, why: 'random bytes' },
  { module: 'crypto', path: 'randomFillSync', category: 'random', checked: NODE, why: 'random bytes' },
  { module: 'crypto', path: 'randomFill', category: 'random', checked: NODE, why: 'random bytes' },
  { module: 'crypto', path: 'randomInt', category: 'random', state: NODE_RANDOMINT_CACHE, checked: NODE, why: 'a random integer, taken from a 6 KiB cache of random bytes filled on the first call: later calls, even in the handler, draw the same integers in every clone until it is used up' },
  { module: 'crypto', path: 'getRandomValues', category: 'random', checked: NODE, why: 'random bytes' },
  { module: 'crypto', path: 'generatePrimeSync', category: 'secret', checked: NODE, why: 'a random prime' },
  { module: 'crypto', path: 'generateKeyPairSync', category: 'secret', checked: NODE, why: 'a key pair' },
  { module: 'crypto', path: 'generateKeyPair', category: 'secret', checked: NODE, why: 'a key pair' },
  { module: 'crypto', path: 'generateKeySync', category: 'secret', checked: NODE, why: 'a secret key' },
  { module: 'crypto', path: 'generateKey', category: 'secret', checked: NODE, why: 'a secret key' },
  { module: 'crypto', path: 'createECDH.().generateKeys', category: 'secret', checked: NODE, why: 'an ECDH key pair' },
  { module: 'crypto', path: 'createDiffieHellman', category: 'secret', checked: NODE, why: 'Diffie-Hellman parameters' },
  { module: 'crypto', path: 'createDiffieHellman.().generateKeys', category: 'secret', checked: NODE, why: 'a Diffie-Hellman key pair' },
  { module: 'crypto', path: 'getDiffieHellman.().generateKeys', category: 'secret', checked: NODE, why: 'a Diffie-Hellman key pair' },
  { module: 'crypto', path: 'createDiffieHellmanGroup.().generateKeys', category: 'secret', checked: NODE, why: 'a Diffie-Hellman key pair' },
  { module: 'fs', path: 'mkdtempSync', category: 'random', checked: NODE, why: 'a directory with a random name suffix: every clone uses the same path, on shared storage the same directory' },
  { module: 'fs', path: 'mkdtemp', category: 'random', checked: NODE, why: 'a directory with a random name suffix' },
  { module: 'fs', path: 'promises.mkdtemp', category: 'random', checked: NODE, why: 'a directory with a random name suffix' },
  { module: 'fs/promises', path: 'mkdtemp', category: 'random', checked: NODE, why: 'a directory with a random name suffix' },
  // Web Crypto (globalThis.crypto, require('crypto').webcrypto)
  { module: 'global', path: 'crypto.randomUUID', category: 'uuid', state: WEBCRYPTO_UUID_CACHE, checked: NODE, why: "a random UUID from Node's shared UUID cache" },
  { module: 'global', path: 'crypto.getRandomValues', category: 'random', checked: NODE, why: 'random bytes' },
  { module: 'global', path: 'crypto.subtle.generateKey', category: 'secret', checked: NODE, why: 'a secret key or key pair' },
  // Math.random and clocks
  { module: 'global', path: 'Math.random', category: 'random', checked: NODE, why: "a number from V8's per-isolate PRNG state" },
  { module: 'global', path: 'Date.now', category: 'time', checked: NODE, why: 'the wall clock' },
  { module: 'global', path: 'Date', category: 'time', when: 'no-args', label: 'new Date()', checked: NODE, why: 'the wall clock' },
  { module: 'global', path: 'performance.now', category: 'time', checked: NODE, why: 'a monotonic clock' },
  { module: 'global', path: 'process.hrtime', category: 'time', checked: NODE, why: 'a monotonic clock' },
  { module: 'global', path: 'process.hrtime.bigint', category: 'time', checked: NODE, why: 'a monotonic clock' },
  { module: 'global', path: 'process.uptime', category: 'time', checked: NODE, why: 'time since the process started' },
  // uuid
  { module: 'uuid', path: 'v1', category: 'uuid', state: UUID_V1_NODE, checked: 'uuid 9.0.1, 11.1.0', why: 'a time-based UUID; the first call picks a random node id and clock sequence kept for the process' },
  { module: 'uuid', path: 'v4', category: 'uuid', state: UUID_POOL, checked: 'uuid 8.3.2, 9.0.1, 11.1.0', why: "a random UUID from crypto.randomUUID()'s cache (9+) or a 256-byte pool (8.3)" },
  { module: 'uuid', path: 'v6', category: 'uuid', state: UUID_POOL, checked: 'uuid 11.1.0', why: "a time-based UUID whose random bits come from the package's 256-byte pool" },
  { module: 'uuid', path: 'v7', category: 'uuid', state: UUID_POOL, checked: 'uuid 11.1.0', why: 'a time-ordered UUID: random bits from the 256-byte pool, and a sequence kept per millisecond' },
  { module: 'uuid/v1', path: '', category: 'uuid', state: UUID_V1_NODE, checked: 'uuid 3.4.0', why: 'a time-based UUID (old deep import)' },
  { module: 'uuid/v4', path: '', category: 'uuid', state: UUID_POOL, checked: 'uuid 3.4.0', why: 'a random UUID (old deep import)' },
  // AWS SDKs
  {
    module: 'aws-sdk', path: 'util.uuid.v4', category: 'uuid', checked: 'aws-sdk 2.1692.0 (bundles uuid 8.0.0: crypto.randomBytes per call, no pool)',
    why: "SDK v2's bundled uuid v4 (often taken out by nested destructuring: `const { util: { uuid: { v4 } } } = require('aws-sdk')`)",
  },
  {
    module: '@aws-sdk/*', path: '**.().*', state: AWS_SDK_INVOCATION_ID, checked: '@aws-sdk/client-dynamodb 3.1169',
    why: 'a method of an SDK v3 object (client.send(), an aggregated client\'s describeTable(), a document client\'s get(), new Upload().done()): every request carries an amz-sdk-invocation-id from the global crypto.randomUUID(), so one request during init fills the UUID cache',
  },
  // ID libraries
  { module: 'nanoid', path: 'nanoid', category: 'uuid', state: NANOID_POOL, checked: 'nanoid 3.3.8, 5.0.9', why: 'an ID drawn from a pool of random bytes kept in the heap' },
  { module: 'nanoid', path: 'customAlphabet.()', category: 'uuid', state: NANOID_POOL, checked: 'nanoid 3.3.8, 5.0.9', why: 'an ID from the generator customAlphabet() returns (the factory draws nothing)' },
  { module: 'nanoid', path: 'customRandom.()', category: 'uuid', checked: 'nanoid 5.0.9', why: 'an ID from a caller-supplied random source' },
  { module: 'nanoid/non-secure', path: 'nanoid', category: 'uuid', checked: 'nanoid 5.0.9', why: 'an ID from Math.random()' },
  { module: 'ulid', path: 'ulid', category: 'uuid', checked: 'ulid 2.3.0', why: 'a time + random ID' },
  { module: 'ulid', path: 'monotonicFactory.()', category: 'uuid', checked: 'ulid 2.3.0', why: 'an ID from the generator monotonicFactory() returns (the factory draws nothing)' },
  { module: 'ulidx', path: 'ulid', category: 'uuid', checked: 'ulidx 2.4.1', why: 'a time + random ID' },
  { module: 'ulidx', path: 'monotonicFactory.()', category: 'uuid', checked: 'ulidx 2.4.1', why: 'an ID from the generator monotonicFactory() returns' },
  { module: '@paralleldrive/cuid2', path: 'createId', category: 'uuid', checked: '@paralleldrive/cuid2 2.2.2', why: 'a random ID' },
  { module: '@paralleldrive/cuid2', path: 'init.()', category: 'uuid', checked: '@paralleldrive/cuid2 2.2.2', why: 'an ID from the generator init() returns (each draw also hashes a fresh random salt, so later draws differ)' },
  { module: 'cuid', path: '', category: 'uuid', checked: 'cuid 3.0.0', why: 'a counter + random ID' },
  { module: 'cuid', path: 'slug', category: 'uuid', checked: 'cuid 3.0.0', why: 'a short counter + random ID' },
  { module: 'ksuid', path: 'randomSync', category: 'uuid', checked: 'ksuid 3.0.0', why: 'a time + random ID' },
  { module: 'ksuid', path: 'random', category: 'uuid', checked: 'ksuid 3.0.0', why: 'a time + random ID' },
  { module: 'hyperid', path: '()', category: 'uuid', when: 'factory', checked: 'hyperid 3.3.0', why: 'an ID from the generator hyperid() returns (random base + counter)' },
  { module: 'short-uuid', path: 'generate', category: 'uuid', checked: 'short-uuid 5.2.0', why: 'a random ID' },
  { module: 'short-uuid', path: '().new', category: 'uuid', checked: 'short-uuid 5.2.0', why: 'a random ID' },
  { module: 'short-uuid', path: '().generate', category: 'uuid', checked: 'short-uuid 5.2.0', why: 'a random ID' },
  { module: 'bson', path: 'ObjectId', category: 'uuid', when: 'no-args', state: OBJECTID_PROCESS, label: 'new ObjectId()', checked: 'bson 6.10.1', why: 'an ObjectId; the first one picks 5 process-unique random bytes and a counter start' },
  { module: 'bson', path: 'ObjectId.generate', category: 'uuid', state: OBJECTID_PROCESS, checked: 'bson 6.10.1', why: 'ObjectId bytes, as above' },
  { module: 'mongodb', path: 'ObjectId', category: 'uuid', when: 'no-args', state: OBJECTID_PROCESS, label: 'new ObjectId()', checked: 'mongodb 6.12.0 (bson 6)', why: "mongodb's re-export of bson's ObjectId" },
  { module: 'mongoose', path: 'Types.ObjectId', category: 'uuid', when: 'no-args', state: OBJECTID_PROCESS, label: 'new Types.ObjectId()', checked: 'mongoose 8.9.0 (bson 6)', why: "mongoose's re-export of bson's ObjectId" },
  { module: '@faker-js/faker', path: 'faker.string.uuid', category: 'uuid', checked: '@faker-js/faker 9.3.0', why: 'a random UUID' },
  // Clients that make a random identity when the caller gives none
  {
    module: 'mqtt', path: 'connect', category: 'uuid', when: { missingOption: 'clientId' }, label: 'mqtt.connect() without clientId', checked: 'mqtt 5.10.3',
    why: "without clientId the client calls itself 'mqttjs_' + 8 random hex digits; clones connecting with one id disconnect each other",
  },
  {
    module: 'mqtt', path: 'default.connect', category: 'uuid', when: { missingOption: 'clientId' }, label: 'mqtt.connect() without clientId', checked: 'mqtt 5.10.3',
    why: 'as above',
  },
  {
    module: 'mqtt', path: 'connectAsync', category: 'uuid', when: { missingOption: 'clientId' }, label: 'mqtt.connectAsync() without clientId', checked: 'mqtt 5.10.3',
    why: 'the promise API calls connect() with the same options: the same random client id',
  },
  {
    module: 'mqtt', path: 'default.connectAsync', category: 'uuid', when: { missingOption: 'clientId' }, label: 'mqtt.connectAsync() without clientId', checked: 'mqtt 5.10.3',
    why: 'as above',
  },
  // PRNG libraries: deterministic with a seed (not sources), random state without one
  { module: 'seedrandom', path: '', category: 'random', when: 'unseeded', label: 'seedrandom()', checked: 'seedrandom 3.0.5', why: 'without a seed (or with { entropy: true }), a PRNG seeded from crypto; with a seed, a fixed sequence' },
  { module: 'seedrandom', path: 'alea', category: 'random', when: 'unseeded', checked: 'seedrandom 3.0.5', why: 'as above' },
  { module: 'seedrandom', path: 'xor128', category: 'random', when: 'unseeded', checked: 'seedrandom 3.0.5', why: 'as above' },
  { module: 'seedrandom', path: 'xorwow', category: 'random', when: 'unseeded', checked: 'seedrandom 3.0.5', why: 'as above' },
  { module: 'seedrandom', path: 'xorshift7', category: 'random', when: 'unseeded', checked: 'seedrandom 3.0.5', why: 'as above' },
  { module: 'seedrandom', path: 'xor4096', category: 'random', when: 'unseeded', checked: 'seedrandom 3.0.5', why: 'as above' },
  { module: 'seedrandom', path: 'tychei', category: 'random', when: 'unseeded', checked: 'seedrandom 3.0.5', why: 'as above' },
  { module: 'seed-random', path: '', category: 'random', when: 'no-args', checked: 'seed-random 2.2.0', why: 'without an argument, a generator seeded from local entropy' },
  { module: 'random-seed', path: 'create', category: 'random', when: 'unseeded', checked: 'random-seed 0.3.0', why: 'without a seed, a PRNG seeded from Math.random() and the clock' },
  { module: 'mersenne-twister', path: '', category: 'random', when: 'unseeded', label: 'new MersenneTwister()', checked: 'mersenne-twister 1.1.0', why: 'without a seed, a PRNG seeded from new Date().getTime()' },
  { module: 'chance', path: '().*', category: 'random', when: 'unseeded-factory', label: 'chance.<draw>()', checked: 'chance 1.1.12', why: 'a draw from a Chance instance made without a seed (seeded from Math.random())' },
  { module: 'chance', path: 'Chance.().*', category: 'random', when: 'unseeded-factory', label: 'chance.<draw>()', checked: 'chance 1.1.12', why: 'as above' },
  { module: 'random-js', path: 'MersenneTwister19937.autoSeed', category: 'random', checked: 'random-js 2.1.0', why: 'a Mersenne Twister engine seeded with fresh entropy: kept past init, every clone replays it' },
  // Date libraries
  { module: 'moment', path: '', category: 'time', when: 'no-args', label: 'moment()', checked: 'moment 2.30.1', why: 'the current time' },
  { module: 'moment', path: 'utc', category: 'time', when: 'no-args', checked: 'moment 2.30.1', why: 'the current time' },
  { module: 'dayjs', path: '', category: 'time', when: 'no-args', label: 'dayjs()', checked: 'dayjs 1.11.13', why: 'the current time' },
  { module: 'luxon', path: 'DateTime.now', category: 'time', checked: 'luxon 3.5.0', why: 'the current time' },
  { module: 'luxon', path: 'DateTime.local', category: 'time', when: 'no-args', checked: 'luxon 3.5.0', why: 'the current time' },
  { module: 'luxon', path: 'DateTime.utc', category: 'time', when: 'no-args', checked: 'luxon 3.5.0', why: 'the current time' },
  ...LIBRARY_INIT_WORK,
];

/**
 * Packages whose presence (with no exported handler) marks a file as infrastructure code — a CDK,
 * Pulumi or SST app that runs at deploy time, not in a function. A trailing `*` matches any rest.
 */
export const INFRASTRUCTURE_MODULES: readonly string[] = [
  'aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', '@aws-cdk/*', 'cdktf', '@cdktf/*', '@pulumi/*', 'sst', 'sst/*', '@serverless-stack/*',
];

/** Whether a module name matches a catalogue pattern (`@aws-sdk/*`). */
export function moduleMatches(pattern: string, module: string): boolean {
  const name = module.startsWith('node:') ? module.slice(5) : module;
  return pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;
}
