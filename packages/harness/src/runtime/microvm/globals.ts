/**
 * Node's globals in the guest: process, Buffer, console (recording lines for the harness),
 * performance (from the clock page), Web Crypto (sharing node:crypto's UUID cache, as in Node),
 * global, structuredClone.
 */
import { Buffer } from 'node:buffer';
import crypto, { webcrypto } from './builtins/crypto.js';
import proc from './builtins/process.js';
import { AbortController, AbortSignal } from './builtins/abort.js';
import { installAsyncTracking } from './builtins/async_hooks.js';
import theConsole from './builtins/console.js';
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
  g.structuredClone = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;
  g.console = theConsole;
  if (typeof g.AbortController !== 'function') {
    g.AbortController = AbortController;
    g.AbortSignal = AbortSignal;
  }
  addEncodeInto();
  installAsyncTracking();
  void crypto;
}

/**
 * Duktape's TextEncoder has `encode` but not `encodeInto` (the AWS SDK's serializers use it):
 * whole characters are encoded into the destination while they fit, as the Encoding standard says.
 */
function addEncodeInto(): void {
  const proto = (g.TextEncoder as { prototype: Record<string, unknown> } | undefined)?.prototype;
  if (!proto || typeof proto.encodeInto === 'function') return;
  proto.encodeInto = function encodeInto(this: { encode(s: string): Uint8Array }, source: string, destination: Uint8Array): { read: number; written: number } {
    let read = 0;
    let written = 0;
    for (const char of String(source)) {
      const bytes = this.encode(char);
      if (written + bytes.length > destination.length) break;
      destination.set(bytes, written);
      written += bytes.length;
      read += char.length;
    }
    return { read, written };
  };
}
