import type { Finding, Severity } from '@snapstart/core';
import { scanJavaProject } from '@snapstart/java-scanner';
import { splitHandlers } from '../config/schema.js';
import { emptyResult, type EngineSettings, type JavaJob, type JobResult } from './job.js';

/** Analyses the Java files of one build; an internal error becomes one diagnostic for the build. */
export async function runJavaJob(job: JavaJob, settings: EngineSettings): Promise<JobResult> {
  const out = emptyResult();
  out.files = job.files.length;
  const c = settings.config;
  try {
    const result = await scanJavaProject(
      job.files.map((f) => f.abs),
      {
        cwd: settings.root,
        // Discovery has applied every exclude already (the Java defaults included).
        defaultExcludes: false,
        workers: 1,
        handlerClasses: [...splitHandlers(c.handlers).java, ...(settings.roles?.javaHandlers ?? [])],
        // Descriptors name the handlers: classes shaped like handlers are library code (repo-roles.ts).
        declaredHandlersOnly: (settings.roles?.javaHandlers.length ?? 0) > 0,
        sources: c.sources.flatMap((s) => (s.language === 'java' ? [{ owner: s.owner, method: s.method, category: s.category }] : [])),
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
      file: job.build || '.',
      message: `internal error while analysing the Java sources of this build (${job.files.length} files): ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`,
    });
  }
  return out;
}
