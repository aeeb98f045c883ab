// The snapstart-scan command line: the help text and parseCommand, which turns argv into a scan or
// merge command (or help/version) and rejects mistakes with a UsageError (exit 2). First step of
// main.ts. See docs/cli.md, "Options".
import { parseArgs } from 'node:util';
import type { ConfirmEngine } from '../confirm/model.js';
import { parseShard, type Shard } from '../discover/shard.js';

export type Format = 'stylish' | 'json' | 'sarif';

interface CommonOptions {
  readonly format: Format;
  readonly output?: string;
  readonly maxWarnings?: number;
  readonly quiet: boolean;
  readonly color?: boolean;
}

export interface ScanCommand extends CommonOptions {
  readonly command: 'scan';
  readonly paths: string[];
  readonly config?: string;
  readonly useEslintConfig: boolean;
  readonly baseline?: string;
  readonly writeBaseline?: string;
  readonly shard?: Shard;
  readonly concurrency: number | 'auto' | 'off';
  readonly includeTests: boolean;
  readonly progress: boolean;
  readonly prefilter: boolean;
  readonly fix: boolean;
  /** Print the files the scan would cover, and those it leaves out with why; scan nothing. */
  readonly listFiles: boolean;
  /** A path that does not exist or holds nothing to scan is a file problem, not exit 2. */
  readonly errorOnUnmatched: boolean;
  /** `--confirm`: run the handlers with findings in real clones and mark every finding. */
  readonly confirm?: ConfirmCliOptions;
}

export interface ConfirmCliOptions {
  readonly engine: ConfirmEngine;
  readonly clones: number;
  readonly cold: number;
  readonly event?: string;
  /** `confirmed`: only confirmed findings fail the build; `any` (default): every finding does, as without --confirm. */
  readonly failOn: 'confirmed' | 'any';
  readonly timeoutSeconds: number;
  /** Reuse runs of unchanged handlers (default true; `--no-confirm-cache`). */
  readonly cache: boolean;
}

export interface MergeCommand extends CommonOptions {
  readonly command: 'merge';
  readonly reports: string[];
  readonly allowPartial: boolean;
  /** The shards ran with `--confirm`: which findings fail the merged build. */
  readonly failOn?: 'confirmed' | 'any';
}

export type Command = ScanCommand | MergeCommand | { readonly command: 'help' } | { readonly command: 'version' };

