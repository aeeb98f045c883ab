/** `util` in the guest: what libraries commonly use (inherits, promisify, format, inspect, types). */
function inspect(value: unknown, _options?: unknown, depth = 0, seen: unknown[] = []): string {
  if (typeof value === 'string') return depth === 0 ? value : JSON.stringify(value);
  if (typeof value === 'function') return `[Function: ${(value as { name?: string }).name || 'anonymous'}]`;
  if (value === null || typeof value !== 'object') return String(value);
  if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
  if (value instanceof Date) return value.toISOString();
  if (seen.indexOf(value) >= 0) return '[Circular]';
  if (depth > 4) return Array.isArray(value) ? '[Array]' : '[Object]';
  const next = seen.concat([value]);
  if (Array.isArray(value)) return `[ ${value.map((v) => inspect(v, undefined, depth + 1, next)).join(', ')} ]`;
  const keys = Object.keys(value);
  if (!keys.length) return '{}';
  return `{ ${keys.map((k) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${inspect((value as Record<string, unknown>)[k], undefined, depth + 1, next)}`).join(', ')} }`;
}

function format(first?: unknown, ...rest: unknown[]): string {
  if (typeof first !== 'string') return [first, ...rest].map((a) => inspect(a)).join(' ');
  let i = 0;
  const out = first.replace(/%[sdifjoO%]/g, (m) => {
    if (m === '%%') return '%';
    if (i >= rest.length) return m;
    const arg = rest[i++];
    switch (m) {
      case '%s':
        return typeof arg === 'string' ? arg : inspect(arg, undefined, 1);
      case '%d':
      case '%i':
        return String(m === '%i' ? Math.trunc(Number(arg)) : Number(arg));
      case '%f':
        return String(Number(arg));
      case '%j':
        try {
          return JSON.stringify(arg);
        } catch {
          return '[Circular]';
        }
      default:
        return inspect(arg, undefined, 1);
    }
  });
  return [out, ...rest.slice(i).map((a) => inspect(a, undefined, 1))].join(' ');
}

const custom = Symbol.for('nodejs.util.promisify.custom');

function promisify<T extends (...args: unknown[]) => void>(fn: T): (...args: unknown[]) => Promise<unknown> {
  const own = (fn as unknown as Record<symbol, unknown>)[custom];
  if (typeof own === 'function') return own as (...args: unknown[]) => Promise<unknown>;
  return function (this: unknown, ...args: unknown[]) {
    return new Promise((resolve, reject) => {
      // Node's promisify rejects with whatever the callback was given, Error or not.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      fn.call(this, ...args, (err: unknown, value: unknown) => (err ? reject(err) : resolve(value)));
    });
  };
}
promisify.custom = custom;

function inherits(ctor: { prototype: object; super_?: unknown }, superCtor: { prototype: object }): void {
  ctor.super_ = superCtor;
  Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
}

const tag = (v: unknown) => Object.prototype.toString.call(v);
export default {
  format,
  inspect: Object.assign(inspect, { custom: Symbol.for('nodejs.util.inspect.custom') }),
  promisify,
  callbackify: (fn: (...args: unknown[]) => Promise<unknown>) => (...args: unknown[]) => {
    const cb = args.pop() as (err: unknown, v?: unknown) => void;
    fn(...args).then((v) => cb(null, v), (e) => cb(e));
  },
  inherits,
  deprecate: <F>(fn: F) => fn,
  debuglog: () => Object.assign(() => {}, { enabled: false }),
  isDeepStrictEqual: (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b),
  isArray: Array.isArray,
  TextEncoder: (globalThis as { TextEncoder?: unknown }).TextEncoder,
  TextDecoder: (globalThis as { TextDecoder?: unknown }).TextDecoder,
  types: {
    isPromise: (v: unknown) => v instanceof Promise,
    isDate: (v: unknown) => v instanceof Date,
    isRegExp: (v: unknown) => v instanceof RegExp,
    isUint8Array: (v: unknown) => v instanceof Uint8Array,
    isArrayBuffer: (v: unknown) => v instanceof ArrayBuffer,
    isAnyArrayBuffer: (v: unknown) => v instanceof ArrayBuffer,
    isTypedArray: (v: unknown) => ArrayBuffer.isView(v) && !(v instanceof DataView),
    isNativeError: (v: unknown) => v instanceof Error,
    isMap: (v: unknown) => tag(v) === '[object Map]',
    isSet: (v: unknown) => tag(v) === '[object Set]',
  },
};
