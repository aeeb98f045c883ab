import type { Category } from './categories.js';

/**
 * How a Python source makes its value:
 * - `value`: the call returns a unique value (`uuid.uuid4()`, `time.time()`, a generated key).
 * - `generator`: the call returns a generator object; every later draw from it (`rng.random()`) is
 *   decided by state fixed when it was made, so a generator made at init replays in every clone.
 * - `module-state`: a draw from a generator the module made at import (`random.random()` uses the
 *   `random` module's hidden `Random()` instance, seeded when `random` was first imported). Kept
 *   from init it is a value; called after restore it still replays the snapshot's state.
 * - `reseed`: reseeds a module-state generator (`random.seed()`). A constant argument makes the
 *   sequence deterministic on purpose; none, or a clock reading, makes it unique per snapshot.
 */
export type PythonSourceKind = 'value' | 'generator' | 'module-state' | 'reseed';

/**
 * When a call is a source. Default: always.
 * - `unseeded`: only without a seed argument, or with one that is not a constant (a clock reading).
 * - `{ withKeyword }`: only when that keyword argument is given (`Logger(sampling_rate=0.1)`).
 */
export type PythonSourceCondition = 'unseeded' | { readonly withKeyword: string };

/** One way Python code obtains a unique value or per-process random state. */
export interface PythonSourceEntry {
  /** Python module, dotted as imported (`uuid`, `numpy.random`, `cryptography.fernet`). */
  readonly module: string;
  /** Dotted name under the module (`uuid4`, `Fernet.generate_key`). */
  readonly path: string;
  /** What the value is; undefined for an entry documenting that a call is NOT a source. */
  readonly category?: Category;
  readonly kind: PythonSourceKind;
  readonly when?: PythonSourceCondition;
  /** The module-state generator a draw or reseed belongs to (`random`, `numpy.random`). */
  readonly state?: string;
  /** The release the behaviour was checked against. */
  readonly checked: string;
  readonly why: string;
}

const PY = 'CPython 3.11.7 stdlib (same code in 3.12/3.13)';
const RANDOM_DRAWS = [
  'random', 'randint', 'randrange', 'choice', 'choices', 'sample', 'shuffle', 'uniform', 'getrandbits', 'randbytes',
  'gauss', 'normalvariate', 'lognormvariate', 'expovariate', 'triangular', 'betavariate', 'gammavariate', 'paretovariate', 'weibullvariate', 'vonmisesvariate', 'binomialvariate',
];
const NUMPY_DRAWS = [
  'rand', 'randn', 'randint', 'random', 'random_sample', 'ranf', 'sample', 'choice', 'shuffle', 'permutation', 'bytes',
  'uniform', 'normal', 'standard_normal', 'binomial', 'poisson', 'exponential', 'beta', 'gamma', 'integers',
];
const NUMPY = 'numpy 2.1.3';
const CRYPTO = 'cryptography 51.0.1';
const ASYM = 'cryptography.hazmat.primitives.asymmetric';

/**
 * Python sources: the stdlib's and libraries' (each with the release read to check it). The
 * Python scanner reads this table; docs/sources.md renders it. Kept apart from
 * `SOURCE_CATALOGUE` (npm modules), whose names would otherwise collide (`uuid`, `random`).
 */
