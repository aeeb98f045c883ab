import { readFile } from 'node:fs/promises';
import { RULES, rulesForEngine, type Diagnostic, type Finding, type RuleId, type Severity } from '@snapstart/core';
import tsParser from '@typescript-eslint/parser';
import { ESLint, type Linter } from 'eslint';
import snapstart, { runSnapstartRules, sourcePrefilter, SOURCE_FILE_GLOBS, type PluginRuleId, type SnapstartOptions } from 'eslint-plugin-snapstart';
import { splitHandlers, type RuleLevel } from '../config/schema.js';
import { asRuleSource, directPathApplies, isParseFailure, parseForRules } from './direct.js';
import { emptyResult, type EngineSettings, type JobResult, type LintJob } from './job.js';

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
    ...(settings.useEslintConfig ? [] : [{ files: ['**/*.{ts,tsx,mts,cts}'], languageOptions: { parser: tsParser as Linter.Parser } }]),
    { files: ['**/*.{jsx,tsx}'], languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } } },
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
    const probe = new ESLint({ cwd: settings.root });
    const config = (await probe.calculateConfigForFile(probeFile)) as { plugins?: Record<string, unknown> } | undefined;
    definePlugin = !config?.plugins || !('snapstart' in config.plugins);
  }
  const eslint = new ESLint({
    cwd: settings.root,
    ...(settings.useEslintConfig ? {} : { overrideConfigFile: true }),
    overrideConfig: snapstartConfigs(settings, definePlugin),
    // Discovery already applied .gitignore and the exclude patterns; with their config, its ignores apply too.
    ignore: settings.useEslintConfig,
    warnIgnored: false,
    // `--fix` applies snapstart's fixes only, even with the user's config and its other rules.
    ...(settings.fix ? { fix: (m: Linter.LintMessage) => m.ruleId?.startsWith(PREFIX) === true } : {}),
  });
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
          await lintOne(eslint, file.path, file.abs, settings, out, prefilter, direct);
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

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}

async function lintOne(
  eslint: ESLint,
  path: string,
  abs: string,
  settings: EngineSettings,
  out: { findings: Finding[]; diagnostics: Diagnostic[]; suppressed: number; parsed: number; fixed: number },
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
  const [result] = await eslint.lintText(text, { filePath: abs, warnIgnored: false });
  if (!result) return;
  if (result.output !== undefined && result.output !== text) {
    // Only what the user asked for (--fix) is ever written; the findings below are what is left.
    await ESLint.outputFixes([result]);
    out.fixed++;
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
