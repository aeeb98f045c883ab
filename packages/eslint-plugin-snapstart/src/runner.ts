import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { rules } from './rules/index.js';

/** The id of one of this plugin's rules (`no-init-uuid`, …). */
export type PluginRuleId = keyof typeof rules;

/** One problem a rule reported, in the shape of ESLint's lint messages (1-based columns). */
export interface RuleMessage {
  readonly ruleId: `snapstart/${PluginRuleId}`;
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  /** The report carries an autofix. */
  readonly fix: boolean;
  /** Descriptions of the editor suggestions it offers. */
  readonly suggestions: readonly string[];
}

export interface RunRulesOptions {
  /** ESLint's `settings` (`{ snapstart: { … } }`). */
  readonly settings?: unknown;
  readonly filename: string;
  readonly cwd: string;
  /** The rules to run (default: all of them). */
  readonly rules?: readonly PluginRuleId[];
}

/** ESLint's message placeholders: `{{ name }}` replaced by `data.name` when present. */
function interpolate(text: string, data: Readonly<Record<string, unknown>> | undefined): string {
  if (!data) return text;
  return text.replace(/\{\{\s*([^{}]+?)\s*\}\}/g, (whole, key: string) => (key in data ? String(data[key]) : whole));
}

/** Sets `parent` on every node (ESLint does it while it traverses; the analysis reads it). */
function setParents(ast: TSESTree.Node, visitorKeys: TSESLint.SourceCode.VisitorKeys): void {
  const stack: TSESTree.Node[] = [ast];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const record = node as unknown as Record<string, unknown>;
    for (const key of visitorKeys[node.type] ?? []) {
      const child = record[key];
      if (Array.isArray(child)) {
        for (const c of child as Array<TSESTree.Node | null>) {
          if (c && typeof c.type === 'string') {
            (c as { parent?: TSESTree.Node }).parent = node;
            stack.push(c);
          }
        }
      } else if (child && typeof (child as TSESTree.Node).type === 'string') {
        (child as { parent?: TSESTree.Node }).parent = node;
        stack.push(child as TSESTree.Node);
      }
    }
  }
}

/**
 * Runs snapstart's rules on one parsed file without the rest of ESLint: the same rules, messages,
 * fixes and suggestions as under ESLint, minus ESLint's traversal of the file for other rules and
 * its code-path analysis, which these rules do not use (a quarter of the time per file).
 * ESLint's directive comments (`eslint-disable…`, inline config) are NOT interpreted: a tool
 * uses ESLint itself for files that contain them.
 */
export function runSnapstartRules(sourceCode: TSESLint.SourceCode, options: RunRulesOptions): RuleMessage[] {
  setParents(sourceCode.ast, sourceCode.visitorKeys);
  const out: RuleMessage[] = [];
  for (const id of options.rules ?? (Object.keys(rules) as PluginRuleId[])) {
    const rule = rules[id] as unknown as TSESLint.RuleModule<string, readonly unknown[]>;
    const messages = rule.meta.messages;
    const ruleId = `snapstart/${id}` as const;
    const context = {
      id: ruleId,
      options: [],
      settings: options.settings ?? {},
      sourceCode,
      filename: options.filename,
      physicalFilename: options.filename,
      cwd: options.cwd,
      languageOptions: {},
      parserOptions: {},
      parserPath: undefined,
      report(descriptor: TSESLint.ReportDescriptor<string>): void {
        const loc = 'loc' in descriptor && descriptor.loc ? descriptor.loc : (descriptor as { node: TSESTree.Node }).node.loc;
        const start = 'start' in loc ? loc.start : loc;
        const end = 'end' in loc ? loc.end : loc;
        const data = descriptor.data;
        out.push({
          ruleId,
          message: interpolate(messages[descriptor.messageId] ?? descriptor.messageId, data),
          line: start.line,
          column: start.column + 1,
          endLine: end.line,
          endColumn: end.column + 1,
          fix: typeof descriptor.fix === 'function',
          suggestions: (descriptor.suggest ?? []).map((s) => interpolate(messages[s.messageId] ?? s.messageId, s.data)),
        });
      },
    } as unknown as TSESLint.RuleContext<string, readonly unknown[]>;
    const listeners = rule.create(context) as Record<string, ((node: TSESTree.Node) => void) | undefined>;
    // Every snapstart rule works on the whole-file analysis at Program:exit; a rule that listens to
    // anything else needs ESLint's traversal, and must not silently lose its reports here.
    const other = Object.keys(listeners).filter((k) => k !== 'Program' && k !== 'Program:exit');
    if (other.length > 0) throw new Error(`${ruleId} listens to ${other.join(', ')}: run it under ESLint`);
    listeners['Program']?.(sourceCode.ast);
    listeners['Program:exit']?.(sourceCode.ast);
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}
