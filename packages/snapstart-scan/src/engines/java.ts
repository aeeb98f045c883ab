import { scanJavaProject } from '@snapstart/java-scanner';
import { splitHandlers } from '../config/schema.js';
import type { EngineSettings, JavaJob, JobResult } from './job.js';
import { runProjectJob } from './project-job.js';

/** Analyses the Java files of one build; an internal error becomes one diagnostic for the build. */
export function runJavaJob(job: JavaJob, settings: EngineSettings): Promise<JobResult> {
  const c = settings.config;
  return runProjectJob(job.files, { dir: job.build, what: 'the Java sources of this build' }, settings, () =>
    scanJavaProject(
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
    ),
  );
}
