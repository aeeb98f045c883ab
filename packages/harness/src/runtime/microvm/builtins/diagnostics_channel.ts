/**
 * `diagnostics_channel` in the guest: named channels with subscribers, and tracing channels
 * (start/end/asyncStart/asyncEnd/error) as Node has them. Powertools Tracer subscribes to
 * undici's channels; publishers in the guest (none of the harness's stubs publish) reach
 * whoever subscribed, synchronously, as in Node.
 */
type Subscriber = (message: unknown, name: string) => void;

export class Channel {
  private readonly subscribers: Subscriber[] = [];
  private readonly stores = new Map<{ run<R>(store: unknown, fn: () => R): R }, ((message: unknown) => unknown) | undefined>();
  constructor(readonly name: string) {}

  get hasSubscribers(): boolean {
    return this.subscribers.length > 0 || this.stores.size > 0;
  }
  subscribe(fn: Subscriber): void {
    this.subscribers.push(fn);
  }
  unsubscribe(fn: Subscriber): boolean {
    const i = this.subscribers.indexOf(fn);
    if (i < 0) return false;
    this.subscribers.splice(i, 1);
    return true;
  }
  publish(message: unknown): void {
    for (const fn of this.subscribers.slice()) {
      try {
        fn(message, this.name);
      } catch (err) {
        // As in Node: a subscriber's error does not reach the publisher; it is reported instead.
        setTimeout(() => {
          throw err;
        }, 0);
      }
    }
  }
  bindStore(store: { run<R>(store: unknown, fn: () => R): R }, transform?: (message: unknown) => unknown): void {
    this.stores.set(store, transform);
  }
  unbindStore(store: { run<R>(store: unknown, fn: () => R): R }): boolean {
    return this.stores.delete(store);
  }
  runStores<R>(message: unknown, fn: (...args: unknown[]) => R, thisArg?: unknown, ...args: unknown[]): R {
    let run = (): R => {
      this.publish(message);
      return fn.apply(thisArg, args);
    };
    for (const [store, transform] of this.stores) {
      const inner = run;
      run = () => store.run(transform ? transform(message) : message, inner);
    }
    return run();
  }
}

const channels = new Map<string, Channel>();

export function channel(name: string): Channel {
  let c = channels.get(name);
  if (!c) {
    c = new Channel(name);
    channels.set(name, c);
  }
  return c;
}

export function hasSubscribers(name: string): boolean {
  return channels.get(name)?.hasSubscribers ?? false;
}

export function subscribe(name: string, fn: Subscriber): void {
  channel(name).subscribe(fn);
}

export function unsubscribe(name: string, fn: Subscriber): boolean {
  return channel(name).unsubscribe(fn);
}

interface TracingSubscribers {
  start?: Subscriber;
  end?: Subscriber;
  asyncStart?: Subscriber;
  asyncEnd?: Subscriber;
  error?: Subscriber;
}

const EVENTS = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'] as const;

export class TracingChannel {
  readonly start: Channel;
  readonly end: Channel;
  readonly asyncStart: Channel;
  readonly asyncEnd: Channel;
  readonly error: Channel;
  constructor(name: string) {
    this.start = channel(`tracing:${name}:start`);
    this.end = channel(`tracing:${name}:end`);
    this.asyncStart = channel(`tracing:${name}:asyncStart`);
    this.asyncEnd = channel(`tracing:${name}:asyncEnd`);
    this.error = channel(`tracing:${name}:error`);
  }
  get hasSubscribers(): boolean {
    return EVENTS.some((e) => this[e].hasSubscribers);
  }
  subscribe(handlers: TracingSubscribers): void {
    for (const e of EVENTS) if (handlers[e]) this[e].subscribe(handlers[e]);
  }
  unsubscribe(handlers: TracingSubscribers): boolean {
    let all = true;
    for (const e of EVENTS) if (handlers[e] && !this[e].unsubscribe(handlers[e])) all = false;
    return all;
  }
  traceSync<R>(fn: (...args: unknown[]) => R, context: Record<string, unknown> = {}, thisArg?: unknown, ...args: unknown[]): R {
    return this.start.runStores(context, () => {
      try {
        const result = fn.apply(thisArg, args);
        context.result = result;
        return result;
      } catch (err) {
        context.error = err;
        this.error.publish(context);
        throw err;
      } finally {
        this.end.publish(context);
      }
    });
  }
  tracePromise<R>(fn: (...args: unknown[]) => Promise<R>, context: Record<string, unknown> = {}, thisArg?: unknown, ...args: unknown[]): Promise<R> {
    return this.start.runStores(context, () => {
      try {
        const promise = Promise.resolve(fn.apply(thisArg, args));
        return promise.then(
          (result) => {
            context.result = result;
            this.asyncStart.publish(context);
            this.asyncEnd.publish(context);
            return result;
          },
          (err: unknown) => {
            context.error = err;
            this.error.publish(context);
            this.asyncStart.publish(context);
            this.asyncEnd.publish(context);
            throw err;
          },
        );
      } catch (err) {
        context.error = err;
        this.error.publish(context);
        throw err;
      } finally {
        this.end.publish(context);
      }
    });
  }
  traceCallback<R>(fn: (...args: unknown[]) => R, position = -1, context: Record<string, unknown> = {}, thisArg?: unknown, ...args: unknown[]): R {
    const index = position < 0 ? args.length + position : position;
    const callback = args[index] as (err: unknown, ...rest: unknown[]) => unknown;
    args[index] = (err: unknown, ...rest: unknown[]) => {
      if (err) {
        context.error = err;
        this.error.publish(context);
      } else context.result = rest[0];
      this.asyncStart.publish(context);
      try {
        return callback.call(thisArg, err, ...rest);
      } finally {
        this.asyncEnd.publish(context);
      }
    };
    return this.traceSync(fn, context, thisArg, ...args);
  }
}

export function tracingChannel(name: string): TracingChannel {
  return new TracingChannel(name);
}

export default { channel, hasSubscribers, subscribe, unsubscribe, tracingChannel, Channel, TracingChannel };
