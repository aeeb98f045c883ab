import type { Finding, Severity } from '@snapstart/core';
import { scanPythonProject } from '@snapstart/python-scanner';
import { splitHandlers } from '../config/schema.js';
import { emptyResult, type EngineSettings, type JobResult, type PythonJob } from './job.js';

/** Analyses the Python files of one project together; an internal error becomes one diagnostic. */
export async function runPythonJob(job: PythonJob, settings: EngineSettings): Promise<JobResult> {
  const out = emptyResult();
  out.files = job.files.length;
  const c = settings.config;
  try {
    const result = await scanPythonProject(
      job.files.map((f) => f.abs),
      {
        cwd: settings.root,
        handlers: splitHandlers(c.handlers).python,
        sources: c.sources.flatMap((s) => (s.language === 'python' ? [{ name: s.name, category: s.category }] : [])),
      },
    );
    for (const f of result.findings) {
      const level = c.rules[f.ruleId];
      if (level === 'off') continue;
      out.findings.push(level ? ({ ...f, severity: level as Severity } satisfies Finding) : f);
    }
    out.diagnostics.push(...result.diagnostics);
    out.suppressed += result.stats.suppressed;
    out.parsed += result.stats.parsed;
  } catch (err) {
    out.diagnostics.push({
      file: job.project || '.',
      message: `internal error while analysing the Python sources of this project (${job.files.length} files): ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`,
    });
  }
  return out;
}