/** A command-line mistake: exit code 2 with this message. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const HELP = `snapstart-scan — find snapshot-uniqueness bugs (AWS Lambda SnapStart and other
microVM snapshots) in TypeScript, JavaScript and Java.

Usage:
  snapstart-scan [paths...] [options]        scan files and directories (default: .)
  snapstart-scan merge <reports...> [options] combine the JSON or SARIF reports of shards

Output:
  -f, --format <stylish|json|sarif>  report format (default: stylish)
  -o, --output <file>                write the report to a file instead of stdout
  -q, --quiet                        report errors only
      --max-warnings <n>             also fail (exit 1) when there are more than n warnings
      --color, --no-color            force colours on or off (default: on for a terminal)
      --no-progress                  no progress bar (it only shows on a terminal with stylish output)

Scan:
  -c, --config <file>                config file (default: snapstart.config.json|.mjs|.js, or the
                                     "snapstart" key of package.json, in the current directory)
      --use-eslint-config            lint TS/JS with your eslint.config.* plus snapstart's rules
      --include-tests                scan test files too (skipped by default)
      --baseline <file>              report only findings that are not in this baseline
      --write-baseline <file>        record every current finding as accepted, and exit 0
      --shard <K/N>                  scan shard K of N (deterministic, balanced by size)
      --concurrency <n|auto|off>     worker threads (default: auto, one per core for big scans)
      --no-prefilter                 parse every file, also those that mention no source of unique
                                     values (slower; reports syntax errors in every file)
      --fix                          apply snapstart's autofixes to your files (e.g. add
                                     { disableEntropyCache: true }); the report shows what is left.
                                     Writes are atomic; a file changed during the scan, read-only
                                     or not valid UTF-8 is not fixed, and said so
      --list-files                   print the files the scan covers, and each file it leaves out
                                     with the reason; scan nothing
      --no-error-on-unmatched-pattern
                                     a path that does not exist or holds no file to scan is a file
                                     problem, not exit 2

Confirm (run the handlers in real clones restored from a snapshot; see docs/cli.md):
      --confirm                      mark every finding confirmed, not-reproduced or not-run, and
                                     report values only the run saw (dynamic/duplicate)
      --engine <node|microvm|linux>  engine for TS/JS handlers (default: node); Java and Python
                                     findings use linux
      --clones <n>                   clones per handler, 2-256 (default: 3)
      --cold <k>                     cold starts per handler for the oracle, 0-32 (default: 2)
      --event <file|dir>             the event: one JSON file for every handler, or a folder of
                                     <handler stem>.json / event.json (default: event.json beside
                                     the handler, else {})
      --confirm-fail-on <confirmed|any>
                                     which findings fail the build (default: any, as without
                                     --confirm; confirmed: only proven ones)
      --confirm-timeout <seconds>    per handler (default: 300)
      --no-confirm-cache             run every handler again (by default a handler whose bundle did
                                     not change reuses its last run, from node_modules/.cache/snapstart)

Merge:
      --allow-partial                merge even if some shards are missing
      --confirm-fail-on <confirmed|any>
                                     as for a scan, when the shards ran with --confirm

  -h, --help                         show this help
  -v, --version                      show the version

Exit codes: 0 no errors (and warnings within --max-warnings), 1 findings that fail the
build, 2 usage, configuration, path or internal error (a path that does not exist or holds
no file to scan is exit 2; an output that cannot be written is found before the scan).

Examples:
  snapstart-scan                                  scan the current repository
  snapstart-scan src/ functions/ --format sarif -o snapstart.sarif
  snapstart-scan --write-baseline .snapstart-baseline.json   accept today's findings
  snapstart-scan --baseline .snapstart-baseline.json         fail only on new ones
  snapstart-scan --shard 2/4 --format json -o shard-2.json   one job of a CI matrix
  snapstart-scan merge shard-*.json --format sarif -o snapstart.sarif
  snapstart-scan examples/ --confirm              prove or refute each finding in real clones

Docs: https://github.com/snapstart-dev/snapstart/blob/main/docs/cli.md
`;

function format(value: string | undefined): Format {
  if (value === undefined) return 'stylish';
  if (value === 'stylish' || value === 'json' || value === 'sarif') return value;
  throw new UsageError(`--format must be stylish, json or sarif, got "${value}"`);
}

function nonNegativeInt(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} must be a whole number ≥ 0, got "${value}"`);
  return Number(value);
}

function intIn(flag: string, value: string | undefined, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const n = nonNegativeInt(flag, value)!;
  if (n < min || n > max) throw new UsageError(`${flag} must be from ${min} to ${max}, got ${n}`);
  return n;
}

/**
 * The harness's engine names, typed by its EngineName (not imported at run time: the harness is an
 * optional peer that a plain scan never loads).
 */
const CONFIRM_ENGINES: readonly ConfirmEngine[] = ['node', 'microvm', 'linux'];

function confirmOptions(v: Record<string, string | boolean | undefined>): ConfirmCliOptions {
  const engine = (v['engine'] as string | undefined) ?? 'node';
  if (!(CONFIRM_ENGINES as readonly string[]).includes(engine)) throw new UsageError(`--engine must be ${CONFIRM_ENGINES.join(', ')}, got "${engine}"`);
  const failOn = (v['confirm-fail-on'] as string | undefined) ?? 'any';
  if (failOn !== 'confirmed' && failOn !== 'any') throw new UsageError(`--confirm-fail-on must be confirmed or any, got "${failOn}"`);
  const event = v['event'] as string | undefined;
  return {
    engine: engine as ConfirmEngine,
    clones: intIn('--clones', v['clones'] as string | undefined, 2, 256, 3),
    cold: intIn('--cold', v['cold'] as string | undefined, 0, 32, 2),
    ...(event !== undefined ? { event } : {}),
    failOn,
    timeoutSeconds: intIn('--confirm-timeout', v['confirm-timeout'] as string | undefined, 1, 86_400, 300),
    cache: !v['no-confirm-cache'],
  };
}

