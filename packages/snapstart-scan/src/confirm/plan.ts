/**
 * Which handlers `--confirm` runs, with which event and engine: one target per file that has
 * findings (a finding in a module that is not itself a handler is confirmed by the run of a
 * handler that imports it; see execute.ts).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import type { ScanFinding } from '../report/model.js';
import type { ConfirmEngine } from './model.js';

export interface ConfirmTarget {
  /** The handler file, relative to the scan root. */
  readonly handler: string;
  readonly engine: ConfirmEngine;
  /** For the linux engine: the runtime, the artifact to run and Lambda's handler string. */
  readonly runtime?: 'java' | 'python' | 'node';
  readonly entry: string;
  readonly exportName: string;
  readonly lambdaHandler?: string;
  readonly event: unknown;
  /** Where the event came from: a file path, or `{}` when none was found. */
  readonly eventSource: string;
  readonly findings: readonly ScanFinding[];
  /** Set when the target cannot run at all (no engine for its language, unreadable event). */
  readonly notRun?: string;
}

export interface PlanOptions {
  readonly root: string;
  /** Engine for TS/JS handlers (Java and Python always use `linux`). */
  readonly engine: ConfirmEngine;
  /** `--event`: one JSON file for every handler, or a folder of `<handler stem>.json` / `event.json`. */
  readonly event?: string;
  /** JS export names from the config's `handlers` (default `handler`). */
  readonly exportNames?: readonly string[];
}

function readEvent(file: string): { event: unknown } | { error: string } {
  try {
    return { event: JSON.parse(readFileSync(file, 'utf8')) as unknown };
  } catch (err) {
    return { error: `cannot use the event ${file}: ${(err as Error).message.split('\n')[0]}` };
  }
}

/** The event for one handler: `--event FILE`, `--event DIR/<stem>.json` or `DIR/event.json`, else `event.json` beside the handler. */
function eventFor(handlerAbs: string, root: string, option: string | undefined): { event: unknown; source: string } | { error: string } {
  const stem = basename(handlerAbs, extname(handlerAbs));
  const candidates: string[] = [];
  if (option) {
    const abs = resolve(root, option);
    if (existsSync(abs) && statSync(abs).isDirectory()) candidates.push(join(abs, `${stem}.json`), join(abs, 'event.json'));
    else candidates.push(abs);
  } else {
    candidates.push(join(dirname(handlerAbs), `${stem}.event.json`), join(dirname(handlerAbs), 'event.json'));
  }
  const found = candidates.find((c) => existsSync(c));
  if (!found) return option && !(existsSync(resolve(root, option)) && statSync(resolve(root, option)).isDirectory()) ? { error: `no event file ${option}` } : { event: {}, source: '{}' };
  const read = readEvent(found);
  return 'error' in read ? read : { event: read.event, source: relative(root, found) };
}

/** Python's handler function in a file: `handler`, `lambda_handler`, or the first `def …(event, context)`. */
function pythonHandler(abs: string): string | undefined {
  const text = readFileSync(abs, 'utf8');
  for (const name of ['handler', 'lambda_handler']) if (new RegExp(`^(async\\s+)?def\\s+${name}\\s*\\(`, 'm').test(text)) return name;
  return /^(?:async\s+)?def\s+(\w+)\s*\(\s*event\s*,\s*context\b/m.exec(text)?.[1];
}

export function planTargets(findings: readonly ScanFinding[], options: PlanOptions): ConfirmTarget[] {
  const byFile = new Map<string, ScanFinding[]>();
  for (const f of findings) {
    const list = byFile.get(f.file);
    if (list) list.push(f);
    else byFile.set(f.file, [f]);
  }
  const exportName = options.exportNames?.[0] ?? 'handler';
  const targets: ConfirmTarget[] = [];
  for (const [file, list] of byFile) {
    const abs = resolve(options.root, file);
    const language = list[0]!.language as string;
    const ev = eventFor(abs, options.root, options.event);
    const event = 'error' in ev ? {} : ev.event;
    const eventSource = 'error' in ev ? '' : ev.source;
    const common = { handler: file, event, eventSource, findings: list, ...('error' in ev ? { notRun: ev.error } : {}) };
    if (language === 'java') {
      targets.push({
        ...common,
        engine: 'linux',
        runtime: 'java',
        entry: file,
        exportName,
        notRun: 'confirming Java findings needs the compiled function: run `snapstart-harness run <jar or classes> --engine linux --runtime java --handler <Class::method>` (compiling from sources is not done by --confirm)',
      });
    } else if (language === 'python') {
      const fn = pythonHandler(abs);
      const module = basename(file, '.py');
      targets.push({
        ...common,
        engine: 'linux',
        runtime: 'python',
        entry: relative(options.root, dirname(abs)) || '.',
        exportName: fn ?? 'handler',
        lambdaHandler: `${module}.${fn ?? 'handler'}`,
        ...(fn ? {} : { notRun: `${file} defines no handler function (handler, lambda_handler or def f(event, context))` }),
      });
    } else {
      targets.push({ ...common, engine: options.engine, entry: file, exportName, ...(options.engine === 'linux' ? { runtime: 'node', lambdaHandler: `${basename(file, extname(file))}.${exportName}` } : {}) });
    }
  }
  return targets.sort((a, b) => (a.handler < b.handler ? -1 : 1));
}
