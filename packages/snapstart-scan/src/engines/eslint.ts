// The TS/JS engine of the scan: snapstart's rules, through ESLint itself (files with ESLint directive
// comments, `useEslintConfig`, `--fix`) or through the direct fast path (direct.ts with
// eslint-plugin-snapstart/internal's runSnapstartRules), one linter per worker thread, turned into
// findings. Called by run/execute.ts for each TS/JS job. See docs/cli.md and docs/analysis.md.
import { realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { sep } from 'node:path';
import { RULES, rulesForEngine, type Finding, type RuleId, type Severity } from '@snapstart/core';
import tsParser from '@typescript-eslint/parser';
import { ESLint, type Linter } from 'eslint';
import snapstart, { sourcePrefilter, SOURCE_FILE_GLOBS, type SnapstartOptions } from 'eslint-plugin-snapstart';
import { runSnapstartRules, type PluginRuleId } from 'eslint-plugin-snapstart/internal';
import { splitHandlers, type RuleLevel } from '../config/schema.js';
import { asRuleSource, directPathApplies, isParseFailure, parseForRules } from './direct.js';
import { writeFixedSource } from '../io/fix-file.js';
import { emptyResult, type EngineSettings, type FileRef, type JobResult, type LintJob, type MutableJobResult } from './job.js';

const PREFIX = 'snapstart/';

function eslintLevel(level: RuleLevel): Linter.RuleSeverity {
  return level === 'off' ? 'off' : level === 'error' ? 'error' : 'warn';
}

/** The plugin's options from the scan config (`settings.snapstart`). */
function pluginOptions(settings: EngineSettings): SnapstartOptions {
  const c = settings.config;
  const handlers = splitHandlers(c.handlers).javascript;
  const sources = c.sources.flatMap((s) =>
    s.language === 'javascript'
      ? [{ name: s.name, category: s.category, ...(s.module !== undefined ? { module: s.module } : {}), ...(s.noArgs ? { noArgs: true } : {}) }]
      : [],
  );
  return {
    ...(handlers.length > 0 ? { handlerNames: handlers } : {}),
    ...(sources.length > 0 ? { sources } : {}),
    ...(c.afterRestoreFunctions.length > 0 ? { afterRestoreFunctions: c.afterRestoreFunctions } : {}),
    ...(c.afterRestoreMethods.length > 0 ? { afterRestoreMethods: c.afterRestoreMethods } : {}),
    ...(c.ignore.length > 0 ? { ignore: c.ignore } : {}),
    // Test files reach the linter only when the user asked for them: then analyze them.
    ...(c.tests ? { tests: true } : {}),
    // What CI and deployment descriptors say about files (discover/repo-roles.ts).
    ...(settings.roles?.scriptFiles.length ? { scriptFiles: settings.roles.scriptFiles } : {}),
    ...(settings.roles?.handlerFiles.length ? { handlerFiles: settings.roles.handlerFiles } : {}),
  };
}

/** ESLint config objects that run snapstart's rules at the configured levels. */
function snapstartConfigs(settings: EngineSettings, definePlugin: boolean): Linter.Config[] {
  const rules: Linter.RulesRecord = {};
  for (const rule of rulesForEngine('eslint')) {
    rules[`${PREFIX}${rule.id}`] = eslintLevel(settings.config.rules[`${PREFIX}${rule.id}`] ?? rule.defaultSeverity);
  }
  return [
    // Without the user's config, TypeScript needs a parser; with it, theirs decides.
    // No node maps, as on the direct path (direct.ts says why).
    ...(settings.useEslintConfig ? [] : [{ files: ['**/*.{ts,tsx,mts,cts}'], languageOptions: { parser: tsParser as Linter.Parser, parserOptions: { preserveNodeMaps: false } } }]),
    // JSX in `.js` too (direct.ts says why); both paths parse alike.
    { files: ['**/*.{js,jsx,tsx}'], languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } } },
    {
      files: SOURCE_FILE_GLOBS,
      ...(definePlugin ? { plugins: { snapstart: snapstart as unknown as ESLint.Plugin } } : {}),
      settings: { snapstart: pluginOptions(settings) },
      rules,
    },
  ];
}

/** The fast path's set-up: plugin settings and the rules the config leaves on. */
interface DirectRun {
  readonly settings: { readonly snapstart: SnapstartOptions };
  readonly rules: readonly PluginRuleId[];
}

export interface FileLinter {
  lint(job: LintJob, onFile?: () => void): Promise<JobResult>;
}

/**
 * An ESLint instance set up for snapstart (one per thread). With `useEslintConfig`, the user's
 * `eslint.config.*` is loaded and snapstart's rules are added on top; only snapstart's findings
 * and parse errors are kept.
 */
