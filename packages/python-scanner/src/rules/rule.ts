// The shape of a Python rule: one file per rule id under src/rules/, its metadata (category, default
// severity, description) read from RULES in @snapstart/core; scan.ts runs the analysis and asks the
// rules for their findings, then suppression and deduplication. Docs: docs/python.md.
import { RULES, type Finding, type RuleId, type RuleMeta } from '@snapstart/core';

/** A Python rule's metadata from RULES (an id of another engine is a programming error). */
export function pythonRule(id: RuleId): RuleMeta {
  const meta: RuleMeta = RULES[id];
  if (meta.engine !== 'python') throw new Error(`${id} is not a Python rule`);
  return meta;
}

/** The parts of a finding a rule writes; id, category and severity come from RULES. */
export type FindingFields = Omit<Finding, 'ruleId' | 'category' | 'severity'>;

/** A finding of `meta`'s rule, with its category and default severity. */
export function findingOf(meta: RuleMeta, fields: FindingFields): Finding {
  return { ruleId: meta.id, category: meta.category, severity: meta.defaultSeverity, ...fields };
}
