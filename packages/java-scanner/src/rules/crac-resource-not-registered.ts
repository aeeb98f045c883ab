// java/crac-resource-not-registered: a class implementing org.crac.Resource, with hooks, that no
// code registers with a CRaC context, so its afterRestore() never runs. Docs:
// docs/rules/java/crac-resource-not-registered.md.
import { isCracResource } from '../analysis/crac.js';
import { findingOf, javaRule, type Candidate } from './rule.js';

export const cracResourceNotRegistered = javaRule('java/crac-resource-not-registered', (meta, { project, crac }) => {
  const out: Candidate[] = [];
  for (const cls of project.classes) {
    if (cls.isAbstract || !isCracResource(cls, project) || crac.registered.has(cls)) continue;
    if (!cls.methods.some((m) => m.name === 'afterRestore' || m.name === 'beforeCheckpoint')) continue;
    // Registered, but weakly: the other rule reports it.
    if (crac.weak.some((w) => w.type === cls.name)) continue;
    const file = project.file(cls);
    if (!file) continue;
    const finding = findingOf(meta, {
      file: file.path,
      line: cls.line,
      column: cls.column,
      message: `\`${cls.name}\` implements org.crac.Resource but is never registered (no \`Core.getGlobalContext().register(…)\` of it), so its afterRestore() never runs.`,
      initPath: [],
      fix: 'Register it where it is created: Core.getGlobalContext().register(this) in the constructor, and keep a reference to it.',
    });
    // Only the class's own annotations suppress it (as before the rules had files of their own).
    out.push({ finding, suppressors: [cls.annotations] });
  }
  return out;
});
