/**
 * Python functions: a folder with the handler module (and its dependencies, as Lambda's zip
 * holds them), run by AWS's `awslambdaric` with `snapshot-restore-py` for the hooks:
 * `python3 -m awslambdaric app.handler`.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { HarnessError } from '../../../errors.js';
import { lambdaVariables, type FunctionLayout, type FunctionPaths } from './layout.js';

/** `module.function`, the module dotted (packages allowed). */
const HANDLER = /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*\.[A-Za-z_]\w*$/;

export function pythonFunction(artifact: string, handler: string | undefined): FunctionLayout {
  if (!existsSync(artifact)) throw new HarnessError(`python function not found: ${artifact}`);
  const isFile = statSync(artifact).isFile();
  if (isFile && extname(artifact) !== '.py') throw new HarnessError(`a python function is a folder or a .py file, got ${artifact}`);
  const chosen = handler ?? (isFile ? `${basename(artifact, '.py')}.handler` : undefined);
  if (!chosen) throw new HarnessError(`--handler is required for a python folder (Lambda's form: module.function, e.g. app.handler)`);
  if (!HANDLER.test(chosen)) throw new HarnessError(`python handler '${chosen}' is not of Lambda's form module.function (e.g. app.handler)`);
  const moduleFile = `${chosen.slice(0, chosen.lastIndexOf('.')).split('.').join('/')}`;
  if (!isFile && !existsSync(join(artifact, `${moduleFile}.py`)) && !existsSync(join(artifact, moduleFile, '__init__.py'))) {
    throw new HarnessError(`handler '${chosen}': no ${moduleFile}.py in ${artifact}`);
  }
  return {
    runtime: 'python',
    handler: chosen,
    artifact,
    ...(isFile ? { artifactName: basename(artifact) } : {}),
    command: (paths: FunctionPaths) => ({
      command: paths.program,
      args: ['-m', 'awslambdaric', chosen],
      env: {
        ...lambdaVariables(chosen, paths.task),
        PYTHONPATH: `${paths.task}:${paths.ric}`,
        // Lines reach the harness as they are written, so each lands in the phase that wrote it.
        PYTHONUNBUFFERED: '1',
        PYTHONDONTWRITEBYTECODE: '1',
      },
      cwd: paths.task,
    }),
  };
}
