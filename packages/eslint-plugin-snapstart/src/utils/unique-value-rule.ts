import { describeInitPath, type Category, type RuleId } from '@snapstart/core';
import { AST_NODE_TYPES, type TSESLint } from '@typescript-eslint/utils';
import type { CallLike } from '../analysis/file-facts.js';
import { analyzeContext, reportsForCategory } from '../analysis/analyze.js';
import { moveIntoFunction } from '../analysis/move-into-function.js';
import { OPTIONS_SCHEMA, type SnapstartOptions } from '../analysis/options.js';
import { sourceLabel } from '../analysis/sources.js';
import { registryMeta, type SnapstartDocs } from './create-rule.js';

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

/**
 * Where a random value made after restore gets its uniqueness, per snapshot kind (measured with the
 * harness: examples/node-linux-crypto). A V8 startup snapshot starts a new process, so Node's crypto
 * and Math.random made in the handler or a hook differ per restore. A whole-VM snapshot restores the
 * process too, with OpenSSL's DRBG and V8's Math.random state: only the kernel RNG (reseeded by
 * vmgenid) is fresh, so such values must come from /dev/urandom.
 */
const AFTER_VM_RESTORE: Readonly<Record<Category, string>> = {
  uuid: " After a whole-VM restore (Lambda SnapStart) Node's crypto repeats in the handler and in hooks too: make the ID from /dev/urandom bytes.",
  random: " After a whole-VM restore (Lambda SnapStart) Node's crypto and Math.random repeat in the handler and in hooks too: read the bytes from /dev/urandom.",
  secret: " After a whole-VM restore (Lambda SnapStart) Node's crypto repeats in the handler and in hooks too: derive the key from /dev/urandom bytes.",
  'entropy-cache': '',
  time: '',
  other: '',
};

export const UNIQUE_VALUE_MESSAGES: Record<UniqueValueMessageIds, string> = {
  uniqueValue:
    '`{{source}}` {{what}} during init ({{initPath}}), and {{escape}}. Every clone restored from the snapshot ' +
    'shares this value: create it inside the handler, or regenerate it in an after-restore hook.{{afterVmRestore}}',
  generatorDraw:
    '`{{generator}}` creates a generator during init ({{initPath}}) with random state that the snapshot captures, and ' +
    '`{{source}}` (line {{line}}) draws from it after restore: every clone restored from the snapshot draws the same values. ' +
    'Create the generator inside the handler, or re-create it in an after-restore hook. After a whole-VM restore (Lambda SnapStart) ' +
    "a generator seeded from Node's crypto or Math.random repeats there too: seed it from /dev/urandom.",
  moveIntoFunction: 'Move `{{name}}` into {{target}} so that each invocation creates its own value.',
};

/** How a message names the call that creates a generator: `new Chance()`, `hyperid()` (arguments elided). */
function generatorLabel(call: CallLike, sourceCode: Readonly<TSESLint.SourceCode>): string {
  const callee = sourceCode.getText(call.callee);
  const text = `${call.type === AST_NODE_TYPES.NewExpression ? 'new ' : ''}${callee}(${call.arguments.length > 0 ? '…' : ''})`;
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** The parts of `meta` that every category rule shares, taken from the rule registry. */
export function uniqueValueMeta(
  ruleId: RuleId,
): TSESLint.RuleMetaData<UniqueValueMessageIds, SnapstartDocs, UniqueValueOptions> & { docs: SnapstartDocs } {
  return {
    type: 'problem',
    ...registryMeta(ruleId),
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
            data: {
              generator: generatorLabel(report.node, sourceCode),
              source: `${sourceCode.getText(report.generator.draw.callee)}()`,
              initPath: describeInitPath(report.initPath),
              line: report.generator.line,
            },
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
            afterVmRestore: AFTER_VM_RESTORE[category],
          },
          suggest: move
            ? [{ messageId: 'moveIntoFunction', data: { name: move.name, target: move.target }, fix: move.fix }]
            : [],
        });
      }
    },
  };
}
