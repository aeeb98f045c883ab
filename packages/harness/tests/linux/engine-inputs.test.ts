/**
 * The linux engine's input checks, before anything boots (fast, no VM needed): handler strings
 * in Lambda's forms, artifacts that do not hold the handler, a missing runtime interface client,
 * and a missing --runtime. Each is a clear error naming the file or the command that fixes it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { linuxEngine } from '../../src/engines/linux/engine.js';
import { javaFunction } from '../../src/engines/linux/functions/java.js';
import { GUEST_RIC, GUEST_TASK } from '../../src/engines/linux/functions/layout.js';
import { nodeFunction } from '../../src/engines/linux/functions/node.js';
import { pythonFunction } from '../../src/engines/linux/functions/python.js';
import { requireRic } from '../../src/engines/linux/functions/ric.js';
import { HarnessError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'snapstart-linux-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (path: string, text = ''): string => {
  const p = join(dir, path);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
  return p;
};

describe('java functions', () => {
  it('accepts a classes folder holding the handler class and starts the RIC with the CRaC compat property', () => {
    file('classes/com/example/Handler.class');
    const layout = javaFunction(join(dir, 'classes'), 'com.example.Handler::handleRequest');
    const cmd = layout.command({ task: GUEST_TASK, ric: GUEST_RIC, program: '/jre/bin/java' });
    expect(cmd.args).toContain('-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac');
    expect(cmd.args.slice(-2)).toEqual(['com.amazonaws.services.lambda.runtime.api.client.AWSLambda', 'com.example.Handler::handleRequest']);
    expect(cmd.args[cmd.args.indexOf('-cp') + 1]).toBe(`${GUEST_RIC}/*:${GUEST_TASK}`);
    expect(cmd.env._HANDLER).toBe('com.example.Handler::handleRequest');
  });

  it('puts lib/*.jar (Lambda\'s zip layout) and a jar artifact on the class path', () => {
    file('withlib/com/example/Handler.class');
    file('withlib/lib/dep.jar');
    const withLib = javaFunction(join(dir, 'withlib'), 'com.example.Handler').command({ task: '/t', ric: '/r', program: 'java' });
    expect(withLib.args[withLib.args.indexOf('-cp') + 1]).toBe('/r/*:/t:/t/lib/*');
    const jar = javaFunction(file('fn.jar'), 'com.example.Handler::handleRequest');
    expect(jar.artifactName).toBe('fn.jar');
    const cmd = jar.command({ task: '/t', ric: '/r', program: 'java' });
    expect(cmd.args[cmd.args.indexOf('-cp') + 1]).toBe('/r/*:/t/fn.jar');
  });

  it('refuses a missing handler, a malformed one, and a folder without the class', () => {
    expect(() => javaFunction(join(dir, 'classes'), undefined)).toThrow(/--handler is required for java/);
    expect(() => javaFunction(join(dir, 'classes'), 'com.example.Handler::')).toThrow(/not of Lambda's form/);
    expect(() => javaFunction(join(dir, 'classes'), 'com.example.Other::handleRequest')).toThrow(/no com\/example\/Other\.class in .*classes \(compile the function first\)/);
    expect(() => javaFunction(file('notes.txt'), 'a.B')).toThrow(/a \.jar or a folder of classes/);
  });
});

describe('python functions', () => {
  it('accepts module.function (packages too) and runs awslambdaric with the RIC on PYTHONPATH', () => {
    file('py/app.py');
    file('py/pkg/mod.py');
    const cmd = pythonFunction(join(dir, 'py'), 'app.handler').command({ task: GUEST_TASK, ric: GUEST_RIC, program: '/usr/bin/python3.11' });
    expect(cmd.args).toEqual(['-m', 'awslambdaric', 'app.handler']);
    expect(cmd.env.PYTHONPATH).toBe(`${GUEST_TASK}:${GUEST_RIC}`);
    expect(cmd.env.PYTHONUNBUFFERED).toBe('1');
    expect(pythonFunction(join(dir, 'py'), 'pkg.mod.handler').handler).toBe('pkg.mod.handler');
    expect(pythonFunction(file('single.py'), undefined).handler).toBe('single.handler');
  });

  it('refuses a folder without the module and a handler that is not module.function', () => {
    expect(() => pythonFunction(join(dir, 'py'), 'missing.handler')).toThrow(/handler 'missing.handler': no missing\.py in /);
    expect(() => pythonFunction(join(dir, 'py'), 'handler')).toThrow(/not of Lambda's form module\.function/);
    expect(() => pythonFunction(join(dir, 'py'), undefined)).toThrow(/--handler is required for a python folder/);
  });
});

describe('node functions', () => {
  it('accepts file.function and runs aws-lambda-ric; refuses a folder without the file', () => {
    file('js/index.mjs');
    const cmd = nodeFunction(join(dir, 'js'), 'index.handler').command({ task: '/t', ric: '/r', program: '/usr/bin/node' });
    expect(cmd.args).toEqual(['/r/node_modules/aws-lambda-ric/index.mjs', 'index.handler']);
    expect(() => nodeFunction(join(dir, 'js'), 'main.handler')).toThrow(/no main\.mjs, \.cjs or \.js in /);
  });
});

describe('engine set-up errors', () => {
  const saved = process.env.SNAPSTART_RIC_DIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.SNAPSTART_RIC_DIR;
    else process.env.SNAPSTART_RIC_DIR = saved;
  });

  it('a missing RIC names what it needs and the setup command', () => {
    process.env.SNAPSTART_RIC_DIR = join(dir, 'no-ric');
    expect(() => requireRic('python')).toThrow(HarnessError);
    expect(() => requireRic('python')).toThrow(/awslambdaric 4\.2\.2 .* Install it with: bash packages\/harness\/scripts\/setup-linux\.sh$/);
    expect(() => requireRic('node')).toThrow(/setup-linux\.sh --node$/);
  });

  it('a build without --runtime says so before anything else', async () => {
    await expect(linuxEngine({}).build({ entry: join(dir, 'py'), exportName: 'handler', cwd: dir, stubs: [] })).rejects.toThrow(/needs the function's runtime: --runtime java\|python\|node/);
  });
});
