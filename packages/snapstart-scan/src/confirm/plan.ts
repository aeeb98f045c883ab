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
  /** Java: `entry` is the source root, compiled against the Lambda runtime's jars before the run. */
  readonly compileJava?: boolean;
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

/** A Java handler class: its source root (from its package declaration) and Lambda's handler string. */
function javaHandler(abs: string): { sourceRoot?: string; handler: string } {
  const text = readFileSync(abs, 'utf8');
  const pkg = /^\s*package\s+([\w.]+)\s*;/m.exec(text)?.[1];
  const cls = basename(abs, '.java');
  // The handler method: RequestHandler's and RequestStreamHandler's, else the first public method taking a Context.
  const method = /\bhandleRequest\s*\(/.test(text) ? 'handleRequest' : (/public\s+[\w<>?,\s\[\]]+\s+(\w+)\s*\([^)]*\bContext\s+\w+\s*\)/.exec(text)?.[1] ?? 'handleRequest');
  let root = dirname(abs);
  for (const part of (pkg ?? '').split('.').filter(Boolean).reverse()) {
    if (basename(root) !== part) return { handler: `${pkg ? `${pkg}.` : ''}${cls}::${method}` };
    root = dirname(root);
  }
  return { sourceRoot: root, handler: `${pkg ? `${pkg}.` : ''}${cls}::${method}` };
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
      const java = javaHandler(abs);
      targets.push({
        ...common,
        engine: 'linux',
        runtime: 'java',
        entry: java.sourceRoot ? relative(options.root, java.sourceRoot) || '.' : file,
        exportName,
        lambdaHandler: java.handler,
        compileJava: true,
        ...(java.sourceRoot ? {} : { notRun: `${file} is not under a Java source root (a folder whose package folders match its package declaration)` }),
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
