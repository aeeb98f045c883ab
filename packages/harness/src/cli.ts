/**
 * The `snapstart-harness run` command line: parses the options (engine, clones, cold starts,
 * invocations, env and env files, responses file, layers), runs restoreClones (run.ts) and prints
 * the report (report.ts) or the JSON; exit 1 when a value repeats. bin/snapstart-harness.js calls
 * main(). See docs/harness.md.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { HarnessError } from './errors.js';
import { parseEnvAssignment, readEnvFile } from './containment/environment.js';
import { hostSecrets, redactText } from './containment/redact.js';
import { ENGINE_NAMES } from './engines/index.js';
import { LINUX_RUNTIMES, type LinuxRuntime } from './engines/linux/options.js';
import { formatRun } from './report.js';
import { restoreClones } from './run.js';
import type { StubRule } from './runtime/protocol.js';
import type { EngineName } from './types.js';
import type { AcceleratorChoice, VmgenidMode } from '@snapstart/vmm-core';

const USAGE = `Usage: snapstart-harness run <entry> [options]

Snapshots <entry> (TS or JS, ESM or CJS, top-level await allowed; with --engine linux: a Java
jar or classes folder, a Python folder or file, a JS file) right after init, restores
clones from that one snapshot, runs cold starts of the same code for comparison, invokes each,
and reports the values that repeat across clones: in results, in log lines and in outgoing
HTTP requests (recorded and answered by a stub, never sent).

Options:
  --export <name>        handler export (default: handler)
  --clones <n>           clones restored from the snapshot, 2-256 (default: 4)
  --cold <k>             cold starts for the differential oracle, 0-32 (default: 3; 0 disables)
  --invocations <m>      invocations per instance, 1-100 (default: 1, or one per --events entry)
  --event <file>         JSON event for every invocation (default: {})
  --events <file>        JSON array: one event per invocation
  --layer <dir>          a Lambda layer's contents (what is extracted at /opt; repeatable, later
                         layers over earlier ones): /opt/… imports and nodejs/node_modules resolve
  --responses <file>     JSON array of stub rules {method, url, status, headers, body} for
                         outgoing requests (default answer: 200 {})
  --engine <name>        node (default; a V8 startup snapshot), microvm (a vmm-core microVM) or
                         linux (a real Linux kernel under QEMU running the function's own runtime
                         and AWS's runtime interface client)
  --runtime <r>          linux: java, python or node (required with --engine linux)
  --handler <h>          linux: Lambda's handler string (com.example.Handler::handleRequest,
                         app.handler, index.handler)
  --accel <a>            microvm, linux: kvm, tcg or auto (default: auto)
  --vmgenid <mode>       microvm, linux: fresh (default), same or none
  --reseed-math-random   microvm: reseed Math.random from the guest RNG on a new generation
  --timeout <ms>         per invocation (the first also covers after-restore hooks; default: 10000)
  --memory <MB>          the function's memory setting, 128-10240 (default: 1024), enforced per
                         instance: past it the verdict is out-of-memory (Runtime.OutOfMemory)
  --env NAME=VALUE       set a variable in the function's environment (repeatable); instances get
                         Lambda's variables and these, nothing of the host's environment
  --env-file <file>      variables from a dotenv file (NAME=value lines; --env wins)
  --allow-errors         give a verdict even when the run tested nothing (every clone or cold
                         start failed, or no output to compare); without it such a run exits 2
  --json                 print the run as JSON (schemaVersion 2, see docs/harness.md)
  -h, --help             show this help

Examples:
  snapstart-harness run examples/log-stream/handler.ts --clones 4
  snapstart-harness run src/handler.ts --invocations 3 --events events.json --responses stubs.json
  snapstart-harness run src/handler.ts --engine microvm --accel tcg --vmgenid same
  snapstart-harness run build/classes --engine linux --runtime java --handler example.Handler::handleRequest
  snapstart-harness run examples/python-random-seed --engine linux --runtime python --handler app.handler

Exit codes: 0 no duplicates, 1 duplicates found, 2 harness error (bad input, build failure) or
            a run that tested nothing (the function failed in every clone or every cold start,
            or produced no output to compare; --allow-errors gives the verdict anyway).
            A clone that crashes, hangs or throws is reported, not a harness error.`;

interface Args {
  entry?: string;
  exportName: string;
  clones: number;
  cold: number;
  invocations?: number;
  eventFile?: string;
  eventsFile?: string;
  responsesFile?: string;
  engine: EngineName;
  accel: AcceleratorChoice;
  vmgenid: VmgenidMode;
  reseedMathRandom: boolean;
  runtime?: LinuxRuntime;
  handler?: string;
  timeoutMs: number;
  json: boolean;
  memoryMb?: number;
  env: Record<string, string>;
  envFiles: string[];
  allowErrors: boolean;
  layers: string[];
}

function parse(argv: string[]): Args | 'help' {
  const args: Args = { exportName: 'handler', clones: 4, cold: 3, engine: 'node', accel: 'auto', vmgenid: 'fresh', reseedMathRandom: false, timeoutMs: 10_000, json: false, allowErrors: false, layers: [], env: {}, envFiles: [] };
  const rest = [...argv];
  const command = rest.shift();
  if (command === undefined || command === '-h' || command === '--help') return 'help';
  if (command !== 'run') throw new HarnessError(`unknown command '${command}' (expected: run)\n\n${USAGE}`);
  const value = (flag: string): string => {
    const v = rest.shift();
    if (v === undefined || v.startsWith('--')) throw new HarnessError(`${flag} needs a value`);
    return v;
  };
  const integer = (flag: string, v: string, min = 1): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new HarnessError(`${flag} expects ${min === 0 ? 'a non-negative' : 'a positive'} integer, got '${v}'`);
    return n;
  };
  const oneOf = <T extends string>(flag: string, v: string, allowed: readonly T[]): T => {
    if (!(allowed as readonly string[]).includes(v)) throw new HarnessError(`${flag} expects one of ${allowed.join(', ')}, got '${v}'`);
    return v as T;
  };
  while (rest.length > 0) {
    const arg = rest.shift()!;
    switch (arg) {
      case '--export': args.exportName = value(arg); break;
      case '--clones': args.clones = integer(arg, value(arg)); break;
      case '--cold': args.cold = integer(arg, value(arg), 0); break;
      case '--invocations': args.invocations = integer(arg, value(arg)); break;
      case '--event': args.eventFile = value(arg); break;
      case '--events': args.eventsFile = value(arg); break;
      case '--responses': args.responsesFile = value(arg); break;
      case '--layer': args.layers.push(value(arg)); break;
      case '--engine': args.engine = oneOf(arg, value(arg), ENGINE_NAMES); break;
      case '--accel': args.accel = oneOf<AcceleratorChoice>(arg, value(arg), ['auto', 'kvm', 'tcg']); break;
      case '--vmgenid': args.vmgenid = oneOf<VmgenidMode>(arg, value(arg), ['fresh', 'same', 'none']); break;
      case '--reseed-math-random': args.reseedMathRandom = true; break;
      case '--runtime': args.runtime = oneOf(arg, value(arg), LINUX_RUNTIMES); break;
      case '--handler': args.handler = value(arg); break;
      case '--timeout': args.timeoutMs = integer(arg, value(arg)); break;
      case '--json': args.json = true; break;
      case '--memory': args.memoryMb = integer(arg, value(arg)); break;
      case '--env': { const [k, v] = parseEnvAssignment(value(arg)); args.env[k] = v; break; }
      case '--env-file': args.envFiles.push(value(arg)); break;
      case '--allow-errors': args.allowErrors = true; break;
      case '-h': case '--help': return 'help';
      default:
        if (arg.startsWith('-')) throw new HarnessError(`unknown option '${arg}'\n\n${USAGE}`);
        if (args.entry) throw new HarnessError(`only one entry is allowed (got '${args.entry}' and '${arg}')`);
        args.entry = arg;
    }
  }
  if (!args.entry) throw new HarnessError(`missing <entry>\n\n${USAGE}`);
  if (args.engine === 'linux' && !args.runtime) throw new HarnessError(`--engine linux needs --runtime (${LINUX_RUNTIMES.join(', ')})`);
  if (args.runtime && args.engine !== 'linux') throw new HarnessError('--runtime applies to --engine linux only (the node and microvm engines run JavaScript)');
  if (args.eventFile && args.eventsFile) throw new HarnessError('use either --event or --events, not both');
  return args;
}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(resolve(file), 'utf8');
  } catch (err) {
    throw new HarnessError(`cannot read ${what} file ${file}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new HarnessError(`${what} file ${file} is not valid JSON: ${(err as Error).message}`);
  }
}

function readStubs(file: string | undefined): StubRule[] {
  if (!file) return [];
  const rules = readJson(file, 'responses');
  if (!Array.isArray(rules)) throw new HarnessError(`responses file ${file} must hold a JSON array of {method, url, status, headers, body}`);
  rules.forEach((r: unknown, i) => {
    if (!r || typeof r !== 'object' || typeof (r as { url?: unknown }).url !== 'string') {
      throw new HarnessError(`responses file ${file}: entry ${i} needs a string "url" pattern`);
    }
    const status = (r as { status?: unknown }).status;
    if (status !== undefined && (!Number.isInteger(status) || (status as number) < 100 || (status as number) > 599)) {
      throw new HarnessError(`responses file ${file}: entry ${i} has status ${JSON.stringify(status)}; expected 100-599`);
    }
  });
  return rules as StubRule[];
}

/** Returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    const args = parse(argv);
    if (args === 'help') {
      console.log(USAGE);
      return 0;
    }
    const events = args.eventsFile ? readJson(args.eventsFile, 'events') : undefined;
    if (events !== undefined && !Array.isArray(events)) throw new HarnessError(`events file ${args.eventsFile} must hold a JSON array (one event per invocation)`);
    const run = await restoreClones({
      entry: args.entry!,
      exportName: args.exportName,
      clones: args.clones,
      cold: args.cold,
      ...(args.invocations !== undefined ? { invocations: args.invocations } : {}),
      ...(events ? { events: events as unknown[] } : { event: args.eventFile ? readJson(args.eventFile, 'event') : {} }),
      stubs: readStubs(args.responsesFile),
      ...(args.layers.length ? { layers: args.layers } : {}),
      engine: args.engine,
      accel: args.accel,
      vmgenid: args.vmgenid,
      reseedMathRandom: args.reseedMathRandom,
      ...(args.runtime ? { runtime: args.runtime } : {}),
      ...(args.handler ? { handler: args.handler } : {}),
      timeoutMs: args.timeoutMs,
      env: { ...args.envFiles.reduce<Record<string, string>>((all, f) => ({ ...all, ...readEnvFile(f) }), {}), ...args.env },
      ...(args.memoryMb !== undefined ? { memoryMb: args.memoryMb } : {}),
    });
    console.log(args.json ? JSON.stringify(run, null, 2) : formatRun(run));
    if (run.coverage.inconclusive && !args.allowErrors) {
      console.error(`snapstart-harness: the run tested nothing: ${run.coverage.inconclusive} (--allow-errors gives a verdict anyway)`);
      return 2;
    }
    return run.duplicates.length > 0 || run.sequences.length > 0 ? 1 : 0;
  } catch (err) {
    if (err instanceof HarnessError) {
      // An init that read a host secret (a credentials file) and threw it is not printed either.
      const secrets = hostSecrets();
      console.error(`snapstart-harness: ${redactText(err.message, secrets)}`);
      if (err.details) console.error(redactText(err.details, secrets));
      return 2;
    }
    console.error(err);
    return 2;
  }
}
