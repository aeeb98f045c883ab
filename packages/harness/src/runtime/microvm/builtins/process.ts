/**
 * `process` in the guest: the function's environment (set at build time, like Lambda's), stdout
 * and stderr that record lines for the harness, nextTick on the microtask queue.
 */
import { EventEmitter } from 'node:events';
import { recordOutput } from '../../outputs.js';
import { boot, guest } from '../natives.js';

const started = guest.monotonic();

function stream(name: 'stdout' | 'stderr', fd: number) {
  return {
    fd,
    isTTY: false,
    writable: true,
    write(chunk: unknown, encoding?: unknown, cb?: unknown): boolean {
      const text = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? new TextDecoder().decode(chunk) : String(chunk);
      recordOutput(name, text);
      guest.print(text);
      const done = typeof encoding === 'function' ? encoding : cb;
      if (typeof done === 'function') queueMicrotask(done as () => void);
      return true;
    },
    on() {
      return this;
    },
    once() {
      return this;
    },
    end() {},
  };
}

function hrtime(previous?: [number, number]): [number, number] {
  const ms = guest.monotonic();
  let sec = Math.floor(ms / 1000);
  let ns = Math.floor((ms - sec * 1000) * 1e6);
  if (previous) {
    sec -= previous[0];
    ns -= previous[1];
    if (ns < 0) {
      sec--;
      ns += 1e9;
    }
  }
  return [sec, ns];
}
hrtime.bigint = () => {
  throw new Error('process.hrtime.bigint() is not available in the microvm guest (no BigInt in Duktape)');
};

const events = new EventEmitter();
const proc = {
  env: { ...boot.env } as Record<string, string>,
  argv: ['/var/lang/bin/node', '/var/runtime/index.mjs'],
  execArgv: [] as string[],
  execPath: '/var/lang/bin/node',
  version: 'v20.20.0',
  versions: { node: '20.20.0', duktape: '2.7.0' },
  release: { name: 'node' },
  platform: 'linux',
  arch: 'x64',
  pid: 1,
  ppid: 0,
  title: 'node',
  exitCode: undefined as number | undefined,
  features: {},
  stdout: stream('stdout', 1),
  stderr: stream('stderr', 2),
  stdin: { fd: 0, isTTY: false, on() {}, resume() {} },
  nextTick(fn: (...args: unknown[]) => void, ...args: unknown[]): void {
    queueMicrotask(() => fn(...args));
  },
  hrtime,
  uptime: () => (guest.monotonic() - started) / 1000,
  cwd: () => '/var/task',
  chdir() {},
  umask: () => 0o22,
  getuid: () => 993,
  getgid: () => 990,
  memoryUsage: () => {
    const f = guest.features();
    return { rss: f.heapUsed, heapTotal: f.heapSize, heapUsed: f.heapUsed, external: 0, arrayBuffers: 0 };
  },
  cpuUsage: () => ({ user: 0, system: 0 }),
  emitWarning(warning: unknown, type?: unknown): void {
    const text = warning instanceof Error ? `${warning.name}: ${warning.message}` : `${typeof type === 'string' ? type : 'Warning'}: ${String(warning)}`;
    proc.stderr.write(`(node:1) ${text}\n`);
  },
  exit(code?: number): never {
    throw new Error(`process.exit(${code ?? 0}) called in the microvm guest`);
  },
  abort(): never {
    throw new Error('process.abort() called in the microvm guest');
  },
  binding(): never {
    throw new Error('process.binding() is not available in the microvm guest');
  },
  on: (name: string, fn: (...args: unknown[]) => void) => (events.on(name, fn), proc),
  once: (name: string, fn: (...args: unknown[]) => void) => (events.once(name, fn), proc),
  off: (name: string, fn: (...args: unknown[]) => void) => (events.off(name, fn), proc),
  removeListener: (name: string, fn: (...args: unknown[]) => void) => (events.removeListener(name, fn), proc),
  removeAllListeners: (name?: string) => (events.removeAllListeners(name), proc),
  emit: (name: string, ...args: unknown[]) => events.emit(name, ...args),
  listeners: (name: string) => events.listeners(name),
  listenerCount: (name: string) => events.listenerCount(name),
};

export default proc;
