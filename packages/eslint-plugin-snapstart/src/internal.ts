/**
 * `eslint-plugin-snapstart/internal`: the analysis and the rule runner without ESLint around
 * them, for snapstart's own tools (snapstart-scan's fast path, docs/cli.md). Not part of the
 * plugin's public API: these may change in any release.
 */
export { analyzeFile, type FileAnalysis, type FileLocation } from './analysis/analyze.js';
export { resolveOptions, type ResolvedOptions } from './analysis/options.js';
export { runSnapstartRules, type PluginRuleId, type RuleMessage, type RunRulesOptions } from './runner.js';
