import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { HarnessError } from './errors.js';
import { formatRun } from './report.js';
import { restoreClones } from './restore.js';

const USAGE = `Usage: snapstart-harness run <entry> [options]

Snapshots <entry> (TS or JS, ESM or CJS) right after init, restores several clones from that one
snapshot, invokes each, and reports the values that repeat across clones.

Options:
  --export <name>     handler export (default: handler)
  --clones <n>        number of clones, 2-256 (default: 4)
  --event <file>      JSON event passed to the handler (default: {})
  --engine <name>     node (default; a V8 startup snapshot)
  --timeout <ms>      per clone, after-restore hooks + invocation (default: 10000)
  --json              print the run as JSON
  -h, --help          show this help

Exit codes: 0 no duplicates, 1 duplicates found, 2 harness error (bad input, build failure)
            A clone that crashes, hangs or throws is reported, not a harness error.`;

interface Args {
  entry?: string;
  exportName: string;
  clones: number;
  eventFile?: string;
  engine: string;
  timeoutMs: number;
  json: boolean;
}

function parse(argv: string[]): Args | 'help' {
  const args: Args = { exportName: 'handler', clones: 4, engine: 'node', timeoutMs: 10_000, json: false };
  const rest = [...argv];
  const command = rest.shift();
  if (command === undefined || command === '-h' || command === '--help') return 'help';
  if (command !== 'run') throw new HarnessError(`unknown command '${command}' (expected: run)\n\n${USAGE}`);
  const value = (flag: string): string => {
    const v = rest.shift();
    if (v === undefined || v.startsWith('--')) throw new HarnessError(`${flag} needs a value`);
    return v;
  };
  const integer = (flag: string, v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new HarnessError(`${flag} expects a positive integer, got '${v}'`);
    return n;
  };
  while (rest.length > 0) {
    const arg = rest.shift()!;
    switch (arg) {
      case '--export': args.exportName = value(arg); break;
      case '--clones': args.clones = integer(arg, value(arg)); break;
      case '--event': args.eventFile = value(arg); break;
      case '--engine': args.engine = value(arg); break;
      case '--timeout': args.timeoutMs = integer(arg, value(arg)); break;
      case '--json': args.json = true; break;
      case '-h': case '--help': return 'help';
      default:
        if (arg.startsWith('-')) throw new HarnessError(`unknown option '${arg}'\n\n${USAGE}`);
        if (args.entry) throw new HarnessError(`only one entry is allowed (got '${args.entry}' and '${arg}')`);
        args.entry = arg;
    }
  }
  if (!args.entry) throw new HarnessError(`missing <entry>\n\n${USAGE}`);
  if (args.engine !== 'node') {
    throw new HarnessError(`engine '${args.engine}' is not available (available: node; the kvm engine needs vmm-core, which is not built yet)`);
  }
  return args;
}

function readEvent(file: string | undefined): unknown {
  if (!file) return {};
  let text: string;
  try {
    text = readFileSync(resolve(file), 'utf8');
  } catch (err) {
    throw new HarnessError(`cannot read event file ${file}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new HarnessError(`event file ${file} is not valid JSON: ${(err as Error).message}`);
  }
}

/** Returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    const args = parse(argv);
    if (args === 'help') {
      console.log(USAGE);
      return 0;
    }
    const run = await restoreClones({
      entry: args.entry!,
      exportName: args.exportName,
      clones: args.clones,
      event: readEvent(args.eventFile),
      timeoutMs: args.timeoutMs,
    });
    console.log(args.json ? JSON.stringify(run, null, 2) : formatRun(run));
    return run.duplicates.length > 0 ? 1 : 0;
  } catch (err) {
    if (err instanceof HarnessError) {
      console.error(`snapstart-harness: ${err.message}`);
      if (err.details) console.error(err.details);
      return 2;
    }
    console.error(err);
    return 2;
  }
}
