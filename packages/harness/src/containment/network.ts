/**
 * In-instance half of network containment (node engine): raw sockets are refused and recorded.
 * `http`, `https`, `http2` and `fetch` are already replaced by the recording stub; everything
 * below them — `net` and `tls` connections (database drivers: pg, mysql2, ioredis…), `dgram`
 * sends and `dns` lookups — would otherwise reach the network. Each attempt is recorded as an
 * output of the invocation (method CONNECT / SEND / LOOKUP, a tcp:, unix:, udp: or dns: URL,
 * status 0) and fails the way a closed port fails (`ECONNREFUSED`), with a message naming the
 * harness.
 *
 * This layer is what makes the attempt visible; the boundary is the network namespace the
 * instance runs in where the kernel allows it (containment/sandbox.ts), which also stops child
 * processes and native addons that go around these functions.
 */
import dns from 'node:dns';
import net from 'node:net';
import { startupSnapshot } from 'node:v8';
import { constants } from 'node:os';
import { recordRefused } from '../runtime/stub.js';

const PATCHED = Symbol.for('snapstart.network-refused');

type Callback = (err: Error | null, ...rest: unknown[]) => void;
type Patchable = Record<string | symbol, unknown>;

export function refusalError(syscall: string, target: string, extra: Record<string, unknown> = {}): Error {
  const err = new Error(`${syscall} ECONNREFUSED ${target}: refused by snapstart-harness (instances have no network; the attempt is recorded in the run)`);
  return Object.assign(err, { code: 'ECONNREFUSED', errno: -constants.errno.ECONNREFUSED, syscall, ...extra });
}

interface Target {
  readonly url: string;
  readonly host?: string;
  readonly port?: number;
  readonly path?: string;
}

/** The destination of `socket.connect(...)` in any of its forms (Node's own calls pass `[options, cb]`). */
function connectTarget(args: unknown[]): Target {
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (first && typeof first === 'object') {
    const o = first as { host?: unknown; port?: unknown; path?: unknown };
    if (typeof o.path === 'string') return { url: `unix:${o.path}`, path: o.path };
    const host = typeof o.host === 'string' ? o.host : 'localhost';
    const port = Number(o.port);
    return { url: `tcp://${host}:${typeof o.port === 'number' || typeof o.port === 'string' ? o.port : ''}`, host, port };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return { url: `unix:${first}`, path: first };
  const host = typeof args[1] === 'string' ? args[1] : 'localhost';
  return { url: `tcp://${host}:${String(first)}`, host, port: Number(first) };
}

function refuseNet(): void {
  const proto = net.Socket.prototype as unknown as Patchable;
  if (proto[PATCHED]) return;
  proto[PATCHED] = true;
  proto['connect'] = function refusedConnect(this: net.Socket, ...args: unknown[]): net.Socket {
    const target = connectTarget(args);
    const via = (this as unknown as { encrypted?: boolean }).encrypted ? 'tls' : 'net';
    recordRefused(via, 'CONNECT', target.url);
    const err = refusalError('connect', target.path ?? `${target.host}:${target.port}`, target.path ? { address: target.path } : { address: target.host, port: target.port });
    process.nextTick(() => this.destroy(err));
    return this;
  };
}

const DNS_METHODS = ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCaa', 'resolveCname', 'resolveMx', 'resolveNaptr', 'resolveNs', 'resolvePtr', 'resolveSoa', 'resolveSrv', 'resolveTxt', 'reverse'];

function dnsError(method: string, name: unknown): Error {
  const host = String(name);
  recordRefused('dns', 'LOOKUP', `dns://${host}`);
  return refusalError(method === 'lookup' ? 'getaddrinfo' : `query${method.replace(/^resolve/, '')}`, host, { hostname: host });
}

function patchCallbackApi(target: Patchable): void {
  if (target[PATCHED]) return;
  target[PATCHED] = true;
  for (const method of DNS_METHODS) {
    if (typeof target[method] !== 'function') continue;
    target[method] = function refusedDns(name: unknown, ...rest: unknown[]): void {
      const cb = rest.reverse().find((r) => typeof r === 'function') as Callback | undefined;
      const err = dnsError(method, name);
      if (cb) process.nextTick(cb, err);
      else throw err;
    };
  }
}

function patchPromiseApi(target: Patchable): void {
  if (target[PATCHED]) return;
  target[PATCHED] = true;
  for (const method of DNS_METHODS) {
    if (typeof target[method] !== 'function') continue;
    target[method] = (name: unknown): Promise<never> => Promise.reject(dnsError(method, name));
  }
}

function refuseDns(): void {
  patchCallbackApi(dns);
  patchCallbackApi(dns.Resolver.prototype as unknown as Patchable);
  patchPromiseApi(dns.promises);
  patchPromiseApi(dns.promises.Resolver.prototype as unknown as Patchable);
}

/** `dgram` is loaded only outside the snapshot builder (Node 20 warns about it in a user snapshot). */
function refuseDgram(): void {
  const dgram = process.getBuiltinModule('node:dgram');
  const proto = dgram.Socket.prototype as unknown as Patchable;
  if (proto[PATCHED]) return;
  proto[PATCHED] = true;
  proto['send'] = function refusedSend(this: import('node:dgram').Socket, _msg: unknown, ...rest: unknown[]): void {
    const cb = rest.reverse().find((r) => typeof r === 'function') as Callback | undefined;
    rest.reverse();
    // send(msg, [offset, length,] port, address, cb): the port is the last number before the address.
    const numbers = rest.filter((r): r is number => typeof r === 'number');
    const port = numbers[numbers.length - 1];
    const address = rest.find((r): r is string => typeof r === 'string') ?? 'localhost';
    recordRefused('dgram', 'SEND', `udp://${address}:${port ?? ''}`);
    const err = refusalError('send', `${address}:${port ?? ''}`, { address, port });
    process.nextTick(() => (cb ? cb(err) : this.emit('error', err)));
  };
  proto['connect'] = function refusedConnect(this: import('node:dgram').Socket, port: unknown, ...rest: unknown[]): void {
    const address = rest.find((r): r is string => typeof r === 'string') ?? 'localhost';
    recordRefused('dgram', 'CONNECT', `udp://${address}:${String(port)}`);
    const err = refusalError('connect', `${address}:${String(port)}`, { address, port });
    process.nextTick(() => this.emit('error', err));
  };
}

/**
 * Installs the refusals before any user code runs (init in the snapshot builder, or a cold start);
 * a restored clone keeps the patched `net` and `dns` from the snapshot and patches `dgram` itself.
 */
export function refuseNetwork(): void {
  refuseNet();
  refuseDns();
  if (startupSnapshot.isBuildingSnapshot()) startupSnapshot.addDeserializeCallback(refuseDgram);
  else refuseDgram();
}
