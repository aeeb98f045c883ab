// The shape of a Java rule: one file per rule id under src/rules/, its metadata (category, default
// severity, description) read from RULES in @snapstart/core, its findings computed from the
// analysis (scan.ts runs every rule, then suppression and deduplication).
import { RULES, type Finding, type RuleId, type RuleMeta } from '@snapstart/core';
import type { CracFacts } from '../analysis/crac.js';
import type { InitFlow } from '../analysis/flow.js';
import type { Project } from '../analysis/project.js';
import type { JAnnotation } from '../model/types.js';

/** What the analysis found, for the rules to read. */
export interface JavaRuleContext {
  readonly project: Project;
  readonly flow: InitFlow;
  readonly crac: CracFacts;
  /** Whether a file that was not parsed mentions this name (then reads of it are unknown). */
  readonly mentionedUnparsed: (name: string) => boolean;
}

/** A finding before suppression, with the annotation lists any of which may suppress it. */
export interface Candidate {
  readonly finding: Finding;
  /** The class, its outer classes, the field, the method: `@SuppressWarnings("snapstart")` on any one suppresses. */
  readonly suppressors: readonly (readonly JAnnotation[])[];
}

export interface JavaRule {
  readonly meta: RuleMeta;
  check(context: JavaRuleContext): Candidate[];
}

/** The parts of a finding a rule writes; id, category and severity come from RULES. */
export type FindingFields = Omit<Finding, 'ruleId' | 'category' | 'severity'>;

/** A Java rule with its metadata from RULES (an id of another engine is a programming error). */
export function javaRule(id: RuleId, check: (meta: RuleMeta, context: JavaRuleContext) => Candidate[]): JavaRule {
  const meta: RuleMeta = RULES[id];
  if (meta.engine !== 'java') throw new Error(`${id} is not a Java rule`);
  return { meta, check: (context) => check(meta, context) };
}

/** A finding of `meta`'s rule, category and default severity. */
export function findingOf(meta: RuleMeta, fields: FindingFields): Finding {
  return { ruleId: meta.id, category: meta.category, severity: meta.defaultSeverity, ...fields };
}
