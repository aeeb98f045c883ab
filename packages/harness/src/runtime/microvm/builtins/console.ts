/**
 * `console` in the guest: Node's Console class (writing `util.format` lines to the streams it is
 * given, as Powertools Logger and Metrics construct it) and the global console built from it
 * over process.stdout/stderr, whose lines the harness records.
 */
import proc from './process.js';
import util from './util.js';

interface Writable {
  write(chunk: string): unknown;
}

interface ConsoleOptions {
  stdout: Writable;
  stderr?: Writable;
}

export class Console {
  private readonly out: Writable;
  private readonly err: Writable;
  private indent = '';
  private readonly counts = new Map<string, number>();
  private readonly timers = new Map<string, number>();

  constructor(options: ConsoleOptions | Writable, stderr?: Writable) {
    const o = options as Partial<ConsoleOptions>;
    const isOptions = o.stdout !== undefined && typeof (options as Writable).write !== 'function';
    this.out = isOptions ? o.stdout! : (options as Writable);
    this.err = (isOptions ? o.stderr : stderr) ?? this.out;
    // Methods are used detached (`const { log } = console`), as Node's are bound.
    for (const name of ['log', 'info', 'debug', 'warn', 'error', 'trace', 'dir', 'table', 'assert', 'count', 'countReset', 'time', 'timeEnd', 'timeLog', 'group', 'groupCollapsed', 'groupEnd'] as const) {
      // Read unbound only to be bound on the next line.
      // eslint-disable-next-line @typescript-eslint/unbound-method
      const method = this[name] as (...args: unknown[]) => void;
      (this as unknown as Record<string, unknown>)[name] = method.bind(this);
    }
  }

  private write(stream: Writable, args: unknown[]): void {
    const text = util.format(...args);
    stream.write(`${this.indent ? text.replace(/^/gm, this.indent) : text}\n`);
  }

  log(...args: unknown[]): void {
    this.write(this.out, args);
  }
  info(...args: unknown[]): void {
    this.write(this.out, args);
  }
  debug(...args: unknown[]): void {
    this.write(this.out, args);
  }
  warn(...args: unknown[]): void {
    this.write(this.err, args);
  }
  error(...args: unknown[]): void {
    this.write(this.err, args);
  }
  trace(...args: unknown[]): void {
    const stack = (new Error().stack ?? '').split('\n').slice(2).join('\n');
    this.write(this.err, [`Trace: ${util.format(...args)}\n${stack}`]);
  }
  dir(value: unknown): void {
    this.write(this.out, [util.inspect(value)]);
  }
  table(data: unknown): void {
    this.write(this.out, [util.inspect(data)]);
  }
  assert(condition: unknown, ...args: unknown[]): void {
    if (!condition) this.write(this.err, args.length ? ['Assertion failed:', ...args] : ['Assertion failed']);
  }
  count(label = 'default'): void {
    const n = (this.counts.get(label) ?? 0) + 1;
    this.counts.set(label, n);
    this.write(this.out, [`${label}: ${n}`]);
  }
  countReset(label = 'default'): void {
    this.counts.delete(label);
  }
  time(label = 'default'): void {
    this.timers.set(label, performance.now());
  }
  timeLog(label = 'default', ...args: unknown[]): void {
    const start = this.timers.get(label);
    if (start === undefined) this.write(this.err, [`Warning: No such label '${label}' for console.timeLog()`]);
    else this.write(this.out, [`${label}: ${(performance.now() - start).toFixed(3)}ms`, ...args]);
  }
  timeEnd(label = 'default'): void {
    this.timeLog(label);
    this.timers.delete(label);
  }
  group(...args: unknown[]): void {
    if (args.length) this.log(...args);
    this.indent += '  ';
  }
  groupCollapsed(...args: unknown[]): void {
    this.group(...args);
  }
  groupEnd(): void {
    this.indent = this.indent.slice(2);
  }
}

/** The global console over process.stdout/stderr; `require('console')` is it, and it carries the class (as in Node). */
const theConsole = new Console({ stdout: proc.stdout, stderr: proc.stderr }) as Console & { Console: typeof Console };
theConsole.Console = Console;

export default theConsole;
