/**
 * Node's globals in the guest: process, Buffer, console (recording lines for the harness),
 * performance (from the clock page), Web Crypto (sharing node:crypto's UUID cache, as in Node),
 * global, structuredClone.
 */
import { Buffer } from 'node:buffer';
import crypto, { webcrypto } from './builtins/crypto.js';
import proc from './builtins/process.js';
import util from './builtins/util.js';
import { guest } from './natives.js';

const g = globalThis as unknown as Record<string, unknown>;

export function installGlobals(): void {
  g.global = globalThis;
  g.process = proc;
  g.Buffer = Buffer;
  const origin = guest.now();
  const startMono = guest.monotonic();
  g.performance = {
    timeOrigin: origin,
    now: () => guest.monotonic() - startMono,
    mark() {},
    measure() {},
    getEntriesByName: () => [],
  };
  g.crypto = { ...webcrypto, subtle: undefined };
  g.structuredClone = (value: unknown) => JSON.parse(JSON.stringify(value));
  const write = (stream: 'stdout' | 'stderr') => (...args: unknown[]) => void proc[stream].write(`${util.format(...args)}\n`);
  const log = write('stdout');
  const err = write('stderr');
  g.console = {
    log,
    info: log,
    debug: log,
    trace: err,
    warn: err,
    error: err,
    dir: (v: unknown) => log(util.inspect(v)),
    table: log,
    assert: (cond: unknown, ...args: unknown[]) => {
      if (!cond) err('Assertion failed', ...args);
    },
    time() {},
    timeEnd() {},
    group() {},
    groupEnd() {},
  };
  void crypto;
}
