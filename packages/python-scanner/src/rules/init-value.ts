// What the five python/no-init-* rules share: a value (or a generator) made during init that the
// handler reads, reported by the rule of its category (each rule id has its own file: no-init-uuid.ts,
// …); and draws from the `random` module's own generator, seeded at import (python/no-init-random).
import { ruleForCategory, type Finding, type InitStep } from '@snapstart/core';
import type { InitRead, StateDraw } from '../analysis/reach.js';
import type { Step } from '../analysis/values.js';

function initPath(steps: readonly Step[], file: string): InitStep[] {
  return steps.map((s) =>
    s.line !== undefined && s.file === file
      ? { description: s.description, line: s.line }
      : { description: s.line !== undefined && s.file ? `${s.description} (${s.file}:${s.line})` : s.description },
  );
}

function describe(path: readonly InitStep[]): string {
  return path.map((s) => (s.line ? `${s.description} (line ${s.line})` : s.description)).join(', ');
}

const where = (file: string, line: number, from: string): string => (file === from ? `line ${line}` : `${file}:${line}`);

export function readFinding(r: InitRead): Finding {
  const rule = ruleForCategory('python', r.taint.category);
  const path = initPath(r.site.steps, r.site.file);
  const src = r.taint.file !== r.site.file || r.taint.line !== r.site.line ? ` (${where(r.taint.file, r.taint.line, r.site.file)})` : '';
  const generator = r.taint.kind === 'generator';
  const what = generator ? `holds a generator from \`${r.taint.source}\`${src} made during init` : `holds a value from \`${r.taint.source}\`${src} made during init`;
  const use = generator ? 'draws from it' : 'reads it';
  return {
    ruleId: rule.id,
    category: r.taint.category,
    severity: rule.defaultSeverity,
    file: r.site.file,
    line: r.site.line,
    column: r.site.column,
    endLine: r.site.endLine,
    endColumn: r.site.endColumn,
    message: `${r.site.what} ${what} (${describe(path)}); \`${r.reader}\` ${use} (${where(r.file, r.line, r.site.file)}). Every execution environment restored from the snapshot shares ${generator ? 'its sequence' : 'it'}.`,
    initPath: path,
    fix: generator
      ? 'Create the generator in the handler, or reseed it in a function registered with snapshot_restore_py.register_after_restore; for values that must be unpredictable use secrets or random.SystemRandom.'
      : 'Make the value in the handler (or lazily, on first use in the handler), or replace it in a function registered with snapshot_restore_py.register_after_restore.',
    source: r.taint.source,
  };
}

export function drawFinding(d: StateDraw, imported: { file: string; line: number }): Finding {
  const rule = ruleForCategory('python', 'random');
  const state = d.entry.state!;
  const step: InitStep = imported.file === d.file ? { description: `\`${state}\` imported during init`, line: imported.line } : { description: `\`${state}\` imported during init (${imported.file}:${imported.line})` };
  return {
    ruleId: rule.id,
    category: 'random',
    severity: rule.defaultSeverity,
    file: d.file,
    line: d.line,
    column: d.column,
    endLine: d.endLine,
    endColumn: d.endColumn,
    message: `\`${d.label}\` in \`${d.reader}\` draws from the \`${state}\` module's generator, whose state was seeded when \`${state}\` was imported during init (${describe([step])}) and is in the snapshot: every restored execution environment draws the same sequence.`,
    initPath: [step],
    fix: `Reseed it after restore (\`@register_after_restore\` on a function calling \`${state}.seed()\`, in a module the handler imports), or use secrets / random.SystemRandom for values that must be unique.`,
    source: d.label,
  };
}

