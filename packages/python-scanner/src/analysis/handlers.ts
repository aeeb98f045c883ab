import { isTestPath } from '@snapstart/core';
import { parameterNames, type PyFile } from '../model/module.js';
import type { Node } from '../parse.js';

/** A handler as a deployment descriptor or the config names it: `app.lambda_handler`, `src/app.handler`. */
export interface HandlerRef {
  /** Module as dotted name (`src.app`). */
  readonly module: string;
  readonly function: string;
  /** The file that named it (descriptor), for resolving the module nearest to it. */
  readonly from?: string;
}

/** Parses `app.handler` / `src/handlers/app.main` / `pkg.mod.fn`; undefined when it is not a Python handler string. */
export function parseHandlerString(text: string, from?: string): HandlerRef | undefined {
  const m = /^([\w./-]+)\.(\w+)$/.exec(text.trim());
  if (!m || text.includes('::')) return undefined;
  const module = m[1]!.replace(/^\.\//, '').replace(/\//g, '.');
  return { module, function: m[2]!, ...(from ? { from } : {}) };
}

/** `Handler: app.lambda_handler` (SAM/CloudFormation YAML or JSON) and `handler: src/app.main` (serverless.yml). */
export function descriptorHandlers(path: string, text: string): HandlerRef[] {
  const out: HandlerRef[] = [];
  for (const m of text.matchAll(/["']?\b[Hh]andler["']?\s*:\s*["']?([\w./:-]+)/g)) {
    const ref = parseHandlerString(m[1]!, path);
    if (ref) out.push(ref);
  }
  return out;
}

/** Files whose names say they are not function code (build scripts, test config). */
const SCRIPT_NAMES = new Set(['setup.py', 'conftest.py', 'noxfile.py', 'fabfile.py', 'tasks.py', 'manage.py']);

/** Test files (`tests/`, `test_*.py`, `*_test.py`) and scripts never run in a Lambda function. */
export function isNotFunctionCode(path: string): boolean {
  const base = path.split('/').at(-1)!;
  return isTestPath(path) || /^test_.*\.py$|_test\.py$/.test(base) || SCRIPT_NAMES.has(base);
}

/** A CDK/Pulumi/CDKTF app: runs at deploy time, not in a function. */
export function isInfrastructure(root: Node): boolean {
  for (const s of root.namedChildren) {
    if (s.type !== 'import_statement' && s.type !== 'import_from_statement') continue;
    if (/\b(aws_cdk|constructs|cdktf|pulumi|pulumi_aws)\b/.test(s.text)) return true;
  }
  return false;
}

const HANDLER_NAME = /^(lambda_handler|handler|main_handler|function_handler|app_handler)$/;
const EVENT = /^_?(event|evt|e)$/;
const CONTEXT = /^_?(context|ctx|lambda_context)$/;

/** Top-level functions of a module that look like Lambda handlers by name or by `(event, context)`. */
export function handlersByShape(file: PyFile): string[] {
  if (isNotFunctionCode(file.path) || isInfrastructure(file.root)) return [];
  const out: string[] = [];
  for (const s of file.root.namedChildren) {
    const def = s.type === 'decorated_definition' ? s.childForFieldName('definition') : s;
    if (def?.type !== 'function_definition') continue;
    const name = def.childForFieldName('name')!.text;
    const params = parameterNames(def.childForFieldName('parameters')).filter((p) => p !== 'self');
    const eventContext = params.length >= 2 && EVENT.test(params[0]!) && CONTEXT.test(params[1]!);
    if (eventContext || (HANDLER_NAME.test(name) && params.length >= 1 && params.length <= 3 && !name.startsWith('_'))) out.push(name);
  }
  return out;
}

/** A module that builds a framework app at its top level (`Mangum(app)`, `Chalice(...)`): Lambda calls into it. */
export function isAppModule(file: PyFile): boolean {
  if (isNotFunctionCode(file.path) || isInfrastructure(file.root)) return false;
  return /^\s*\w+\s*=\s*(?:[\w.]+\.)?(?:Mangum|Chalice)\s*\(/m.test(file.root.text);
}
