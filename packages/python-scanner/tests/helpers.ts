import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { scanPythonProject, type PythonScanOptions, type PythonScanResult } from '../src/index.js';

/** Writes the sources to a fresh directory, scans it, and cleans up. */
export async function scanSources(files: Record<string, string | Buffer>, options: PythonScanOptions = {}): Promise<PythonScanResult> {
  const dir = mkdtempSync(join(tmpdir(), 'py-scan-'));
  try {
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
    return await scanPythonProject([dir], { ...options, cwd: dir });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `app.py:3 python/no-init-uuid` for each finding. */
export function summary(result: PythonScanResult): string[] {
  // A test source that does not parse would make every "no finding" expectation vacuous.
  if (result.diagnostics.length > 0) throw new Error(`unexpected diagnostics: ${JSON.stringify(result.diagnostics)}`);
  return result.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`);
}

/** Python source from an indented template literal (strips the common indentation). */
export function py(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}
