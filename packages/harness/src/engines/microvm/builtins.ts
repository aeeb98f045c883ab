/**
 * How each Node built-in is provided inside the microvm guest: a harness shim, a maintained npm
 * polyfill, or a module a microVM cannot offer. The last kind loads (a dependency may import it
 * and never use it) but its functions throw when called; importing it from the function's own
 * code is refused at build time, naming the importer and the reason.
 */
export interface GuestBuiltin {
  /** A harness runtime module (relative to runtime/, without extension) and the export to use. */
  readonly shim?: string;
  readonly exportName?: string;
  /** A package, resolved from the harness's own dependencies. */
  readonly npm?: string;
  /** Why the function's own code may not import it. */
  readonly refused?: string;
}

export const GUEST_BUILTINS: Readonly<Record<string, GuestBuiltin>> = {
  assert: { shim: 'microvm/builtins/assert' },
  async_hooks: { shim: 'microvm/builtins/async_hooks' },
  buffer: { npm: 'buffer/' },
  child_process: { shim: 'microvm/builtins/child_process', refused: 'a microVM guest has no processes to start' },
  cluster: { shim: 'microvm/builtins/misc', exportName: 'cluster', refused: 'a microVM guest has one process' },
  console: { shim: 'microvm/builtins/console' },
  crypto: { shim: 'microvm/builtins/crypto' },
  diagnostics_channel: { shim: 'microvm/builtins/diagnostics_channel' },
  dgram: { shim: 'microvm/builtins/misc', exportName: 'dgram', refused: 'a microVM guest has no sockets' },
  domain: { shim: 'microvm/builtins/domain' },
  dns: { shim: 'microvm/builtins/misc', exportName: 'dns', refused: 'a microVM guest has no network' },
  events: { npm: 'events/' },
  fs: { shim: 'microvm/builtins/fs' },
  'fs/promises': { shim: 'microvm/builtins/fs', exportName: 'promises' },
  http: { shim: 'node-http-module' },
  https: { shim: 'node-https-module' },
  http2: { shim: 'node-http2-module' },
  module: { shim: 'microvm/builtins/misc', exportName: 'module', refused: 'a microVM guest loads one bundle, nothing at run time' },
  net: { shim: 'microvm/builtins/net', refused: 'a microVM guest has no sockets (use fetch, http or https: they are stubbed)' },
  os: { shim: 'microvm/builtins/os' },
  path: { npm: 'path-browserify' },
  'path/posix': { npm: 'path-browserify' },
  perf_hooks: { shim: 'microvm/builtins/perf_hooks' },
  process: { shim: 'microvm/builtins/process' },
  querystring: { shim: 'microvm/builtins/querystring' },
  readline: { shim: 'microvm/builtins/misc', exportName: 'readline', refused: 'a microVM guest has no terminal' },
  stream: { npm: 'readable-stream' },
  'stream/promises': { shim: 'microvm/builtins/stream-promises' },
  string_decoder: { npm: 'string_decoder/' },
  timers: { shim: 'microvm/builtins/timers' },
  'timers/promises': { shim: 'microvm/builtins/timers-promises' },
  tls: { shim: 'microvm/builtins/tls', refused: 'a microVM guest has no sockets (use https: it is stubbed)' },
  url: { shim: 'microvm/builtins/url' },
  util: { shim: 'microvm/builtins/util' },
  'util/types': { shim: 'microvm/builtins/util', exportName: 'types' },
  v8: { shim: 'microvm/builtins/misc', exportName: 'v8', refused: 'the guest runs Duktape, not V8' },
  vm: { shim: 'microvm/builtins/misc', exportName: 'vm', refused: 'a microVM guest cannot compile code at run time' },
  worker_threads: { shim: 'microvm/builtins/misc', exportName: 'worker_threads', refused: 'a microVM guest has one thread' },
  zlib: { shim: 'microvm/builtins/zlib', refused: 'compression is not available in the microvm guest' },
};