export async function createFileLinter(settings: EngineSettings, probeFile?: string): Promise<FileLinter> {
  let definePlugin = true;
  if (settings.useEslintConfig && probeFile) {
    // If their config already loads eslint-plugin-snapstart, redefining the plugin is an error:
    // reuse theirs and only set the levels and options.
    const probe = quietEslintIgnoreNotice(() => new ESLint({ cwd: settings.root }));
    const config = (await probe.calculateConfigForFile(probeFile)) as { plugins?: Record<string, unknown> } | undefined;
    definePlugin = !config?.plugins || !('snapstart' in config.plugins);
  }
  const makeEslint = (fix: boolean, cwd: string): ESLint =>
    quietEslintIgnoreNotice(() => new ESLint({
      cwd,
      ...(settings.useEslintConfig ? {} : { overrideConfigFile: true }),
      overrideConfig: snapstartConfigs(settings, definePlugin),
      // Discovery already applied .gitignore and the exclude patterns; with their config, its ignores apply too.
      ignore: settings.useEslintConfig,
      warnIgnored: false,
      // `--fix` applies snapstart's fixes only, even with the user's config and its other rules.
      ...(fix ? { fix: (m: Linter.LintMessage) => m.ruleId?.startsWith(PREFIX) === true } : {}),
    }));
  // ESLint ignores every file outside its cwd ("outside of base path"), silently with warnIgnored
  // off: a file scanned from outside the working directory is linted from its own project's
  // directory instead (one ESLint per such directory).
  const realRoot = realpathSync(settings.root);
  const byCwd = new Map<string, Linters>();
  const lintersFor = (file: FileRef): Linters => {
    const cwd = file.abs.startsWith(realRoot + sep) ? settings.root : file.base;
    let found = byCwd.get(cwd);
    if (!found) {
      // With --fix, a file whose fix cannot be written is linted again without fixes, for its findings.
      let unfixed: ESLint | undefined;
      found = { eslint: makeEslint(settings.fix === true, cwd), unfixed: () => (unfixed ??= makeEslint(false, cwd)) };
      byCwd.set(cwd, found);
    }
    return found;
  };
  const options = pluginOptions(settings);
  const prefilter = settings.prefilter && !settings.useEslintConfig ? sourcePrefilter(options) : undefined;
  // Without the user's ESLint config, snapstart's rules run directly on the parsed file (direct.ts).
  const direct: DirectRun | undefined =
    settings.useEslintConfig || settings.direct === false
      ? undefined
      : {
          settings: { snapstart: options },
          rules: rulesForEngine('eslint')
            .map((r) => r.id as PluginRuleId)
            .filter((id) => settings.config.rules[`${PREFIX}${id}`] !== 'off'),
        };
  return {
    async lint(job, onFile) {
      const out = emptyResult();
      for (const file of job.files) {
        out.files++;
        try {
          await lintOne(lintersFor(file), file.path, file.abs, settings, out, prefilter, direct);
        } catch (err) {
          // A crash inside one file (a rule or parser bug) is that file's problem, not the scan's.
          out.diagnostics.push({ file: file.path, message: `internal error while linting: ${firstLine(err)}` });
        }
        onFile?.();
      }
      return out;
    },
  };
}

/** ESLint warnings this thread has printed: each cause is said once, not once per ESLint instance. */
const warned = new Set<string>();

/**
 * Runs `make` (which makes an ESLint) with ESLint's process warnings said once per cause: ESLint
 * keeps the `process.emitWarning` it finds when made, and warns once per instance (the probe, the
 * fixing and the plain one, one per project directory). Its ".eslintignore is no longer
 * supported" is not printed at all: the scan says it once itself (scan.ts).
 */
function quietEslintIgnoreNotice<T>(make: () => T): T {
  // Kept to be put back as it was (never called detached).
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const emit = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]): void => {
    const code = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { code?: string; type?: string } | undefined)?.code;
    const key = `${code ?? ''}|${String(warning)}`;
    if (code === 'ESLintIgnoreWarning' || warned.has(key)) return;
    warned.add(key);
    (emit as (...args: unknown[]) => void).call(process, warning, ...rest);
  });
  try {
    return make();
  } finally {
    process.emitWarning = emit;
  }
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}

/** The thread's ESLint (fixing with --fix), and one that does not fix. */
interface Linters {
  readonly eslint: ESLint;
  readonly unfixed: () => ESLint;
}