export const PYTHON_SOURCE_CATALOGUE: readonly PythonSourceEntry[] = [
  { module: 'uuid', path: 'uuid4', category: 'uuid', kind: 'value', checked: PY, why: 'a random UUID from os.urandom(16): unique when called after restore, shared when kept from init (uuid3/uuid5 hash their input and are deterministic)' },
  { module: 'uuid', path: 'uuid1', category: 'uuid', kind: 'value', checked: PY, why: 'a time-based UUID (libuuid, or the clock plus random.getrandbits(14) and the MAC address)' },
  { module: 'random', path: 'Random', category: 'random', kind: 'generator', when: 'unseeded', checked: PY, why: 'a Mersenne Twister seeded from os.urandom when no seed is given: made at init, every clone replays its sequence' },
  ...RANDOM_DRAWS.map((d): PythonSourceEntry => ({
    module: 'random', path: d, category: 'random', kind: 'module-state', state: 'random', checked: PY,
    why: 'a draw from the module\'s hidden Random() instance (`_inst`), seeded once when `random` is imported: that state is in the snapshot',
  })),
  { module: 'random', path: 'seed', category: 'random', kind: 'reseed', when: 'unseeded', state: 'random', checked: PY, why: 'reseeds the module generator; with no argument from os.urandom, or with a clock reading: fixed for the snapshot (a constant seed is deterministic on purpose)' },
  { module: 'numpy.random', path: 'default_rng', category: 'random', kind: 'generator', when: 'unseeded', checked: NUMPY, why: 'a PCG64 Generator seeded from OS entropy when no seed is given' },
  { module: 'numpy.random', path: 'RandomState', category: 'random', kind: 'generator', when: 'unseeded', checked: NUMPY, why: 'a legacy Mersenne Twister seeded from OS entropy when no seed is given' },
  ...NUMPY_DRAWS.map((d): PythonSourceEntry => ({
    module: 'numpy.random', path: d, category: 'random', kind: 'module-state', state: 'numpy.random', checked: NUMPY,
    why: 'a draw from the legacy global RandomState that numpy.random (mtrand) creates at import',
  })),
  { module: 'numpy.random', path: 'seed', category: 'random', kind: 'reseed', when: 'unseeded', state: 'numpy.random', checked: NUMPY, why: 'reseeds the legacy global RandomState (no argument: from OS entropy)' },
  { module: 'os', path: 'urandom', category: 'random', kind: 'value', checked: PY, why: 'random bytes: fresh when called after restore, shared when kept from init' },
  { module: 'os', path: 'getrandom', category: 'random', kind: 'value', checked: PY, why: 'random bytes, as os.urandom' },
  { module: 'random', path: 'SystemRandom.().randbytes', category: 'random', kind: 'value', checked: PY, why: 'random bytes from os.urandom, kept from init (a SystemRandom instance itself is safe to keep)' },
  ...['token_bytes', 'token_hex', 'token_urlsafe', 'randbits', 'randbelow', 'choice'].map((d): PythonSourceEntry => ({
    module: 'secrets', path: d, category: 'secret', kind: 'value', checked: PY, why: 'a secret token from os.urandom: fresh when made after restore, shared when kept from init',
  })),
  { module: 'time', path: 'time', category: 'time', kind: 'value', checked: PY, why: 'the wall clock (time.monotonic/perf_counter durations are not sources)' },
  { module: 'time', path: 'time_ns', category: 'time', kind: 'value', checked: PY, why: 'the wall clock' },
  { module: 'datetime', path: 'datetime.now', category: 'time', kind: 'value', checked: PY, why: 'the current time' },
  { module: 'datetime', path: 'datetime.utcnow', category: 'time', kind: 'value', checked: PY, why: 'the current time' },
  { module: 'datetime', path: 'datetime.today', category: 'time', kind: 'value', checked: PY, why: 'the current time' },
  { module: 'datetime', path: 'date.today', category: 'time', kind: 'value', checked: PY, why: 'the current date' },
  { module: 'tempfile', path: 'mkdtemp', category: 'random', kind: 'value', checked: PY, why: 'a directory with a random name (from a Random() the module makes on first use): every clone uses the same path' },
  { module: 'tempfile', path: 'mkstemp', category: 'random', kind: 'value', checked: PY, why: 'a file with a random name, as mkdtemp' },
  { module: 'tempfile', path: 'NamedTemporaryFile', category: 'random', kind: 'value', checked: PY, why: 'a file with a random name, as mkdtemp' },
  { module: 'tempfile', path: 'TemporaryDirectory', category: 'random', kind: 'value', checked: PY, why: 'a directory with a random name, as mkdtemp' },
  { module: 'cryptography.fernet', path: 'Fernet.generate_key', category: 'secret', kind: 'value', checked: CRYPTO, why: 'a random Fernet key' },
  { module: `${ASYM}.rsa`, path: 'generate_private_key', category: 'secret', kind: 'value', checked: CRYPTO, why: 'an RSA key pair' },
  { module: `${ASYM}.ec`, path: 'generate_private_key', category: 'secret', kind: 'value', checked: CRYPTO, why: 'an EC key pair' },
  { module: `${ASYM}.dsa`, path: 'generate_private_key', category: 'secret', kind: 'value', checked: CRYPTO, why: 'a DSA key pair' },
  { module: `${ASYM}.dh`, path: 'DHParameters.generate_private_key', category: 'secret', kind: 'value', checked: CRYPTO, why: 'a Diffie-Hellman key pair' },
  { module: `${ASYM}.ed25519`, path: 'Ed25519PrivateKey.generate', category: 'secret', kind: 'value', checked: CRYPTO, why: 'an Ed25519 key pair' },
  { module: `${ASYM}.ed448`, path: 'Ed448PrivateKey.generate', category: 'secret', kind: 'value', checked: CRYPTO, why: 'an Ed448 key pair' },
  { module: `${ASYM}.x25519`, path: 'X25519PrivateKey.generate', category: 'secret', kind: 'value', checked: CRYPTO, why: 'an X25519 key pair' },
  { module: `${ASYM}.x448`, path: 'X448PrivateKey.generate', category: 'secret', kind: 'value', checked: CRYPTO, why: 'an X448 key pair' },
  ...['AESGCM', 'AESCCM', 'AESOCB3', 'AESSIV', 'ChaCha20Poly1305'].map((c): PythonSourceEntry => ({
    module: 'cryptography.hazmat.primitives.ciphers.aead', path: `${c}.generate_key`, category: 'secret', kind: 'value', checked: CRYPTO, why: 'a random AEAD key',
  })),
  {
    module: 'aws_lambda_powertools', path: 'Logger', category: 'random', kind: 'value', when: { withKeyword: 'sampling_rate' }, checked: 'aws-lambda-powertools 3.37.0 (logging/logger.py)',
    why: 'decides at construction, with random.random(), whether this environment logs at DEBUG: made at init, every clone has the same decision for its first invocation, and later re-draws come from the snapshotted `random` state',
  },
  {
    module: 'aws_lambda_powertools.logging', path: 'Logger', category: 'random', kind: 'value', when: { withKeyword: 'sampling_rate' }, checked: 'aws-lambda-powertools 3.37.0 (logging/logger.py)',
    why: 'as above',
  },
  {
    module: 'boto3', path: 'client', kind: 'value', checked: 'boto3 1.44.18, botocore 1.44.18 (endpoint.py, handlers.py)',
    why: 'not a source: a client made at init keeps no unique value; every request gets a fresh amz-sdk-invocation-id from uuid.uuid4() (os.urandom) and idempotency tokens are uuid4 per call; only retry jitter draws from the `random` module state',
  },
];
