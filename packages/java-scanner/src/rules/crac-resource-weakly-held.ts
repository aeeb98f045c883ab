// java/crac-resource-weakly-held: a resource registered with CRaC and kept nowhere else; CRaC holds
// resources weakly, so it can be collected before the checkpoint. Docs:
// docs/rules/java/crac-resource-weakly-held.md.
import { findingOf, javaRule, type Candidate } from './rule.js';

export const cracResourceWeaklyHeld = javaRule('java/crac-resource-weakly-held', (meta, { project, crac }) => {
  const out: Candidate[] = [];
  for (const w of crac.weak) {
    const file = project.file(w.cls);
    if (!file) continue;
    const finding = findingOf(meta, {
      file: file.path,
      line: w.line,
      column: w.column,
      message: `${w.type === 'an anonymous Resource' ? 'An anonymous Resource' : `A new \`${w.type}\``} is registered with CRaC and kept nowhere else: CRaC holds resources by weak reference, so it can be garbage-collected before the checkpoint and its hooks never run.`,
      initPath: [],
      fix: 'Store the resource in a field (or register `this` from a long-lived object) before registering it.',
    });
    out.push({ finding, suppressors: [w.cls.annotations] });
  }
  return out;
});
