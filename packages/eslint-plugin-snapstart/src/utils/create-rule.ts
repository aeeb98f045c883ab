import { docsUrl } from '@snapstart/core';
import { ESLintUtils } from '@typescript-eslint/utils';

export interface SnapstartDocs {
  readonly description: string;
  readonly recommended: boolean;
}

/** Every rule gets its docs URL from the one place in @snapstart/core that knows it. */
export const createRule = ESLintUtils.RuleCreator<SnapstartDocs>((name) => docsUrl(name));
