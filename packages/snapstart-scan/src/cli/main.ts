// The snapstart-scan CLI: parses the command (args.ts), loads config and baseline, checks every
// output is writable, runs the scan (scan.ts) or merges shard reports (merge.ts), optionally
// confirms findings with the harness (confirm/), writes the report in the chosen format and
// returns the exit code. bin/snapstart-scan.js calls main(). See docs/cli.md.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BaselineError, readBaseline, writeBaseline } from '../baseline.js';
import { loadConfig } from '../config/load.js';
import { ConfigError, splitHandlers, type ScanConfig } from '../config/schema.js';
import { checkWritable, WriteError, writeFileAtomic } from '../io/atomic-write.js';
import { MergeError, mergeReports } from '../merge.js';
import { Progress } from '../progress.js';
import { colors, useColors } from '../report/colors.js';
import { formatJson } from '../report/json.js';
import { countBySeverity, type ScanReport } from '../report/model.js';
import { readReport, ReportError } from '../report/read.js';
import { buildSarif } from '../report/sarif.js';
import { formatStylish } from '../report/stylish.js';
import { VERSION } from '../version.js';
import { HELP, parseCommand, UsageError, type Format, type MergeCommand, type ScanCommand } from './args.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;
export const EXIT_INTERRUPTED = 130;

interface Io {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly cwd: string;
}

/** What `--quiet` leaves of a report: errors only. */
function quietView(report: ScanReport): ScanReport {
  return { ...report, findings: report.findings.filter((f) => f.severity === 'error') };
}

/**
 * 1 when errors remain, or more warnings than `--max-warnings`; else 0. With
 * `--confirm-fail-on confirmed`, only findings real clones confirmed count.
 */
export function exitCodeFor(report: ScanReport, maxWarnings: number | undefined, failOn: 'confirmed' | 'any' = 'any'): number {
  const counted = failOn === 'confirmed' ? report.findings.filter((f) => f.confirmation?.state === 'confirmed') : report.findings;
  const counts = countBySeverity(counted);
  if (counts.error > 0) return EXIT_FINDINGS;
  if (maxWarnings !== undefined && counts.warning > maxWarnings) return EXIT_FINDINGS;
  return EXIT_OK;
}

function render(report: ScanReport, format: Format, toFile: boolean, io: Io, colorFlag: boolean | undefined): string {
  if (format === 'json') return formatJson(report);
  if (format === 'sarif') return `${JSON.stringify(buildSarif(report), null, 2)}\n`;
  const enabled = colorFlag ?? (!toFile && useColors(io.stdout));
  return formatStylish(report, { colors: colors(enabled), linesOf: lineReader(io.cwd) });
}

function emit(report: ScanReport, options: ScanCommand | MergeCommand, io: Io): number {
  const view = options.quiet ? quietView(report) : report;
  const text = render(view, options.format, options.output !== undefined, io, options.color);
  if (options.output !== undefined) {
    writeFileAtomic(resolve(io.cwd, options.output), text);
    // Say where the report went, and the verdict, so a CI log still shows it.
    const counts = countBySeverity(view.findings);
    io.stderr.write(`snapstart-scan: wrote ${options.output} (${view.findings.length} findings: ${counts.error} errors, ${counts.warning} warnings; ${view.diagnostics.length} file problems)\n`);
  } else {
    io.stdout.write(text);
  }
  const failOn = options.command === 'scan' ? options.confirm?.failOn : options.failOn;
  return exitCodeFor(view, options.quiet ? undefined : options.maxWarnings, failOn);
}

/** A file's lines, read once per run (code frames, fingerprints of --confirm's own results). */
function lineReader(cwd: string): (file: string) => string[] | undefined {
  const cache = new Map<string, string[] | undefined>();
  return (file) => {
    if (!cache.has(file)) {
      try {
        cache.set(file, readFileSync(resolve(cwd, file), 'utf8').split(/\r?\n/));
      } catch {
        cache.set(file, undefined);
      }
    }
    return cache.get(file);
  };
}

/** `--confirm`: one harness run per handler with findings; every finding gets its state. */
async function confirmReport(report: ScanReport, options: ScanCommand, config: ScanConfig, baseline: ReadonlyMap<string, number> | undefined, io: Io): Promise<ScanReport> {
  const confirm = options.confirm!;
  const { planTargets } = await import('../confirm/plan.js');
  const { executeConfirm } = await import('../confirm/execute.js');
  const { applyConfirmation } = await import('../confirm/apply.js');
  const targets = planTargets(report.findings, {
    root: io.cwd,
    engine: confirm.engine,
    ...(confirm.event !== undefined ? { event: confirm.event } : {}),
    exportNames: splitHandlers(config.handlers).javascript,
  });
  const progress = new Progress(io.stderr, targets.length, options.progress && io.stderr.isTTY === true, 'handlers');
  const started = performance.now();
  const outcome = await executeConfirm(targets, {
    root: io.cwd,
    clones: confirm.clones,
    cold: confirm.cold,
    timeoutSeconds: confirm.timeoutSeconds,
    ...(confirm.cache ? {} : { cacheDir: false as const }),
    onHandlerDone: () => progress.tick(),
  });
  progress.clear();
  const s = outcome.summary;
  const cached = s.handlers.filter((h) => h.cached).length;
  io.stderr.write(
    `snapstart-scan: --confirm ran ${s.handlers.length} handler${s.handlers.length === 1 ? '' : 's'} in ${((performance.now() - started) / 1000).toFixed(1)} s` +
      `${cached ? ` (${cached} from the cache)` : ''}: ${s.confirmed} confirmed, ${s.notReproduced} not reproduced, ${s.notRun} not run, ${s.dynamicOnly} dynamic only\n`,
  );
  return applyConfirmation(report, outcome, { linesOf: lineReader(io.cwd), ...(baseline ? { baseline } : {}) });
}

