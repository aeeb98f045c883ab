/**
 * Lets code that enables async hooks at init (cls-hooked under aws-xray-sdk-core and Powertools
 * Tracer, APM agents) be snapshotted. An enabled hook with an `init`/`before`/`after` callback
 * makes Node install V8 promise hooks, and Node 20's snapshot serializer refuses live promise
 * hooks (`Assertion failed: js_promise_hooks_[0].IsEmpty()` in node::AsyncHooks::Serialize, an
 * abort, not an error). So while the snapshot is built, every hook made by
 * `async_hooks.createHook` is tracked; the ones enabled when the snapshot is serialized are
 * disabled just before (a serialize callback), and enabled again in each restored clone (a
 * deserialize callback), before the clone's first invocation. Cold starts are untouched.
 */
import asyncHooks from 'node:async_hooks';
import { startupSnapshot } from 'node:v8';

type Hook = ReturnType<typeof asyncHooks.createHook>;

export function keepAsyncHooksAcrossSnapshot(): void {
  if (!startupSnapshot.isBuildingSnapshot()) return;
  const enabled = new Set<Hook>();
  const create = asyncHooks.createHook;
  // The module object is shared with the user's code (the bundle requires the real module), so
  // libraries that call `async_hooks.createHook(...)` get the tracked hooks.
  asyncHooks.createHook = function createHook(callbacks: Parameters<typeof create>[0]): Hook {
    const hook = create(callbacks);
    const enable = hook.enable.bind(hook);
    const disable = hook.disable.bind(hook);
    hook.enable = () => {
      enabled.add(hook);
      return enable();
    };
    hook.disable = () => {
      enabled.delete(hook);
      return disable();
    };
    return hook;
  };
  let paused: Hook[] = [];
  startupSnapshot.addSerializeCallback(() => {
    paused = [...enabled];
    for (const hook of paused) hook.disable();
  });
  startupSnapshot.addDeserializeCallback(() => {
    for (const hook of paused) hook.enable();
  });
}
