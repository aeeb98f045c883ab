/**
 * The environment of a function instance, built from nothing: Lambda's documented variables, the
 * harness's fixed dummy credentials, and what the user asked for with `--env` / `--env-file` —
 * never the host's environment (its AWS credentials and profile, NODE_OPTIONS, tokens of other
 * tools). https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
 */
import { readFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { HarnessError } from '../errors.js';

/** Lambda's default memory setting, MB. */
export const DEFAULT_MEMORY_MB = 1024;
/** Lambda's range for the memory setting, MB. */
export const MIN_MEMORY_MB = 128;
export const MAX_MEMORY_MB = 10_240;

/**
 * Child processes a function starts need a PATH; the host's is not passed (it can name the
 * user's private tool folders). The instance gets Lambda's system folders plus the folder of the
 * node binary that runs it, so that `node` in a child process is the same Node.
 */
export const INSTANCE_PATH = `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`;

/** Variables the user may not set with `--env`: the harness never hands a function credentials. */
const CREDENTIAL_VARIABLES = new Set([
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_CONFIG_FILE',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
]);

export interface FunctionSettings {
  /** The function's memory setting, MB (AWS_LAMBDA_FUNCTION_MEMORY_SIZE). */
  readonly memoryMb?: number;
  /** `_HANDLER`, e.g. `src/index.handler`. */
  readonly handler?: string;
  /** LAMBDA_TASK_ROOT: the function's folder. */
  readonly taskRoot?: string;
  /** AWS_EXECUTION_ENV, e.g. `AWS_Lambda_nodejs20.x` (set only when given: each engine knows its runtime). */
  readonly executionEnv?: string;
}

/** AWS_EXECUTION_ENV of a Node.js function run by this Node (the node engine). */
export function nodeExecutionEnv(): string {
  return `AWS_Lambda_nodejs${process.versions.node.split('.')[0]}.x`;
}

/** `_HANDLER` as Lambda spells it: the entry's path from the task root without its extension, a dot, the export. */
export function handlerSetting(entry: string, exportName: string, taskRoot: string): string {
  return `${relative(taskRoot, entry).replace(/\.[cm]?[jt]sx?$/, '')}.${exportName}`;
}

/**
 * Lambda's runtime variables with the harness's dummy credentials, so that AWS SDK clients can be
 * created and called (their requests go to the stub, never to AWS), then `extra` (from `--env`).
 */
export function lambdaEnvironment(extra: Readonly<Record<string, string>> = {}, settings: FunctionSettings = {}): Record<string, string> {
  const memory = settings.memoryMb ?? DEFAULT_MEMORY_MB;
  return {
    PATH: INSTANCE_PATH,
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDSNAPSTARTHARNESS',
    AWS_SECRET_ACCESS_KEY: 'snapstart-harness-dummy-secret',
    AWS_SESSION_TOKEN: 'snapstart-harness-dummy-session-token',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...(settings.executionEnv ? { AWS_EXECUTION_ENV: settings.executionEnv } : {}),
    AWS_LAMBDA_FUNCTION_NAME: 'snapstart-harness',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memory),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'snap-start',
    AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/snapstart-harness',
    ...(settings.handler ? { _HANDLER: settings.handler } : {}),
    ...(settings.taskRoot ? { LAMBDA_TASK_ROOT: settings.taskRoot } : {}),
    ...extra,
  };
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkName(name: string, where: string): void {
  if (!NAME.test(name)) throw new HarnessError(`${where}: '${name}' is not a variable name (letters, digits and _, not starting with a digit)`);
  if (CREDENTIAL_VARIABLES.has(name)) {
    throw new HarnessError(`${where}: ${name} cannot be set: the harness never passes credentials or profiles to a function (it gets fixed dummy credentials; its AWS requests go to the stub)`);
  }
}

/** One `--env K=V`. */
export function parseEnvAssignment(text: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new HarnessError(`--env expects NAME=VALUE, got '${text}'`);
  const name = text.slice(0, eq);
  checkName(name, '--env');
  return [name, text.slice(eq + 1)];
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', $: '$' };

/**
 * A dotenv file: `NAME=value` lines, optional `export `, `#` comments (whole line, or after an
 * unquoted value and a space), values in single quotes (literal) or double quotes (`\n`, `\t`,
 * `\"`, `\\` escapes; may span lines). No variable expansion. Errors name `file:line`.
 */
export function parseEnvFile(text: string, file: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const where = `${file}:${lineNo}`;
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([^=\s]+)\s*=\s*(.*)$/.exec(line);
    if (!m) throw new HarnessError(`${where}: expected NAME=VALUE, got '${line.length > 60 ? `${line.slice(0, 59)}…` : line}'`);
    const name = m[1]!;
    checkName(name, where);
    let rest = m[2]!;
    let value: string;
    const quote = rest[0];
    if (quote === '"' || quote === "'") {
      // The value runs to the matching quote, possibly over several lines.
      let body = rest.slice(1);
      let end = findClosing(body, quote);
      while (end < 0 && i + 1 < lines.length) {
        i++;
        body += `\n${lines[i]!}`;
        end = findClosing(body, quote);
      }
      if (end < 0) throw new HarnessError(`${where}: ${name}: the ${quote === '"' ? 'double' : 'single'} quote is never closed`);
      const after = body.slice(end + 1).trim();
      if (after !== '' && !after.startsWith('#')) throw new HarnessError(`${where}: ${name}: unexpected text after the closing quote: '${after}'`);
      const raw = body.slice(0, end);
      value = quote === "'" ? raw : raw.replace(/\\(.)/g, (whole, c: string) => ESCAPES[c] ?? whole);
    } else {
      const comment = rest.search(/\s#/);
      if (comment >= 0) rest = rest.slice(0, comment);
      value = rest.trim();
    }
    out[name] = value;
  }
  return out;
}

function findClosing(body: string, quote: string): number {
  for (let j = 0; j < body.length; j++) {
    if (quote === '"' && body[j] === '\\') {
      j++;
      continue;
    }
    if (body[j] === quote) return j;
  }
  return -1;
}

/** Reads `--env-file FILE`. */
export function readEnvFile(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new HarnessError(`cannot read env file ${file}: ${(err as Error).message}`);
  }
  return parseEnvFile(text, file);
}
