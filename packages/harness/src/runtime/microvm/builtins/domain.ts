/**
 * `domain` in the guest (deprecated in Node, still loaded by the AWS SDK v2): a domain is an
 * EventEmitter that is the active domain while `run()`/bound callbacks execute; errors thrown
 * there go to its `error` listeners when it has any. Like the guest's AsyncLocalStorage, the
 * active domain follows synchronous code and bound callbacks, not `await`.
 */
import { EventEmitter } from 'node:events';

let stack: Domain[] = [];
export let active: Domain | undefined;

export class Domain extends EventEmitter {
  readonly members: unknown[] = [];

  enter(): void {
    stack.push(this);
    // The module's `active` is Node's `domain.active`: the domain itself, by design.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    active = this;
  }
  exit(): void {
    const i = stack.lastIndexOf(this);
    if (i >= 0) stack = stack.slice(0, i);
    active = stack[stack.length - 1];
  }
  add(emitter: unknown): void {
    if (this.members.indexOf(emitter) < 0) this.members.push(emitter);
  }
  remove(emitter: unknown): void {
    const i = this.members.indexOf(emitter);
    if (i >= 0) this.members.splice(i, 1);
  }
  run<R>(fn: (...args: unknown[]) => R, ...args: unknown[]): R | undefined {
    this.enter();
    try {
      return fn.apply(this, args);
    } catch (err) {
      if (this.listenerCount('error') === 0) throw err;
      if (err && typeof err === 'object') Object.assign(err, { domain: this, domainThrown: true });
      this.emit('error', err);
      return undefined;
    } finally {
      this.exit();
    }
  }
  bind<F extends (...args: unknown[]) => unknown>(fn: F): F {
    return ((...args: unknown[]) => this.run(fn, ...args)) as F;
  }
  intercept<F extends (...args: unknown[]) => unknown>(fn: F): (err: unknown, ...args: unknown[]) => unknown {
    return (err: unknown, ...args: unknown[]) => {
      if (err) {
        if (typeof err === 'object') Object.assign(err, { domain: this, domainBound: fn, domainThrown: false });
        this.emit('error', err);
        return undefined;
      }
      return this.run(fn, ...args);
    };
  }
  dispose(): void {
    this.exit();
    this.removeAllListeners();
  }
}

export function create(): Domain {
  return new Domain();
}

export const createDomain = create;

export default {
  Domain,
  create,
  createDomain,
  get active(): Domain | undefined {
    return active;
  },
};
