import { describeInitPath, RULES, type Category, type RuleId } from '@snapstart/core';
import type { TSESLint } from '@typescript-eslint/utils';
import { analyzeContext, reportsForCategory } from '../analysis/analyze.js';
import { moveIntoFunction } from '../analysis/move-into-function.js';
import { OPTIONS_SCHEMA, type SnapstartOptions } from '../analysis/options.js';
import { sourceLabel } from '../analysis/sources.js';
import type { SnapstartDocs } from './create-rule.js';

export type UniqueValueMessageIds = 'uniqueValue' | 'generatorDraw' | 'moveIntoFunction';
export type UniqueValueOptions = [SnapstartOptions];

const WHAT: Readonly<Record<Category, string>> = {
  uuid: 'creates an ID',
  random: 'produces random data',
  time: 'reads the clock',
  secret: 'generates key material',
  'entropy-cache': 'fills an entropy cache',
  other: 'creates a unique value',
};

export const UNIQUE_VALUE_MESSAGES: Record<UniqueValueMessageIds, string> = {
  uniqueValue:
    '`{{source}}` {{what}} during init ({{initPath}}), and {{escape}}. Every clone restored from the snapshot ' +
    'shares this value: create it inside the handler, or regenerate it in an after-restore hook.',
  generatorDraw:
    '`{{source}}` draws from a generator created during init ({{initPath}}, line {{line}}) with random state that the snapshot ' +
    'captures: every clone restored from it draws the same values. Create the generator inside the handler, or re-create it in an after-restore hook.',
  moveIntoFunction: 'Move `{{name}}` into {{target}} so that each invocation creates its own value.',
};

/** The parts of `meta` that every category rule shares, taken from the rule registry. */
export function uniqueValueMeta(
  ruleId: RuleId,
): TSESLint.RuleMetaData<UniqueValueMessageIds, SnapstartDocs, UniqueValueOptions> & { docs: SnapstartDocs } {
  const rule = RULES[ruleId];
  return {
    type: 'problem',
    docs: { description: rule.description, recommended: true },
    hasSuggestions: true,
    messages: UNIQUE_VALUE_MESSAGES,
    schema: [OPTIONS_SCHEMA],
  };
}

/** `create` of every category rule: run (or reuse) the file analysis and report this category. */
export function createUniqueValueListener(
  context: Readonly<TSESLint.RuleContext<UniqueValueMessageIds, UniqueValueOptions>>,
  category: Category,
): TSESLint.RuleListener {
  return {
    'Program:exit'() {
      const sourceCode = context.sourceCode;
      for (const report of reportsForCategory(analyzeContext(context), category)) {
        if (report.generator) {
          context.report({
            node: report.node,
            messageId: 'generatorDraw',
            data: { source: `${sourceCode.getText(report.node.callee)}()`, initPath: describeInitPath(report.initPath), line: report.generator.line },
          });
          continue;
        }
        const move = moveIntoFunction(sourceCode, report.escape.variable, report.node);
        context.report({
          node: report.node,
          messageId: 'uniqueValue',
          data: {
            source: sourceLabel(report.spec, report.node, sourceCode),
            what: WHAT[category],
            initPath: describeInitPath(report.initPath),
            escape: report.escape.description,
          },
          suggest: move
            ? [{ messageId: 'moveIntoFunction', data: { name: move.name, target: move.target }, fix: move.fix }]
            : [],
        });
      }
    },
  };
}
