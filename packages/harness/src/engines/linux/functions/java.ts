/**
 * Java functions: a jar, or a folder of classes (with its dependencies in `lib/*.jar`, as
 * Lambda's zip layout has them), run by AWS's `aws-lambda-java-runtime-interface-client` with
 * the CRaC API (`org.crac`) for the hooks.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { HarnessError } from '../../../errors.js';
import { lambdaVariables, type FunctionLayout, type FunctionPaths } from './layout.js';

const HANDLER = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*(::[A-Za-z_$][\w$]*)?$/;
const MAIN = 'com.amazonaws.services.lambda.runtime.api.client.AWSLambda';

export function javaFunction(artifact: string, handler: string | undefined): FunctionLayout {
  if (!existsSync(artifact)) throw new HarnessError(`java function not found: ${artifact}`);
  if (!handler) throw new HarnessError(`--handler is required for java (Lambda's form: com.example.Handler::handleRequest)`);
  if (!HANDLER.test(handler)) throw new HarnessError(`java handler '${handler}' is not of Lambda's form com.example.Handler::handleRequest (or a class name)`);
  const isJar = statSync(artifact).isFile();
  if (isJar && extname(artifact) !== '.jar') throw new HarnessError(`a java function is a .jar or a folder of classes, got ${artifact}`);
  if (!isJar) {
    const classFile = `${handler.split('::')[0]!.split('.').join('/')}.class`;
    if (!existsSync(join(artifact, classFile))) throw new HarnessError(`handler '${handler}': no ${classFile} in ${artifact} (compile the function first)`);
  }
  const hasLib = !isJar && existsSync(join(artifact, 'lib')) && readdirSync(join(artifact, 'lib')).some((f) => f.endsWith('.jar'));
  return {
    runtime: 'java',
    handler,
    artifact,
    ...(isJar ? { artifactName: basename(artifact) } : {}),
    command: (paths: FunctionPaths) => {
      const classpath = [`${paths.ric}/*`, isJar ? `${paths.task}/${basename(artifact)}` : paths.task, ...(hasLib ? [`${paths.task}/lib/*`] : [])].join(':');
      return {
        command: paths.program,
        args: [
          // Lambda's Java runtimes start the JVM like this (tiered C1 only, serial GC); under TCG it also halves start-up.
          '-XX:+TieredCompilation',
          '-XX:TieredStopAtLevel=1',
          '-XX:+UseSerialGC',
          // Without it org.crac looks for a CRaC JDK and no hook ever runs (measured: linux-guest.md).
          '-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac',
          '-cp',
          classpath,
          MAIN,
          handler,
        ],
        env: lambdaVariables(handler, paths.task),
        cwd: paths.task,
      };
    },
  };
}