export function parseCommand(argv: readonly string[]): Command {
  const merge = argv[0] === 'merge';
  let parsed;
  try {
    parsed = parseArgs({
      args: merge ? argv.slice(1) : [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f' },
        output: { type: 'string', short: 'o' },
        quiet: { type: 'boolean', short: 'q' },
        'max-warnings': { type: 'string' },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        'no-progress': { type: 'boolean' },
        'no-prefilter': { type: 'boolean' },
        fix: { type: 'boolean' },
        'list-files': { type: 'boolean' },
        'no-error-on-unmatched-pattern': { type: 'boolean' },
        config: { type: 'string', short: 'c' },
        'use-eslint-config': { type: 'boolean' },
        'include-tests': { type: 'boolean' },
        baseline: { type: 'string' },
        'write-baseline': { type: 'string' },
        shard: { type: 'string' },
        concurrency: { type: 'string' },
        'allow-partial': { type: 'boolean' },
        confirm: { type: 'boolean' },
        engine: { type: 'string' },
        clones: { type: 'string' },
        cold: { type: 'string' },
        event: { type: 'string' },
        'confirm-fail-on': { type: 'string' },
        'confirm-timeout': { type: 'string' },
        'no-confirm-cache': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  const v = parsed.values;
  if (v.help) return { command: 'help' };
  if (v.version) return { command: 'version' };
  const common: CommonOptions = {
    format: format(v.format),
    ...(v.output !== undefined ? { output: v.output } : {}),
    ...(v['max-warnings'] !== undefined ? { maxWarnings: nonNegativeInt('--max-warnings', v['max-warnings'])! } : {}),
    quiet: v.quiet ?? false,
    ...(v['no-color'] ? { color: false } : v.color ? { color: true } : {}),
  };
  const confirmOnly = ['engine', 'clones', 'cold', 'event', 'confirm-fail-on', 'confirm-timeout', 'no-confirm-cache'] as const;
  const scanOnly = ['config', 'use-eslint-config', 'include-tests', 'baseline', 'write-baseline', 'shard', 'concurrency', 'no-progress', 'no-prefilter', 'fix', 'list-files', 'no-error-on-unmatched-pattern', 'confirm', ...confirmOnly] as const;
  if (merge) {
    for (const k of scanOnly) if (k !== 'confirm-fail-on' && v[k] !== undefined) throw new UsageError(`--${k} is an option of a scan, not of merge`);
    const failOn = v['confirm-fail-on'] === undefined ? undefined : confirmOptions({ 'confirm-fail-on': v['confirm-fail-on'] }).failOn;
    if (parsed.positionals.length === 0) throw new UsageError('merge needs the report files of the shards, e.g. snapstart-scan merge shard-*.json');
    return { command: 'merge', reports: parsed.positionals, allowPartial: v['allow-partial'] ?? false, ...(failOn ? { failOn } : {}), ...common };
  }
  if (v['allow-partial']) throw new UsageError('--allow-partial is an option of merge');
  let shard: Shard | undefined;
  if (v.shard !== undefined) {
    const s = parseShard(v.shard);
    if (typeof s === 'string') throw new UsageError(s);
    shard = s;
  }
  let concurrency: ScanCommand['concurrency'] = 'auto';
  if (v.concurrency !== undefined) {
    if (v.concurrency === 'auto' || v.concurrency === 'off') concurrency = v.concurrency;
    else concurrency = nonNegativeInt('--concurrency', v.concurrency)!;
  }
  if (v.baseline !== undefined && v['write-baseline'] !== undefined) throw new UsageError('use either --baseline or --write-baseline, not both');
  if (!v.confirm) for (const k of confirmOnly) if (v[k] !== undefined) throw new UsageError(`--${k} is an option of --confirm`);
  const confirm = v.confirm ? confirmOptions(v) : undefined;
  return {
    command: 'scan',
    paths: parsed.positionals.length > 0 ? parsed.positionals : ['.'],
    ...(v.config !== undefined ? { config: v.config } : {}),
    useEslintConfig: v['use-eslint-config'] ?? false,
    ...(v.baseline !== undefined ? { baseline: v.baseline } : {}),
    ...(v['write-baseline'] !== undefined ? { writeBaseline: v['write-baseline'] } : {}),
    ...(shard ? { shard } : {}),
    concurrency,
    includeTests: v['include-tests'] ?? false,
    progress: !v['no-progress'],
    prefilter: !v['no-prefilter'],
    fix: v.fix ?? false,
    listFiles: v['list-files'] ?? false,
    errorOnUnmatched: !v['no-error-on-unmatched-pattern'],
    ...(confirm ? { confirm } : {}),
    ...common,
  };
}
