/**
 * Node modules a microVM guest cannot provide (child processes, sockets, threads, compression).
 * A dependency may import them (the AWS SDK imports child_process for one credential provider it
 * never uses here); each function throws, naming the API, only when called. Importing one from
 * the function's own code is refused at build time instead (see the microvm engine).
 */
export function unavailable(module: string, names: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of names) {
    out[name] = () => {
      throw new Error(`${module}.${name}() is not available in the microvm guest (no processes, sockets or threads there)`);
    };
  }
  return out;
}