async function lintOne(
  linters: Linters,
  path: string,
  abs: string,
  settings: EngineSettings,
  out: MutableJobResult,
  prefilter: ((text: string) => boolean) | undefined,
  direct: DirectRun | undefined,
): Promise<void> {
  let bytes: Buffer;
  try {
    bytes = await readFile(abs);
  } catch (err) {
    out.diagnostics.push({ file: path, message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? firstLine(err)}` });
    return;
  }
  if (bytes.subarray(0, 8192).includes(0)) {
    out.diagnostics.push({ file: path, message: 'skipped: binary file (contains NUL bytes), not source code' });
    out.skipped.binary++;
    return;
  }
  const text = new TextDecoder('utf-8').decode(bytes);
  if (prefilter && !prefilter(text)) return;
  out.parsed++;
  if (direct && directPathApplies(text)) {
    const code = parseForRules(text, abs);
    if (isParseFailure(code)) {
      out.diagnostics.push({ file: path, line: code.line, column: Math.max(1, code.column), message: `cannot parse: ${code.message}` });
      return;
    }
    const messages = runSnapstartRules(asRuleSource(code), { settings: direct.settings, filename: abs, cwd: settings.root, rules: direct.rules });
    // With --fix, a file with something to fix goes through ESLint, which applies the fixes.
    if (!(settings.fix && messages.some((m) => m.fix))) {
      for (const m of messages) out.findings.push(toFinding({ ...m, suggestion: m.suggestions[0] }, path, settings));
      return;
    }
  }
  let [result] = await linters.eslint.lintText(text, { filePath: abs, warnIgnored: false });
  if (!result) {
    // Only the user's own ESLint config can ignore a file here: never drop it without a word.
    out.diagnostics.push({ file: path, message: 'skipped: ignored by your ESLint config (--use-eslint-config)' });
    return;
  }
  if (result.output !== undefined && result.output !== text) {
    // Only what the user asked for (--fix) is ever written; the findings below are what is left.
    const notFixed = writeFixedSource(abs, bytes, text, result.output);
    if (notFixed === undefined) out.fixed++;
    else {
      out.diagnostics.push({ file: path, message: notFixed });
      [result] = await linters.unfixed().lintText(text, { filePath: abs, warnIgnored: false });
      if (!result) return; // the same ESLint config ignored it above, which it did not
    }
  }
  for (const m of result.messages) {
    if (m.fatal) {
      // Parsers report the end of the file as column 0; columns are 1-based everywhere else.
      out.diagnostics.push({ file: path, line: m.line, column: Math.max(1, m.column), message: `cannot parse: ${m.message}` });
      continue;
    }
    if (!m.ruleId?.startsWith(PREFIX)) continue;
    const suggestion = m.suggestions?.[0]?.desc;
    out.findings.push(
      toFinding(
        { ...m, ruleId: m.ruleId, fix: Boolean(m.fix), ...(suggestion ? { suggestion } : {}) },
        path,
        settings,
      ),
    );
  }
  out.suppressed += result.suppressedMessages.filter((m) => m.ruleId?.startsWith(PREFIX)).length;
}

/** What a finding is built from, whichever way the file was linted. */
interface RuleReport {
  readonly ruleId: string;
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly endLine?: number | undefined;
  readonly endColumn?: number | undefined;
  readonly fix: boolean;
  readonly suggestion?: string | undefined;
}

/**
 * The level a rule runs at: the config's, else the rule's default. ESLint only knows error and
 * warn, so a configured `note` is taken from here, on either path.
 */
function levelOf(ruleId: string, settings: EngineSettings): Severity {
  const configured = settings.config.rules[ruleId];
  if (configured && configured !== 'off') return configured;
  return RULES[ruleId.slice(PREFIX.length) as RuleId]?.defaultSeverity ?? 'error';
}

function toFinding(m: RuleReport, path: string, settings: EngineSettings): Finding {
  const ruleId = m.ruleId;
  const id = ruleId.slice(PREFIX.length) as RuleId;
  const meta = RULES[id];
  const source = /^`([^`]+)`/.exec(m.message)?.[1];
  return {
    ruleId,
    category: meta?.category ?? 'other',
    severity: levelOf(ruleId, settings),
    file: path,
    line: m.line,
    column: m.column,
    ...(m.endLine !== undefined ? { endLine: m.endLine } : {}),
    ...(m.endColumn !== undefined ? { endColumn: m.endColumn } : {}),
    message: m.message,
    // The rule's message already says why the code runs during init.
    initPath: [],
    ...(m.fix ? { fix: 'Run `snapstart-scan --fix` (or `eslint --fix`, or your editor) to fix this automatically.' } : m.suggestion ? { fix: `${m.suggestion} Your editor offers this as a suggestion.` } : {}),
    ...(source ? { source } : {}),
  };
}
