/**
 * Lets code that enables async hooks at init (cls-hooked under aws-xray-sdk-core and Powertools
 * Tracer, APM agents) be snapshotted. Node 20's snapshot builder aborts on two things such hooks
 * leave behind:
 *  - live V8 promise hooks (an enabled hook with `init`/`before`/`after`):
 *    `Assertion failed: js_promise_hooks_[0].IsEmpty()` in node::AsyncHooks::Serialize;
 *  - one weak global handle per promise created while a hook with a `destroy` callback was
 *    enabled (Node tracks each promise to emit its destroy): `Check failed:
 *    handle_checker.CheckGlobalAndEternalHandles()` in V8's SnapshotCreator.
 * So while the snapshot is built, `async_hooks.createHook` gives hooks without their `destroy`
 * callback, and the ones enabled are disabled just before Node serializes (a serialize
 * callback). Each restored clone gets them back, whole (`destroy` included) and enabled, before
 * its first invocation (a deserialize callback). What init-time resources kept in a hook's own
 * bookkeeping (cls-hooked's context map) is not destroyed: a few entries, as in a cold start
 * that never collects them. Cold starts are untouched.
 */
import asyncHooks from 'node:async_hooks';
import { startupSnapshot } from 'node:v8';

type HookCallbacks = Parameters<typeof asyncHooks.createHook>[0];
type RealHook = ReturnType<typeof asyncHooks.createHook>;

export function keepAsyncHooksAcrossSnapshot(): void {
  if (!startupSnapshot.isBuildingSnapshot()) return;
  const create = asyncHooks.createHook;
  let restored = false;
  const hooks: SnapshotSafeHook[] = [];

  /** The hook the library holds: it stands for a real hook made for the current phase. */
  class SnapshotSafeHook {
    private real: RealHook;
    enabled = false;
    constructor(private readonly callbacks: HookCallbacks) {
      this.real = restored ? create(callbacks) : create({ ...callbacks, destroy: undefined });
    }
    enable(): this {
      this.enabled = true;
      this.real.enable();
      return this;
    }
    disable(): this {
      this.enabled = false;
      this.real.disable();
      return this;
    }
    /** Before serialization: nothing of it may stay installed. */
    pause(): void {
      if (this.enabled) this.real.disable();
    }
    /** In a clone: the whole hook, enabled again if it was. */
    resume(): void {
      this.real = create(this.callbacks);
      if (this.enabled) this.real.enable();
    }
  }

  // The module object is shared with the user's code (the bundle requires the real module), so
  // libraries that call `async_hooks.createHook(...)` get these hooks.
  asyncHooks.createHook = ((callbacks: HookCallbacks) => {
    const hook = new SnapshotSafeHook(callbacks);
    hooks.push(hook);
    return hook;
  });
  startupSnapshot.addSerializeCallback(() => {
    for (const hook of hooks) hook.pause();
  });
  startupSnapshot.addDeserializeCallback(() => {
    restored = true;
    for (const hook of hooks) hook.resume();
  });
}