/** A user's mistake found before any work (an output that cannot be written): exit 2, no stack. */
class PreflightError extends Error {}

/** Every file the command will write, checked before the scan, so a typo does not cost a whole scan. */
function checkOutputs(outputs: ReadonlyArray<[flag: string, file: string | undefined]>, io: Io): void {
  for (const [flag, file] of outputs) {
    if (file === undefined) continue;
    const problem = checkWritable(resolve(io.cwd, file));
    if (problem) throw new PreflightError(`cannot write ${flag} ${file}: ${problem}`);
  }
}

async function runScan(options: ScanCommand, io: Io, signal: AbortSignal): Promise<number> {
  if (!options.listFiles) checkOutputs([['--output', options.output], ['--write-baseline', options.writeBaseline]], io);
  const loaded = await loadConfig(io.cwd, options.config);
  const config = options.includeTests ? { ...loaded.config, tests: true } : loaded.config;
  const baseline = options.baseline !== undefined ? readBaseline(resolve(io.cwd, options.baseline)) : undefined;
  const showProgress = options.progress && options.format === 'stylish' && io.stderr.isTTY === true;
  let progress: Progress | undefined;
  // Loaded here, not at start-up: ESLint, TypeScript's parser and java-parser take a second to load,
  // which --help, --version, usage errors and merge do not need.
  const { scan, listFiles } = await import('../scan.js');
  if (options.listFiles) {
    const found = await listFiles({ root: io.cwd, paths: options.paths, config, errorOnUnmatched: options.errorOnUnmatched });
    const lines = [
      ...found.files.map((f) => f.path),
      ...found.skippedPaths.map((p) => `${p.path}\tskipped: ${p.reason}${p.detail ? ` (${p.detail})` : ''}`),
      ...found.unmatched.map((u) => `${u.path}\tskipped: ${u.message}`),
    ];
    io.stdout.write(lines.length > 0 ? `${lines.join('\n')}\n` : '');
    const s = found.skipped;
    io.stderr.write(`snapstart-scan: ${found.files.length} files to scan; skipped: ${Object.entries(s).map(([k, n]) => `${n} ${k}`).join(', ')}\n`);
    return EXIT_OK;
  }
  try {
    const { report, allFindings, fixedFiles, notices } = await scan({
      root: io.cwd,
      paths: options.paths,
      config,
      useEslintConfig: options.useEslintConfig,
      prefilter: options.prefilter,
      fix: options.fix,
      ...(options.shard ? { shard: options.shard } : {}),
      concurrency: options.concurrency,
      ...(baseline ? { baseline } : {}),
      onStart: (files) => {
        progress = new Progress(io.stderr, files, showProgress);
      },
      onFile: () => progress?.tick(),
      signal,
      errorOnUnmatched: options.errorOnUnmatched,
    });
    progress?.clear();
    for (const n of notices) io.stderr.write(`snapstart-scan: ${n}\n`);
    if (options.fix) io.stderr.write(`snapstart-scan: --fix rewrote ${fixedFiles} file${fixedFiles === 1 ? '' : 's'}\n`);
    if (options.writeBaseline !== undefined) {
      writeBaseline(resolve(io.cwd, options.writeBaseline), allFindings);
      io.stderr.write(`snapstart-scan: wrote a baseline of ${allFindings.length} findings to ${options.writeBaseline}\n`);
      return EXIT_OK;
    }
    return emit(options.confirm ? await confirmReport(report, options, config, baseline, io) : report, options, io);
  } finally {
    progress?.clear();
  }
}

function runMerge(options: MergeCommand, io: Io): number {
  checkOutputs([['--output', options.output]], io);
  const reports = options.reports.map((file) => ({ file, report: readReport(resolve(io.cwd, file)) }));
  return emit(mergeReports(reports, options.allowPartial), options, io);
}

/** The CLI: returns the exit code. Ctrl-C stops the scan, terminates its worker threads and returns 130. */
export async function main(argv: readonly string[], io: Io = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() }): Promise<number> {
  const fail = (message: string, hint = false): number => {
    io.stderr.write(`snapstart-scan: ${message}\n${hint ? 'Run snapstart-scan --help for usage.\n' : ''}`);
    return EXIT_ERROR;
  };
  let command;
  try {
    command = parseCommand(argv);
  } catch (err) {
    if (err instanceof UsageError) return fail(err.message, true);
    throw err;
  }
  if (command.command === 'help') {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  if (command.command === 'version') {
    io.stdout.write(`${VERSION}\n`);
    return EXIT_OK;
  }
  const controller = new AbortController();
  const onSignal = (): void => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (command.command === 'merge') return runMerge(command, io);
    return await runScan(command, io, controller.signal);
  } catch (err) {
    if (controller.signal.aborted) {
      io.stderr.write('\nsnapstart-scan: interrupted\n');
      return EXIT_INTERRUPTED;
    }
    if (err instanceof ConfigError || err instanceof BaselineError || err instanceof ReportError || err instanceof MergeError || err instanceof PreflightError) return fail(err.message);
    if (err instanceof WriteError) return fail(err.message);
    if (err instanceof Error && err.name === 'PathError') return fail(err.message); // scan.js is loaded lazily
    return fail(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}
