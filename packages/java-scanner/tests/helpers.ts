import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { scanJavaProject, type JavaScanOptions, type JavaScanResult } from '../src/index.js';

/** Writes the sources to a fresh directory, scans it, and cleans up. */
export async function scanSources(files: Record<string, string | Buffer>, options: JavaScanOptions = {}): Promise<JavaScanResult> {
  const dir = mkdtempSync(join(tmpdir(), 'java-scan-'));
  try {
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
    return await scanJavaProject([dir], { ...options, cwd: dir });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `File.java:12 java/no-init-uuid sandboxId` for each finding. */
export function summary(result: JavaScanResult): string[] {
  return result.findings.map((f) => {
    const field = /^`([^`]+)`/.exec(f.message)?.[1];
    return `${f.file}:${f.line} ${f.ruleId}${field && f.ruleId.startsWith('java/no-init-') ? ` ${field}` : ''}`;
  });
}

export const HANDLER_IMPORTS = `import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
`;

/** A handler whose constructor body is `body` (`fields`: one line). With one extra import line, the body starts on line 9. */
export function handlerWith(fields: string, body: string, extraImports = ''): string {
  return `package app;
${HANDLER_IMPORTS}${extraImports}
public class H implements RequestHandler<String, String> {
${fields}
  public H() {
${body}
  }
  public String handleRequest(String in, Context c) { return in; }
}
`;
}
