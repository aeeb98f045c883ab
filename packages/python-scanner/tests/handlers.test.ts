import { describe, expect, it } from 'vitest';
import { descriptorHandlers, handlersByShape, parseHandlerString } from '../src/analysis/handlers.js';
import { scanSources, summary } from './helpers.js';

const SOURCE = 'import uuid\nID = uuid.uuid4()\n';

describe('python handler discovery', () => {
  it('reads SAM/CloudFormation and serverless.yml handler settings', () => {
    expect(descriptorHandlers('template.yaml', 'Properties:\n  Handler: app.lambda_handler\n  Runtime: python3.12\n')).toEqual([{ module: 'app', function: 'lambda_handler', from: 'template.yaml' }]);
    expect(descriptorHandlers('serverless.yml', 'functions:\n  a:\n    handler: src/handlers/orders.create\n')).toEqual([{ module: 'src.handlers.orders', function: 'create', from: 'serverless.yml' }]);
    expect(descriptorHandlers('t.json', '{ "Handler": "index.handler", "Runtime": "nodejs20.x" }')).toEqual([{ module: 'index', function: 'handler', from: 't.json' }]);
    expect(parseHandlerString('com.acme.Handler::handleRequest')).toBeUndefined();
  });

  it('recognises handlers by name and by (event, context), async ones too', async () => {
    for (const def of ['def lambda_handler(event, context):', 'async def handler(event, context):', 'def process(evt, ctx):', 'def main_handler(event, _context):']) {
      const r = await scanSources({ 'app.py': `${SOURCE}${def}\n    return ID\n` });
      expect(summary(r), def).toEqual(['app.py:2 python/no-init-uuid']);
    }
  });

  it('finds route handlers of Powertools resolvers, Chalice and FastAPI (Mangum)', async () => {
    const cases = {
      powertools: 'from aws_lambda_powertools.event_handler import APIGatewayHttpResolver\napp = APIGatewayHttpResolver()\n@app.post("/x")\ndef x():\n    return ID\ndef lambda_handler(event, context):\n    return app.resolve(event, context)\n',
      chalice: 'from chalice import Chalice\napp = Chalice(app_name="a")\n@app.lambda_function()\ndef x(event, context):\n    return ID\n',
      fastapi: 'from fastapi import FastAPI\nfrom mangum import Mangum\napp = FastAPI()\n@app.get("/")\ndef root():\n    return ID\nhandler = Mangum(app)\n',
    };
    for (const [name, code] of Object.entries(cases)) {
      expect(summary(await scanSources({ 'app.py': SOURCE + code })), name).toEqual(['app.py:2 python/no-init-uuid']);
    }
  });

  it('a descriptor at the repository root names a handler in a code directory (SAM CodeUri)', async () => {
    const r = await scanSources({
      'template.yaml': 'Resources:\n  Orders:\n    Properties:\n      CodeUri: functions/orders/\n      Handler: main.run\n',
      'functions/orders/main.py': `${SOURCE}def run(payload):\n    return ID\n`,
    });
    expect(summary(r)).toEqual(['functions/orders/main.py:2 python/no-init-uuid']);
  });

  it('uses handlers given in the options', async () => {
    const code = `${SOURCE}def run(payload):\n    return ID\n`;
    expect(summary(await scanSources({ 'svc/worker.py': code }))).toEqual([]);
    expect(summary(await scanSources({ 'svc/worker.py': code }, { handlers: ['svc/worker.run'] }))).toEqual(['svc/worker.py:2 python/no-init-uuid']);
  });

  it('does not treat tests, scripts or CDK apps as function code', async () => {
    const parse = async (path: string, text: string): Promise<string[]> => {
      const { parsePythonSource } = await import('../src/parse.js');
      const { moduleNameOf, suppressedLines } = await import('../src/model/module.js');
      const o = await parsePythonSource(path, text);
      if (!('root' in o)) throw new Error('parse');
      try {
        return handlersByShape({ path, ...moduleNameOf(path), tree: o.tree, root: o.root, suppressed: suppressedLines(text) });
      } finally {
        o.tree.delete();
      }
    };
    const fn = 'def handler(event, context):\n    return 1\n';
    expect(await parse('app.py', fn)).toEqual(['handler']);
    expect(await parse('tests/test_app.py', fn)).toEqual([]);
    expect(await parse('app_test.py', fn)).toEqual([]);
    expect(await parse('setup.py', fn)).toEqual([]);
    expect(await parse('infra/app.py', `import aws_cdk as cdk\n${fn}`)).toEqual([]);
  });
});
