/**
 * The microvm guest's own implementations of Node built-ins, checked on the host against Node's
 * (the parts that need no guest natives); the guest runs them in tests/real-functions.test.ts.
 */
import { createHash } from 'node:crypto';
import * as nodeChannels from 'node:diagnostics_channel';
import { describe, expect, it } from 'vitest';
import { md5 } from '../src/runtime/microvm/builtins/md5.js';
import * as channels from '../src/runtime/microvm/builtins/diagnostics_channel.js';
import * as domain from '../src/runtime/microvm/builtins/domain.js';
import { AbortController, AbortSignal } from '../src/runtime/microvm/builtins/abort.js';
import * as hooks from '../src/runtime/microvm/builtins/async_hooks.js';

describe('guest md5', () => {
  it.each([0, 3, 55, 56, 63, 64, 65, 1000])('agrees with Node for %i bytes', (n) => {
    const data = Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + 7) & 0xff));
    expect(Buffer.from(md5(data)).toString('hex')).toBe(createHash('md5').update(data).digest('hex'));
  });
});

describe('guest diagnostics_channel', () => {
  it('delivers published messages to subscribers, as Node does', () => {
    for (const impl of [channels, nodeChannels] as const) {
      const seen: unknown[] = [];
      const name = `snapstart:test:${impl === channels ? 'guest' : 'node'}`;
      const c = impl.channel(name);
      expect(c.hasSubscribers).toBe(false);
      const fn = (m: unknown, n: string | symbol) => seen.push([m, n]);
      impl.subscribe(name, fn);
      expect(impl.hasSubscribers(name)).toBe(true);
      c.publish({ a: 1 });
      impl.unsubscribe(name, fn);
      c.publish({ a: 2 });
      expect(seen).toEqual([[{ a: 1 }, name]]);
    }
  });

  it('traces a promise through start, end, asyncStart and asyncEnd', async () => {
    const events: string[] = [];
    const tc = channels.tracingChannel('snapstart:op');
    tc.subscribe({ start: () => events.push('start'), end: () => events.push('end'), asyncStart: () => events.push('asyncStart'), asyncEnd: () => events.push('asyncEnd'), error: () => events.push('error') });
    await expect(tc.tracePromise(async () => 42, {})).resolves.toBe(42);
    expect(events).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
  });
});

describe('guest domain', () => {
  it('is active during run() and sends errors thrown there to its error listeners', () => {
    const d = domain.create();
    const errors: unknown[] = [];
    d.on('error', (e) => errors.push(e));
    let inside: unknown;
    d.run(() => {
      inside = domain.default.active;
      throw new Error('boom');
    });
    expect(inside).toBe(d);
    expect(domain.default.active).toBeUndefined();
    expect(errors).toMatchObject([{ message: 'boom', domainThrown: true }]);
  });

  it('intercepts callback errors and binds callbacks', () => {
    const d = domain.create();
    const errors: unknown[] = [];
    d.on('error', (e) => errors.push(e));
    const cb = d.intercept((value: unknown) => value);
    expect(cb(null, 7)).toBe(7);
    cb(new Error('failed'));
    expect(errors).toMatchObject([{ message: 'failed' }]);
    expect(d.bind(() => domain.default.active)()).toBe(d);
  });
});

describe('guest AbortController', () => {
  it('aborts once, with an AbortError reason, calling onabort and listeners in order', () => {
    const c = new AbortController();
    const seen: string[] = [];
    c.signal.onabort = () => seen.push('onabort');
    c.signal.addEventListener('abort', () => seen.push('listener'), { once: true });
    c.abort();
    c.abort();
    expect(seen).toEqual(['onabort', 'listener']);
    expect(c.signal.aborted).toBe(true);
    expect((c.signal.reason as Error).name).toBe('AbortError');
    expect(() => c.signal.throwIfAborted()).toThrow('This operation was aborted');
  });
  it('follows any of several signals', () => {
    const a = new AbortController();
    const any = AbortSignal.any([a.signal, new AbortController().signal]);
    a.abort('why');
    expect(any.reason).toBe('why');
  });
});

describe('guest async_hooks', () => {
  // The guest instruments Promise.prototype.then (what its lowered `await` calls); here the host's
  // is instrumented for the test and put back after it.
  const then = Promise.prototype.then;
  const withTracking = async (fn: () => Promise<void>) => {
    hooks.installAsyncTracking();
    try {
      await fn();
    } finally {
      Promise.prototype.then = then;
      delete (globalThis as Record<string, unknown>).__snapstartAsync;
    }
  };

  it('carries AsyncLocalStorage stores into then-callbacks, per storage', async () => {
    await withTracking(async () => {
      const a = new hooks.AsyncLocalStorage<string>();
      const b = new hooks.AsyncLocalStorage<string>();
      const seen = await new Promise<unknown[]>((resolve) => {
        a.run('A', () =>
          b.run('B', () => {
            Promise.resolve().then(() => resolve([a.getStore(), b.getStore()]));
          }),
        );
      });
      expect(seen).toEqual(['A', 'B']);
      expect(a.getStore()).toBeUndefined();
    });
  });

  it('calls init where work is scheduled and before/after/destroy around it, with execution ids', async () => {
    await withTracking(async () => {
      const events: string[] = [];
      let scheduledIn = -1;
      let first = -1;
      const mine = (id: number) => id === first;
      const hook = hooks.createHook({
        init: (id, type, trigger) => {
          if (first < 0) first = id;
          if (mine(id)) events.push(`init ${type} trigger=${trigger === scheduledIn ? 'current' : trigger}`);
        },
        before: (id) => mine(id) && events.push(`before ${id === hooks.executionAsyncId() ? 'current' : id}`),
        after: (id) => mine(id) && events.push('after'),
        destroy: (id) => mine(id) && events.push('destroy'),
      }).enable();
      scheduledIn = hooks.executionAsyncId();
      await new Promise<void>((resolve) => {
        Promise.resolve(1).then(() => resolve());
      });
      hook.disable();
      expect(events).toEqual(['init PROMISE trigger=current', 'before current', 'after', 'destroy']);
    });
  });
});
