/**
 * Node functions: a folder with the handler module (`index.mjs`/`index.js` and its
 * node_modules, as Lambda's zip holds them), run by AWS's `aws-lambda-ric` (npm) on the host's
 * Node. That RIC has no SnapStart restore step: the snapshot is taken while its first
 * `invocation/next` is pending, and it has no hooks.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { HarnessError } from '../../../errors.js';
import { lambdaVariables, type FunctionLayout, type FunctionPaths } from './layout.js';

const HANDLER = /^[^\s.][^\s]*\.[A-Za-z_$][\w$]*$/;
const EXTENSIONS = ['.mjs', '.cjs', '.js'];

export function nodeFunction(artifact: string, handler: string | undefined): FunctionLayout {
  if (!existsSync(artifact)) throw new HarnessError(`node function not found: ${artifact}`);
  const isFile = statSync(artifact).isFile();
  if (isFile && !EXTENSIONS.includes(extname(artifact))) throw new HarnessError(`a node function is a folder or a .mjs/.cjs/.js file, got ${artifact}`);
  const chosen = handler ?? (isFile ? `${basename(artifact, extname(artifact))}.handler` : undefined);
  if (!chosen) throw new HarnessError(`--handler is required for a node folder (Lambda's form: file.function, e.g. index.handler)`);
  if (!HANDLER.test(chosen)) throw new HarnessError(`node handler '${chosen}' is not of Lambda's form file.function (e.g. index.handler)`);
  const module = chosen.slice(0, chosen.lastIndexOf('.'));
  if (!isFile && !EXTENSIONS.some((e) => existsSync(join(artifact, `${module}${e}`)))) throw new HarnessError(`handler '${chosen}': no ${module}.mjs, .cjs or .js in ${artifact}`);
  return {
    runtime: 'node',
    handler: chosen,
    artifact,
    ...(isFile ? { artifactName: basename(artifact) } : {}),
    command: (paths: FunctionPaths) => ({
      command: paths.program,
      args: [`${paths.ric}/node_modules/aws-lambda-ric/index.mjs`, chosen],
      env: { ...lambdaVariables(chosen, paths.task), NODE_PATH: `${paths.task}/node_modules` },
      cwd: paths.task,
    }),
  };
}
