/**
 * How a function and its runtime interface client are laid out and started, per runtime. The
 * same description serves the guest (paths inside the image) and host-side tests (host paths):
 * only `FunctionPaths` differ.
 */
import type { LinuxRuntime } from '../options.js';

/** Where things are, in whichever file system the runtime will run. */
export interface FunctionPaths {
  /** The function's code (Lambda's LAMBDA_TASK_ROOT, `/var/task` in the guest). */
  readonly task: string;
  /** The RIC tree of this runtime. */
  readonly ric: string;
  /** The runtime's program (`java`, `python3.11`, `node`). */
  readonly program: string;
}

/** A command line that starts the RIC with the function's handler. */
export interface FunctionCommand {
  readonly command: string;
  readonly args: readonly string[];
  /** Runtime-specific environment, on top of Lambda's (functionEnvironment + the Runtime API address). */
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
}

export interface FunctionLayout {
  readonly runtime: LinuxRuntime;
  /** Lambda's handler string, checked. */
  readonly handler: string;
  /** Host directory or file to copy to `task` (a folder is copied as is; a jar is placed inside it). */
  readonly artifact: string;
  /** The file name under `task` when the artifact is a single file (a jar, a bundle). */
  readonly artifactName?: string;
  command(paths: FunctionPaths): FunctionCommand;
}

/** Guest paths (the image places the function and the RIC there). */
export const GUEST_TASK = '/var/task';
export const GUEST_RIC = '/opt/snapstart/ric';

/** The Lambda variables every runtime reads (besides credentials and region from functionEnvironment). */
export function lambdaVariables(handler: string, task: string): Record<string, string> {
  return {
    _HANDLER: handler,
    LAMBDA_TASK_ROOT: task,
    AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/snapstart-harness',
    AWS_LAMBDA_LOG_STREAM_NAME: 'snapstart-harness',
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    HOME: '/tmp',
  };
}
