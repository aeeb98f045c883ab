import { createFileLinter, type FileLinter } from '../engines/eslint.js';
import { runJavaJob } from '../engines/java.js';
import { runPythonJob } from '../engines/python.js';
import type { EngineSettings, Job, JobResult } from '../engines/job.js';

export interface Executor {
  (job: Job, onFile: () => void): Promise<JobResult>;
  /** Makes the ESLint instance now (a worker does, so that its start-up is not counted in a file's time budget). */
  warm(): Promise<void>;
}

/** Runs jobs of either kind in this thread; the ESLint instance is made on the first lint job. */
export function createExecutor(settings: EngineSettings, probeFile: string | undefined): Executor {
  let linter: Promise<FileLinter> | undefined;
  const run = async (job: Job, onFile: () => void): Promise<JobResult> => {
    if (job.kind === 'java') {
      const result = await runJavaJob(job, settings);
      for (let i = 0; i < job.files.length; i++) onFile();
      return result;
    }
    if (job.kind === 'python') {
      const result = await runPythonJob(job, settings);
      for (let i = 0; i < job.files.length; i++) onFile();
      return result;
    }
    linter ??= createFileLinter(settings, probeFile);
    return (await linter).lint(job, onFile);
  };
  return Object.assign(run, {
    warm: async (): Promise<void> => {
      linter ??= createFileLinter(settings, probeFile);
      await linter;
    },
  });
}
