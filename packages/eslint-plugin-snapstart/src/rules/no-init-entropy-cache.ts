import { describeInitPath } from '@snapstart/core';
import { AST_NODE_TYPES, type TSESLint } from '@typescript-eslint/utils';
import { analyzeContext } from '../analysis/analyze.js';
import type { CallLike } from '../analysis/file-facts.js';
import { OPTIONS_SCHEMA, type SnapstartOptions } from '../analysis/options.js';
import { sourceLabel } from '../analysis/sources.js';
import { createRule, registryMeta } from '../utils/create-rule.js';

type MessageIds = 'nodeCrypto' | 'otherCache';

/**
 * What no option and no hook in Node can fix, measured with the harness's `linux` engine (Node 20,
 * OpenSSL 3.0, a real VM restored with a fresh vmgenid per clone; examples/node-linux-crypto):
 * after a whole-VM restore, randomBytes, getRandomValues, randomUUID({ disableEntropyCache: true })
 * and Math.random return the same values in every clone, because OpenSSL's DRBG and V8's
 * Math.random state are in the snapshot and vmgenid reseeds only the kernel RNG. A V8 startup
 * snapshot starts a new process, whose OpenSSL is seeded afresh: there the option is the whole fix.
 */
const AFTER_VM_RESTORE =
  "After a whole-VM restore (Lambda SnapStart, Firecracker or QEMU snapshots) that is not enough: OpenSSL's generator is in the snapshot " +
  "too, so Node's crypto repeats in every clone even when called in the handler; values that must differ per clone must come from the kernel (read /dev/urandom with fs).";

/** `{ disableEntropyCache: true }` already present (a non-literal options object is given the benefit of the doubt). */
function optionState(call: CallLike): 'absent' | 'disabled' | 'unknown' {
  const arg = call.arguments[0];
  if (!arg) return 'absent';
  if (arg.type !== AST_NODE_TYPES.ObjectExpression) return 'unknown';
  for (const prop of arg.properties) {
    if (prop.type === AST_NODE_TYPES.SpreadElement) return 'unknown';
    if (prop.key.type === AST_NODE_TYPES.Identifier && prop.key.name === 'disableEntropyCache' && !prop.computed) {
      return prop.value.type === AST_NODE_TYPES.Literal && prop.value.value === true ? 'disabled' : 'absent';
    }
  }
  return 'absent';
}

function fixOption(
  sourceCode: Readonly<TSESLint.SourceCode>,
  call: CallLike,
): ((fixer: TSESLint.RuleFixer) => TSESLint.RuleFix) | undefined {
  const arg = call.arguments[0];
  if (!arg) {
    const closing = sourceCode.getLastToken(call);
    if (!closing || closing.value !== ')') return undefined;
    return (fixer) => fixer.insertTextBefore(closing, '{ disableEntropyCache: true }');
  }
  if (arg.type !== AST_NODE_TYPES.ObjectExpression) return undefined;
  for (const prop of arg.properties) {
    if (prop.type === AST_NODE_TYPES.Property && prop.key.type === AST_NODE_TYPES.Identifier && prop.key.name === 'disableEntropyCache') {
      const value = prop.value;
      return (fixer) => fixer.replaceText(value, 'true');
    }
  }
  const last = arg.properties.at(-1);
  if (!last) return (fixer) => fixer.replaceText(arg, '{ disableEntropyCache: true }');
  return (fixer) => fixer.insertTextAfter(last, ', disableEntropyCache: true');
}

export default createRule<[SnapstartOptions], MessageIds>({
  name: 'no-init-entropy-cache',
  meta: {
    type: 'problem',
    ...registryMeta('no-init-entropy-cache'),
    messages: {
      nodeCrypto:
        "`{{source}}` runs during init ({{initPath}}) and fills Node's 128-UUID entropy cache, which the snapshot " +
        'captures: UUIDs generated later, even inside the handler, repeat across restored clones. Pass { disableEntropyCache: true } ' +
        '(the autofix): it keeps this call out of the cache, which is the whole fix when a restore starts a new process (a V8 startup snapshot). ' +
        AFTER_VM_RESTORE,
      otherCache:
        '`{{source}}` runs during init ({{initPath}}) and fills {{what}}, which the snapshot ' +
        'captures: values generated later, even inside the handler, repeat across restored clones. {{advice}}. ' +
        AFTER_VM_RESTORE,
    },
    schema: [OPTIONS_SCHEMA],
  },
  defaultOptions: [{}],
  create(context) {
    return {
      'Program:exit'() {
        const sourceCode = context.sourceCode;
        for (const report of analyzeContext(context).entropyCaches) {
          const state = report.spec.state!;
          const data = { source: sourceLabel(report.spec, report.node, sourceCode), initPath: describeInitPath(report.initPath) };
          if (state.disableEntropyCacheOption) {
            if (optionState(report.node) !== 'absent') continue;
            const fix = fixOption(sourceCode, report.node);
            context.report({ node: report.node, messageId: 'nodeCrypto', data, ...(fix ? { fix } : {}) });
          } else {
            context.report({ node: report.node, messageId: 'otherCache', data: { ...data, what: state.what, advice: state.advice } });
          }
        }
      },
    };
  },
});
