/**
 * What the Java and Python engines share: one analyser run over the files of a project (a Java
 * build, a Python project), the config's rule levels applied to its findings, and an internal
 * error turned into one diagnostic for the project instead of a failed scan.
 */
import type { Diagnostic, Finding } from '@snapstart/core';
import { emptyResult, type EngineSettings, type FileRef, type JobResult } from './job.js';

/** What java-scanner's and python-scanner's project scans return. */
export interface ProjectScanResult {
  readonly findings: readonly Finding[];
  readonly diagnostics: readonly Diagnostic[];
  readonly stats: { readonly suppressed: number; readonly parsed: number };
}

export async function runProjectJob(
  files: readonly FileRef[],
  /** The project's folder (diagnostics name it), and what it is, e.g. "the Java sources of this build". */
  project: { readonly dir: string; readonly what: string },
  settings: EngineSettings,
  scan: () => Promise<ProjectScanResult>,
): Promise<JobResult> {
  const out = emptyResult();
  out.files = files.length;
  try {
    const result = await scan();
    for (const f of result.findings) {
      const level = settings.config.rules[f.ruleId];
      if (level === 'off') continue;
      out.findings.push(level ? ({ ...f, severity: level } satisfies Finding) : f);
    }
    out.diagnostics.push(...result.diagnostics);
    out.suppressed += result.stats.suppressed;
    out.parsed += result.stats.parsed;
  } catch (err) {
    out.diagnostics.push({
      file: project.dir || '.',
      message: `internal error while analysing ${project.what} (${files.length} files): ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`,
    });
  }
  return out;
}
