/**
 * `fs` in the guest: there is no file system. Reads fail with ENOENT (as for a missing file),
 * which is what libraries expect when they probe for optional config files; writes are refused.
 */
function enoent(syscall: string, path: unknown): Error {
  const err = new Error(`ENOENT: no such file or directory, ${syscall} '${String(path)}' (the microvm guest has no file system)`) as Error & Record<string, unknown>;
  err.code = 'ENOENT';
  err.errno = -2;
  err.syscall = syscall;
  err.path = String(path);
  return err;
}

const sync = (syscall: string) => (path: unknown) => {
  throw enoent(syscall, path);
};
const callback =
  (syscall: string) =>
  (path: unknown, ...rest: unknown[]) => {
    const cb = rest[rest.length - 1];
    if (typeof cb === 'function') queueMicrotask(() => (cb as (e: Error) => void)(enoent(syscall, path)));
  };
const promise = (syscall: string) => (path: unknown) => Promise.reject(enoent(syscall, path));

const names = ['readFile', 'writeFile', 'appendFile', 'readdir', 'stat', 'lstat', 'access', 'open', 'mkdir', 'realpath', 'unlink', 'rm', 'mkdtemp'];
const fs: Record<string, unknown> = {
  existsSync: () => false,
  constants: { F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1 },
  promises: {},
};
for (const name of names) {
  fs[`${name}Sync`] = sync(name);
  fs[name] = callback(name);
  (fs.promises as Record<string, unknown>)[name] = promise(name);
}
export default fs;
