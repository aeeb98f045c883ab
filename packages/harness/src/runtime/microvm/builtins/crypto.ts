/**
 * `crypto` in the guest, drawing on the guest RNG (a ChaCha20 DRBG reseeded through vmgenid).
 * randomUUID behaves like Node's: without { disableEntropyCache: true } the first call fills a
 * cache of 128 UUIDs' worth of random bytes and later calls take from it. That cache lives in the
 * JS heap, so a snapshot captures it, exactly the Node bug the harness reproduces; vmgenid cannot
 * repair it (the guest RNG reseeds, the cached bytes stay).
 */
import { Buffer } from 'node:buffer';
import { guest } from '../natives.js';
import { md5 } from './md5.js';

const CACHE_BYTES = 16 * 128;
let cache: Uint8Array | undefined;
let cachePos = 0;

function hex(bytes: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += (bytes[i]! < 16 ? '0' : '') + bytes[i]!.toString(16);
  return s;
}

function formatUuid(b: Uint8Array, at: number): string {
  const v = new Uint8Array(16);
  for (let i = 0; i < 16; i++) v[i] = b[at + i]!;
  v[6] = (v[6]! & 0x0f) | 0x40;
  v[8] = (v[8]! & 0x3f) | 0x80;
  return `${hex(v, 0, 4)}-${hex(v, 4, 6)}-${hex(v, 6, 8)}-${hex(v, 8, 10)}-${hex(v, 10, 16)}`;
}

function randomUUID(options?: { disableEntropyCache?: boolean }): string {
  if (options && options.disableEntropyCache) return formatUuid(guest.randomBytes(16), 0);
  if (!cache || cachePos >= CACHE_BYTES) {
    cache = guest.randomBytes(CACHE_BYTES);
    cachePos = 0;
  }
  const id = formatUuid(cache, cachePos);
  cachePos += 16;
  return id;
}

function randomBytes(size: number, callback?: (err: Error | null, buf: Buffer) => void): Buffer | undefined {
  const buf = Buffer.from(guest.randomBytes(size));
  if (typeof callback === 'function') {
    queueMicrotask(() => callback(null, buf));
    return undefined;
  }
  return buf;
}

function randomFillSync<T extends ArrayBufferView>(buf: T, offset = 0, size?: number): T {
  const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  const n = size ?? bytes.length - offset;
  bytes.set(guest.randomBytes(n), offset);
  return buf;
}

function getRandomValues<T extends ArrayBufferView | null>(array: T): T {
  if (!array) throw new TypeError('getRandomValues: expected an integer typed array');
  if (array.byteLength > 65536) throw new RangeError(`getRandomValues: ${array.byteLength} bytes exceeds 65536`);
  randomFillSync(array);
  return array;
}

function randomInt(min: number, max?: number | ((err: Error | null, n: number) => void), callback?: (err: Error | null, n: number) => void): number | undefined {
  if (typeof max !== 'number') {
    callback = max;
    max = min;
    min = 0;
  }
  const range = max - min;
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || range <= 0 || range > 2 ** 48) {
    throw new RangeError(`randomInt: the range [${min}, ${max}) is not valid`);
  }
  // Rejection sampling over 48 bits, as Node does.
  const limit = 2 ** 48 - (2 ** 48 % range);
  let x: number;
  do {
    const b = guest.randomBytes(6);
    x = ((b[0]! * 256 + b[1]!) * 256 + b[2]!) * 16777216 + ((b[3]! * 256 + b[4]!) * 256 + b[5]!);
  } while (x >= limit);
  const n = min + (x % range);
  if (typeof callback === 'function') {
    queueMicrotask(() => callback(null, n));
    return undefined;
  }
  return n;
}

function toBytes(data: unknown, encoding?: string): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data, (encoding as 'utf8') ?? 'utf8');
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new TypeError('crypto: data must be a string, Buffer, TypedArray or DataView');
}

function output(bytes: Uint8Array, encoding?: string): Buffer | string {
  const buf = Buffer.from(bytes);
  return encoding ? buf.toString(encoding as 'hex') : buf;
}

