import { scanPythonProject } from '@snapstart/python-scanner';
import { splitHandlers } from '../config/schema.js';
import type { EngineSettings, JobResult, PythonJob } from './job.js';
import { runProjectJob } from './project-job.js';

/** Analyses the Python files of one project together; an internal error becomes one diagnostic. */
export function runPythonJob(job: PythonJob, settings: EngineSettings): Promise<JobResult> {
  const c = settings.config;
  return runProjectJob(job.files, { dir: job.project, what: 'the Python sources of this project' }, settings, () =>
    scanPythonProject(
      job.files.map((f) => f.abs),
      {
        cwd: settings.root,
        handlers: splitHandlers(c.handlers).python,
        sources: c.sources.flatMap((s) => (s.language === 'python' ? [{ name: s.name, category: s.category }] : [])),
      },
    ),
  );
}
