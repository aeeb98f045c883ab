/**
 * Compiles a Java function's sources for the linux engine, against the jars its runtime provides
 * in Lambda (aws-lambda-java-core, org.crac, installed with the runtime interface client by
 * setup-linux.sh). For callers that start from sources (`snapstart-scan --confirm`, tests); a
 * function with other dependencies is built by its own build and given to the engine as a jar.
 */
import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { HarnessError } from '../../../errors.js';
import { requireRic } from './ric.js';

/** Every `.java` file under a folder. */
export function javaSources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...javaSources(path));
    else if (name.endsWith('.java')) out.push(path);
  }
  return out;
}

/** Compiles every `.java` under `sourceRoot` into `outDir` (Java 17 class files). */
export function compileJavaSources(sourceRoot: string, outDir: string): Promise<void> {
  const classpath = `${requireRic('java')}/*`;
  const sources = javaSources(sourceRoot).map((f) => relative(sourceRoot, f));
  if (sources.length === 0) return Promise.reject(new HarnessError(`no .java file under ${sourceRoot}`));
  return new Promise((resolve, reject) => {
    execFile('javac', ['--release', '17', '-nowarn', '-cp', classpath, '-d', outDir, ...sources], { cwd: sourceRoot, maxBuffer: 16 * 1024 * 1024 }, (err, _stdout, stderr) => {
      if (!err) return resolve();
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return reject(new HarnessError('javac is not on PATH: compiling a Java function needs a JDK (apt-get install openjdk-17-jdk-headless)'));
      const first = stderr.split('\n').find((l) => /error:/.test(l)) ?? stderr.split('\n')[0] ?? err.message;
      reject(new HarnessError(`javac could not compile ${sourceRoot} against the Lambda runtime's jars (a function with other dependencies needs its own build, given as a jar): ${first.trim()}`));
    });
  });
}
