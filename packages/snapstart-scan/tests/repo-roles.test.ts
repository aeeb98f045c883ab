// Issue #20: the repository's own word on its files — CI steps and package.json scripts run
// scripts, deployment descriptors (SAM/CloudFormation, serverless.yml, CDK) name handlers — read
// by discover/repo-roles.ts and honoured by both engines.

import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../src/config/schema.js';
import { discoverRepoRoles, discoverRepoRolesFor } from '../src/discover/repo-roles.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { scan } from '../src/scan.js';
import { makeRepo, type Tree } from './helpers.js';

const SDK_SCRIPT = `import { DynamoDBClient, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
const client = new DynamoDBClient({});
await client.send(new UpdateTableCommand({ TableName: 't' }));
export const done = true;
`;
/** CommonJS with a shebang, exporting a name the defaults do not know: looks like a hand-run script. */
const ORDERS = `#!/usr/bin/env node
const { randomUUID } = require('crypto');
const runId = randomUUID();
module.exports.processOrder = async () => ({ runId });
if (require.main === module) module.exports.processOrder().then(console.log);
`;
const JAVA_LIBRARY = `package lib;
import com.amazonaws.services.lambda.runtime.Context;
import java.util.UUID;
public class JerseyLambdaContainerHandler {
  private final String instanceId = UUID.randomUUID().toString();
  public String proxy(String request, Context context) { return instanceId + request; }
}
`;
const JAVA_HANDLER = `package app;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
public class StreamLambdaHandler implements RequestStreamHandler {
  public void handleRequest(java.io.InputStream in, java.io.OutputStream out, Context c) {}
}
`;

const TREE: Tree = {
  '.github/workflows/ci.yml': `on: push
jobs:
  schema:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: |
          npm ci
          node src/updateSchema.mjs --table orders
`,
  'api/package.json': JSON.stringify({ name: 'api', scripts: { seed: 'node --no-warnings tools/seed.js', test: 'vitest' } }),
  'api/tools/seed.js': `const { randomUUID } = require('crypto');\nconst id = randomUUID();\nmodule.exports = { id };\n`,
  'src/updateSchema.mjs': SDK_SCRIPT,
  'orders/template.yaml': `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/
      Handler: dist/orders.processOrder
      Runtime: nodejs20.x
      Environment:
        Variables:
          TABLE: !Ref Table
  Proxy:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: ../java
      Handler: app.StreamLambdaHandler::handleRequest
      Runtime: java21
`,
  'orders/functions/src/orders.js': ORDERS,
  'java/pom.xml': '<project><modelVersion>4.0.0</modelVersion></project>',
  'java/src/main/java/app/StreamLambdaHandler.java': JAVA_HANDLER,
  'java/src/main/java/lib/JerseyLambdaContainerHandler.java': JAVA_LIBRARY,
  'svc/serverless.yml': `service: svc\nfunctions:\n  hello:\n    handler: handler.hello\n`,
  'svc/handler.js': `exports.hello = async () => 1;\n`,
  'infra/cdk.json': '{ "app": "npx ts-node bin/app.ts" }',
  'infra/lib/stack.ts': `import * as path from 'path';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
export function build(scope: any) {
  new NodejsFunction(scope, 'Fn', { entry: path.join(__dirname, '../lambda/fn.ts'), handler: 'run' });
  new lambda.Function(scope, 'Legacy', { code: lambda.Code.fromAsset(path.join(__dirname, '../legacy')), handler: 'index.main', runtime: lambda.Runtime.NODEJS_20_X });
}
`,
  'infra/lambda/fn.ts': `export const run = async () => 1;\n`,
  'infra/legacy/index.js': `exports.main = async () => 1;\n`,
};

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('repo-roles', () => {
  it('reads CI steps, package scripts and SAM, serverless.yml and CDK descriptors', () => {
    const repo = makeRepo(TREE);
    cleanup = repo.cleanup;
    const roles = discoverRepoRoles(repo.dir);
    const rel = (f: string): string => f.slice(repo.dir.length + 1);
    expect(roles.scriptFiles.map(rel)).toEqual(['api/tools/seed.js', 'src/updateSchema.mjs']);
    expect(roles.handlerFiles.map((h) => `${rel(h.file)}#${h.handler}`)).toEqual([
      'infra/lambda/fn.ts#run',
      'infra/legacy/index.js#main',
      'orders/functions/src/orders.js#processOrder',
      'svc/handler.js#hello',
    ]);
    expect(roles.javaHandlers).toEqual(['app.StreamLambdaHandler::handleRequest']);
    expect(roles.problems).toEqual([]);
  });

  it('a descriptor that is not valid YAML is a diagnostic, and the rest is still read', () => {
    const repo = makeRepo({ ...TREE, 'bad/serverless.yml': 'functions: [\n' });
    cleanup = repo.cleanup;
    const roles = discoverRepoRoles(repo.dir);
    expect(roles.problems.map((p) => p.file)).toEqual(['bad/serverless.yml']);
    expect(roles.scriptFiles.length).toBe(2);
  });

  it('scanning from inside a subdirectory or from outside the repository reads the same repository', async () => {
    const outside = makeRepo({});
    const repo = join(outside.dir, 'repo');
    cleanup = outside.cleanup;
    for (const [name, content] of Object.entries(TREE)) {
      mkdirSync(dirname(join(repo, name)), { recursive: true });
      writeFileSync(join(repo, name), content as string);
    }
    mkdirSync(join(repo, '.git'));
    const fromOutside = discoverRepoRolesFor(outside.dir, ['repo']);
    const fromInside = discoverRepoRolesFor(join(repo, 'src'), ['.']);
    expect(fromInside.scriptFiles).toEqual(fromOutside.scriptFiles);
    expect(fromInside.handlerFiles).toEqual(fromOutside.handlerFiles);
    expect(fromOutside.scriptFiles).toContain(join(repo, 'src/updateSchema.mjs'));
    // And the scan agrees: the CI script is quiet from inside its folder too.
    const inside = await scan({ root: join(repo, 'src'), paths: ['.'], config: DEFAULT_CONFIG, concurrency: 'off' });
    expect(inside.report.findings).toEqual([]);
  });

  it('the scan honours them: CI scripts and shape-only library classes are quiet, descriptor handlers are function code', async () => {
    const repo = makeRepo(TREE);
    cleanup = repo.cleanup;
    const outcome = await scan({ root: repo.dir, paths: ['.'], config: DEFAULT_CONFIG, concurrency: 'off' });
    const found = outcome.report.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`);
    expect(found).toEqual(['orders/functions/src/orders.js:3 snapstart/no-init-entropy-cache', 'orders/functions/src/orders.js:3 snapstart/no-init-uuid']);
    // The same files without the repository's word: the CI script and the library class are reported, the handler is not.
    const bare = makeRepo(Object.fromEntries(Object.entries(TREE).filter(([k]) => !/ci\.yml|package\.json|template\.yaml/.test(k))));
    try {
      const plain = await scan({ root: bare.dir, paths: ['.'], config: DEFAULT_CONFIG, concurrency: 'off' });
      expect(plain.report.findings.map((f) => `${f.file} ${f.ruleId}`).sort()).toEqual([
        'api/tools/seed.js snapstart/no-init-entropy-cache',
        'api/tools/seed.js snapstart/no-init-uuid',
        'java/src/main/java/lib/JerseyLambdaContainerHandler.java java/no-init-uuid',
        'src/updateSchema.mjs snapstart/no-init-entropy-cache',
      ]);
    } finally {
      bare.cleanup();
    }
  });
});
