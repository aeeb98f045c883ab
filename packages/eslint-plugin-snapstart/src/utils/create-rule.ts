import { docsUrl, RULES, type RuleId } from '@snapstart/core';
import { ESLintUtils } from '@typescript-eslint/utils';

export interface SnapstartDocs {
  readonly description: string;
  readonly recommended: boolean;
}

/** Every rule gets its docs URL from the one place in @snapstart/core that knows it. */
export const createRule = ESLintUtils.RuleCreator<SnapstartDocs>((name) => docsUrl(name));

/** The parts of a rule's `meta` that RULES states: its description, whether it fixes and whether it suggests. */
export interface RegistryMeta {
  readonly docs: SnapstartDocs;
  readonly fixable?: 'code';
  readonly hasSuggestions: boolean;
}

/**
 * `meta` fields read from RULES, so that the registry is what ESLint enforces: ESLint rejects a fix
 * from a rule without `fixable` and a suggestion from a rule without `hasSuggestions`.
 */
export function registryMeta(id: RuleId): RegistryMeta {
  const rule = RULES[id];
  if (rule.engine !== 'eslint') throw new Error(`${id} is not an ESLint rule`);
  return {
    docs: { description: rule.description, recommended: true },
    ...(rule.fixable ? { fixable: 'code' as const } : {}),
    hasSuggestions: rule.hasSuggestions,
  };
}
