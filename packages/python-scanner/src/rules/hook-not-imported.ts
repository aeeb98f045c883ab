// python/hook-not-imported: a module registers SnapStart runtime hooks (snapshot_restore_py) but no
// handler module imports it, so the hooks are never registered. Docs: docs/rules/python/hook-not-imported.md.
import type { Finding } from '@snapstart/core';
import { lineOf } from '../model/module.js';
import type { Node } from '../parse.js';
import { findingOf, pythonRule } from './rule.js';

export const hookNotImported = pythonRule('python/hook-not-imported');

/** `@register_after_restore` decorators and `register_before_snapshot(fn)` calls of a module. */
export function hookRegistrations(root: Node): Node[] {
  const out: Node[] = [];
  for (const n of root.descendantsOfType(['decorator', 'call'])) {
    const head = n.type === 'decorator' ? n.namedChildren[0] : n.childForFieldName('function');
    const name = head?.type === 'call' ? head.childForFieldName('function')?.text : head?.text;
    if (name && /(^|\.)register_(after_restore|before_snapshot)$/.test(name) && !(n.type === 'call' && n.parent?.type === 'decorator')) out.push(n);
  }
  return out;
}


/** The finding for one registration in a module no handler imports. */
export function hookNotImportedFinding(file: string, reg: Node): Finding {
  return findingOf(hookNotImported, {
    file,
    line: lineOf(reg),
    column: reg.startPosition.column + 1,
    endLine: reg.endPosition.row + 1,
    endColumn: reg.endPosition.column + 1,
    message: `\`${file}\` registers a SnapStart runtime hook (\`${reg.text.split('(')[0]!.replace(/^@/, '').trim()}\`), but no handler module imports it, directly or through other modules: the hook is never registered and never runs.`,
    initPath: [],
    fix: 'Import this module from the handler module (for example `import hooks  # registers the SnapStart hooks`), or move the hooks there.',
  });
}
