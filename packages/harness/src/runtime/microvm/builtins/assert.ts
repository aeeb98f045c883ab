/** `assert` in the guest: the common assertions. */
class AssertionError extends Error {
  readonly code = 'ERR_ASSERTION';
  constructor(message: string) {
    super(message);
    this.name = 'AssertionError';
  }
}
const fail = (message: unknown, fallback: string): never => {
  if (message instanceof Error) throw message;
  throw new AssertionError(message === undefined ? fallback : typeof message === 'string' ? message : JSON.stringify(message));
};
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
function ok(value: unknown, message?: unknown): void {
  if (!value) fail(message, `The expression evaluated to a falsy value: ${String(value)}`);
}
export default Object.assign(ok, {
  ok,
  AssertionError,
  equal: (a: unknown, b: unknown, m?: unknown) => void (a != b && fail(m, `${String(a)} == ${String(b)}`)),
  strictEqual: (a: unknown, b: unknown, m?: unknown) => void (a !== b && fail(m, `Expected values to be strictly equal: ${String(a)} !== ${String(b)}`)),
  notStrictEqual: (a: unknown, b: unknown, m?: unknown) => void (a === b && fail(m, `Expected values to differ: ${String(a)}`)),
  deepEqual: (a: unknown, b: unknown, m?: unknown) => void (!same(a, b) && fail(m, 'Expected values to be loosely deep-equal')),
  deepStrictEqual: (a: unknown, b: unknown, m?: unknown) => void (!same(a, b) && fail(m, 'Expected values to be strictly deep-equal')),
  fail: (m?: unknown) => fail(m, 'Failed'),
  throws: (fn: () => unknown, _e?: unknown, m?: unknown) => {
    try {
      fn();
    } catch {
      return;
    }
    fail(m, 'Missing expected exception.');
  },
});
