// What the five java/no-init-* rules share: a value derived from a source of the rule's category,
// stored during init into a field that outlives init (InitFlow's field stores). Each rule id has
// its own file (no-init-uuid.ts, …) made with `initValueRule`.
import { ruleForCategory, type InitStep, type RuleId, type RuleMeta } from '@snapstart/core';
import { isTimingBaseline } from '../analysis/durations.js';
import type { FieldStore } from '../analysis/flow.js';
import { findingOf, javaRule, type Candidate, type JavaRule } from './rule.js';

function describePath(path: readonly InitStep[]): string {
  return path.map((s) => (s.line ? `${s.description} (line ${s.line})` : s.description)).join(', ');
}

function sourceWhere(store: FieldStore): string {
  const t = store.taint;
  if (t.in && t.in !== store.cls.name) return ` (in \`${t.in}\`${t.line ? `, line ${t.line}` : ''})`;
  return t.line && t.line !== store.line ? ` (line ${t.line})` : '';
}

function storeCandidate(meta: RuleMeta, store: FieldStore, file: string, suppressors: Candidate['suppressors']): Candidate {
  const what =
    store.how === 'bean'
      ? `returns a bean that captures a value derived from \`${store.taint.source.label}\`${sourceWhere(store)}, created during init`
      : store.how === 'holds'
        ? `holds a ${store.taint.source.label} made or injected during init: every restored clone replays the same random sequence`
        : `is ${store.how === 'filled' ? 'filled with' : 'assigned'} a value derived from \`${store.taint.source.label}\`${sourceWhere(store)} during init`;
  const fix =
    store.how === 'holds'
      ? 'Use java.security.SecureRandom (the platform reseeds it on restore), or create the generator (or reseed it: rng.setSeed(new SecureRandom().nextLong())) in afterRestore() of a registered org.crac.Resource.'
      : 'Create the value in the handler method, or re-create it in afterRestore() of an org.crac.Resource registered with Core.getGlobalContext().register(this).';
  const finding = findingOf(meta, {
    file,
    line: store.line,
    column: store.column,
    message: `\`${store.field}\` (${store.how === 'bean' ? '@Bean method' : 'field'} of \`${store.cls.name}\`) ${what} (${describePath(store.initPath)}). Every execution environment restored from the snapshot shares it.`,
    initPath: store.initPath,
    fix,
    source: store.taint.source.label,
  });
  return { finding, suppressors };
}

/** The rule for one category: the field stores whose source has it. */
export function initValueRule(id: RuleId): JavaRule {
  return javaRule(id, (meta, { project, flow, crac, mentionedUnparsed }) => {
    const out: Candidate[] = [];
    for (const store of flow.stores) {
      if (ruleForCategory('java', store.taint.source.category).id !== meta.id) continue;
      // A clock reading kept only to measure init (`elapsed = System.nanoTime() - start`) is a timing baseline.
      if (store.taint.source.category === 'time' && store.how === 'assigned' && isTimingBaseline(project, store.cls, store.field, mentionedUnparsed)) continue;
      // Re-created in afterRestore() of a registered CRaC resource.
      if (crac.restoredFields.get(store.cls)?.has(store.field) && crac.registered.has(store.cls)) continue;
      const file = project.file(store.cls);
      if (!file) continue;
      const field = store.cls.fields.find((f) => f.name === store.field);
      const suppressors = [
        store.cls.annotations,
        ...project.outerClasses(store.cls).map((o) => o.annotations),
        ...(field ? [field.annotations] : []),
        ...(store.unit ? [store.unit.annotations] : []),
      ];
      out.push(storeCandidate(meta, store, file.path, suppressors));
    }
    return out;
  });
}
