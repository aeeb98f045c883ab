const g = globalThis as unknown as Record<string, unknown>;
export default {
  setTimeout: g.setTimeout,
  clearTimeout: g.clearTimeout,
  setInterval: g.setInterval,
  clearInterval: g.clearInterval,
  setImmediate: g.setImmediate,
  clearImmediate: g.clearImmediate,
  promises: {
    setTimeout: (ms?: number, value?: unknown) => new Promise((resolve) => (g.setTimeout as (f: () => void, ms?: number) => void)(() => resolve(value), ms)),
    setImmediate: (value?: unknown) => new Promise((resolve) => (g.setImmediate as (f: () => void) => void)(() => resolve(value))),
  },
};