function unsupportedAlgorithm(kind: string, algorithm: string): Error {
  return new Error(`crypto.${kind}('${algorithm}') is not available in the microvm guest (sha256${kind === 'createHash' ? ' and md5 are' : ' is'})`);
}

/** Digests `createHash` offers: SHA-256 from the guest's natives, MD5 in JavaScript. */
const DIGESTS: Record<string, (data: Uint8Array) => Uint8Array> = { sha256: (d) => guest.sha256(d), md5 };

class Hash {
  private chunks: Uint8Array[] = [];
  constructor(private readonly algorithm: string) {
    if (!DIGESTS[algorithm.toLowerCase()]) throw unsupportedAlgorithm('createHash', algorithm);
  }
  update(data: unknown, encoding?: string): this {
    this.chunks.push(toBytes(data, encoding));
    return this;
  }
  digest(encoding?: string): Buffer | string {
    return output(DIGESTS[this.algorithm.toLowerCase()]!(Buffer.concat(this.chunks)), encoding);
  }
  copy(): Hash {
    const h = new Hash(this.algorithm);
    h.chunks = this.chunks.slice();
    return h;
  }
}

class Hmac {
  private chunks: Uint8Array[] = [];
  private readonly key: Uint8Array;
  constructor(algorithm: string, key: unknown) {
    if (algorithm.toLowerCase() !== 'sha256') throw unsupportedAlgorithm('createHmac', algorithm);
    this.key = toBytes(key);
  }
  update(data: unknown, encoding?: string): this {
    this.chunks.push(toBytes(data, encoding));
    return this;
  }
  digest(encoding?: string): Buffer | string {
    return output(guest.hmacSha256(this.key, Buffer.concat(this.chunks)), encoding);
  }
}

interface ScryptOptions {
  N?: number;
  cost?: number;
  r?: number;
  blockSize?: number;
  p?: number;
  parallelization?: number;
  maxmem?: number;
}

/** scrypt in native code (the guest runtime), with Node's defaults and memory limit. */
function scryptSync(password: unknown, salt: unknown, keylen: number, options: ScryptOptions = {}): Buffer {
  const n = options.N ?? options.cost ?? 16384;
  const r = options.r ?? options.blockSize ?? 8;
  const p = options.p ?? options.parallelization ?? 1;
  const maxmem = options.maxmem ?? 32 * 1024 * 1024;
  if (128 * n * r > maxmem) throw new RangeError('Invalid scrypt params: memory limit exceeded (128 * N * r > maxmem)');
  return Buffer.from(guest.scrypt(toBytes(password), toBytes(salt), n, r, p, keylen));
}

function timingSafeEqual(a: ArrayBufferView, b: ArrayBufferView): boolean {
  const x = toBytes(a);
  const y = toBytes(b);
  if (x.length !== y.length) throw new RangeError('timingSafeEqual: inputs must have the same length');
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0;
}

/** Web Crypto's share of it: the same randomUUID cache, as in Node. */
export const webcrypto = { getRandomValues, randomUUID: () => randomUUID() };

export default {
  randomUUID,
  randomBytes,
  randomFillSync,
  randomFill: (buf: ArrayBufferView, ...rest: unknown[]) => {
    const cb = rest[rest.length - 1] as (err: Error | null, b: ArrayBufferView) => void;
    randomFillSync(buf);
    queueMicrotask(() => cb(null, buf));
  },
  randomInt,
  getRandomValues,
  createHash: (algorithm: string) => new Hash(algorithm),
  scryptSync,
  scrypt: (password: unknown, salt: unknown, keylen: number, ...rest: unknown[]) => {
    const cb = rest.pop() as (err: Error | null, key?: Buffer) => void;
    const options = (rest[0] as ScryptOptions | undefined) ?? {};
    queueMicrotask(() => {
      try {
        cb(null, scryptSync(password, salt, keylen, options));
      } catch (err) {
        cb(err as Error);
      }
    });
  },
  createHmac: (algorithm: string, key: unknown) => new Hmac(algorithm, key),
  timingSafeEqual,
  getHashes: () => Object.keys(DIGESTS),
  webcrypto,
  constants: {},
};
