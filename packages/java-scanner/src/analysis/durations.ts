import type { JClass, JExpr } from '../model/types.js';
import { forEachExpr } from '../model/walk.js';
import type { Project } from './project.js';

/** Calls that turn two instants into a duration: `Duration.between(a, b)`, `a.until(b, unit)`. */
const DURATION_CALLS = new Set(['between', 'until']);

/**
 * Whether a field that init code sets to a clock reading is only ever used as the start of a
 * measurement: every read is an operand of a subtraction (`System.nanoTime() - start`) or of
 * `Duration.between`/`until`. Such a field is the same in every clone, but so is the instant the
 * snapshot was taken; what code computes from it is an elapsed time, not a unique value.
 *
 * A private field is read only by code in its own file. Any other field may be read anywhere:
 * every parsed class is searched, and `mentionedUnparsed(name)` says whether a file that was not
 * parsed mentions the name at all (then we cannot tell, and the field stays reported).
 */
export function isTimingBaseline(
  project: Project,
  cls: JClass,
  field: string,
  mentionedUnparsed: (name: string) => boolean,
): boolean {
  const declared = cls.fields.find((f) => f.name === field);
  if (!declared) return false;
  const file = project.file(cls);
  const scope = declared.isPrivate && file ? file.classes : project.classes;
  if (!declared.isPrivate && mentionedUnparsed(field)) return false;
  let reads = 0;
  let baseline = 0;
  for (const c of scope) {
    forEachExpr(c, (e) => {
      if (readsField(e, field)) reads++;
      if (e.k === 'assign' && readsField(e.target, field)) reads--; // a write, not a read
      if (e.k === 'call' && !e.target && e.qualifier.includes(field)) reads++; // `start.toString()`
      if (e.k === 'name' && e.parts.slice(0, -1).includes(field)) reads++; // `start.epochSecond`
      baseline += baselineUses(e, field);
    });
  }
  return reads > 0 && baseline === reads;
}

/** Whether an expression is a plain read of the field (`start`, `this.start`, `Timer.start`). */
function readsField(e: JExpr, field: string): boolean {
  if (e.k === 'name') return e.parts.at(-1) === field && e.parts.length <= 2;
  return e.k === 'field' && e.name === field;
}

/** How many reads of `field` directly under `e` measure a duration from it. */
function baselineUses(e: JExpr, field: string): number {
  if (e.k === 'op') {
    // `now - start`, `System.nanoTime() - start > TIMEOUT`: an operand next to a minus.
    return e.args.filter((a, i) => readsField(a, field) && e.ops !== undefined && (e.ops[i - 1] === '-' || e.ops[i] === '-')).length;
  }
  if (e.k !== 'call' || !DURATION_CALLS.has(e.name)) return 0;
  let n = e.args.filter((a) => readsField(a, field)).length;
  if (e.target && readsField(e.target, field)) n++;
  if (!e.target && e.qualifier.at(-1) === field && e.qualifier.length <= 2) n++; // `start.until(now, MILLIS)`
  return n;
}
