// Detection-accuracy families (issue #12): library state made at init, init code reached through
// loops and indexed stores, and the false positives real code showed. ESM and CommonJS each.
import entropyCache from '../../src/rules/no-init-entropy-cache.js';
import random from '../../src/rules/no-init-random.js';
import time from '../../src/rules/no-init-time.js';
import uuid from '../../src/rules/no-init-uuid.js';
import { commonjsOptions, ruleTester } from '../rule-tester.js';

/** The per-snapshot-kind remedy the message ends with for an ID (measured: examples/node-linux-crypto). */
const UUID_AFTER_VM = " After a whole-VM restore (Lambda SnapStart) Node's crypto repeats in the handler and in hooks too: make the ID from /dev/urandom bytes.";

ruleTester.run('library state: AWS SDK v3 requests during init fill the UUID cache', entropyCache, {
  valid: [
    // Requests made in the handler only.
    `import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb'; const client = new DynamoDBClient({}); export const handler = async () => client.send(new GetItemCommand({ TableName: 't', Key: {} }));`,
    // A client created at init sends nothing.
    `import { S3Client } from '@aws-sdk/client-s3'; export const s3 = new S3Client({});`,
    // Some other library's send().
    `import { Socket } from 'net'; const s = new Socket(); s.send('x'); export const handler = () => 1;`,
    // SDK calls that make no request: pure functions, credential providers, middleware set-up.
    `import { marshall } from '@aws-sdk/util-dynamodb'; import { fromIni } from '@aws-sdk/credential-providers'; const item = marshall({ id: 'x' }); const creds = fromIni()(); export const handler = async () => item;`,
    `import { S3Client } from '@aws-sdk/client-s3'; const s3 = new S3Client({}); s3.middlewareStack.add((next) => next, { step: 'build' }); export const handler = async () => s3;`,
  ],
  invalid: [
    {
      code: `import { DynamoDBClient, DescribeTableCommand } from '@aws-sdk/client-dynamodb'; const client = new DynamoDBClient({}); await client.send(new DescribeTableCommand({ TableName: 't' })); export const handler = async () => 1;`,
      errors: [{ messageId: 'otherCache' }],
    },
    {
      // Document client, in an init function called at module scope.
      code: `import { DynamoDBClient } from '@aws-sdk/client-dynamodb'; import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
async function prime() { await doc.send(new GetCommand({ TableName: 't', Key: { id: 'warm' } })); }
await prime();
export const handler = async () => 1;`,
      errors: [{ messageId: 'otherCache' }],
    },
    {
      // Aggregated clients and the full document client call requests by method name.
      code: `import { DynamoDB } from '@aws-sdk/client-dynamodb'; import { DynamoDBDocument } from '@aws-sdk/lib-dynamodb';
const ddb = new DynamoDB({});
await ddb.describeTable({ TableName: 't' });
const doc = DynamoDBDocument.from(ddb);
const warm = await doc.get({ TableName: 't', Key: { id: 'warm' } });
export const handler = async () => warm;`,
      errors: [
        { messageId: 'otherCache', data: { source: 'ddb.describeTable()', initPath: 'at module scope', what: "Node's 128-UUID entropy cache, through the amz-sdk-invocation-id the AWS SDK v3 gives every request (global crypto.randomUUID())", advice: 'Send no SDK request during init, or drain the cache after restore (128 calls of crypto.randomUUID() in an after-restore hook)' } },
        { messageId: 'otherCache' },
      ],
    },
    {
      code: `const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');
const sm = new SecretsManagerClient({});
const secret = sm.send(new GetSecretValueCommand({ SecretId: 'x' }));
module.exports.handler = async () => (await secret).SecretString;`,
      languageOptions: commonjsOptions,
      errors: [{ messageId: 'otherCache' }],
    },
  ],
});

ruleTester.run('library state and identities: IDs through SDK utilities, MQTT, temp dirs, generators', uuid, {
  valid: [
    `import mqtt from 'mqtt'; const client = mqtt.connect('mqtts://broker', { clientId: process.env.CLIENT_ID }); export const handler = async () => client.publish('t', 'x');`,
    // Options built elsewhere: given the benefit of the doubt.
    `import mqtt from 'mqtt'; import { options } from './mqtt-options'; const client = mqtt.connect('mqtts://broker', options); export const handler = async () => client.publish('t', 'x');`,
    // uuid v3/v5 are name-based: deterministic.
    `import { v5 } from 'uuid'; const NS = '6ba7b810-9dad-11d1-80b4-00c04fd430c8'; const id = v5('tenant', NS); export const handler = () => id;`,
    `const uuid = require('uuid'); const id = uuid.v3('x', uuid.v3.DNS); module.exports.handler = () => id;`,
    // Factories that draw nothing: the generator is made at init, values in the handler.
    `import { monotonicFactory } from 'ulid'; const next = monotonicFactory(); export const handler = () => next();`,
    `import { customAlphabet } from 'nanoid'; const gen = customAlphabet('0123456789', 6); export const handler = () => gen();`,
    `import Chance from 'chance'; const chance = new Chance(); export const handler = () => 1;`,
    // A seeded Chance is deterministic.
    `import Chance from 'chance'; const chance = new Chance(42); export const handler = () => chance.guid();`,
    // A generator re-created after restore.
    `import hyperid from 'hyperid'; import { registerAfterRestore } from '@snapstart/runtime-hooks'; let gen = hyperid(); registerAfterRestore(() => { gen = hyperid(); }); export const handler = () => gen();`,
    // ObjectId parsed from a string.
    `import { ObjectId } from 'mongodb'; const root = new ObjectId('64b7f0c2a1b2c3d4e5f60718'); export const handler = () => root;`,
  ],
  invalid: [
    {
      code: `const { util: { uuid: { v4: makeId } } } = require('aws-sdk');
const records = [{ id: makeId(), name: 'a' }, { id: makeId(), name: 'b' }];
module.exports.handler = async () => records;`,
      languageOptions: commonjsOptions,
      errors: [{ messageId: 'uniqueValue' }, { messageId: 'uniqueValue' }],
    },
    {
      code: `import AWS from 'aws-sdk'; export const instance = AWS.util.uuid.v4();`,
      errors: [{ messageId: 'uniqueValue' }],
    },
    {
      code: `import mqtt from 'mqtt'; const client = mqtt.connect('mqtts://broker', { keepalive: 30 }); export const handler = async () => client.publish('t', 'x');`,
      errors: [{ messageId: 'uniqueValue', data: { source: 'mqtt.connect() without clientId', what: 'creates an ID', afterVmRestore: UUID_AFTER_VM, initPath: 'at module scope', escape: 'module-scope `client` is read by the handler `handler` (line 1), which runs after restore' } }],
    },
    {
      code: `const mqtt = require('mqtt'); const client = mqtt.connect({ host: 'broker' }); module.exports.handler = async () => client.publish('t', 'x');`,
      languageOptions: commonjsOptions,
      errors: [{ messageId: 'uniqueValue' }],
    },
    {
      code: `const hyperid = require('hyperid'); const gen = hyperid({ urlSafe: true }); module.exports.handler = () => gen();`,
      languageOptions: commonjsOptions,
      errors: [{ messageId: 'generatorDraw' }],
    },
  ],
});

ruleTester.run('seeded generators are deterministic', random, {
  valid: [
    `import seedrandom from 'seedrandom'; const rng = seedrandom('fixed'); export const handler = () => rng();`,
    `import seedrandom from 'seedrandom'; import { config } from './config'; const rng = seedrandom(config.seed); export const handler = () => rng();`,
    `const MT = require('mersenne-twister'); const gen = new MT(42); module.exports.handler = () => gen.random();`,
    `const { create } = require('random-seed'); const gen = create('seed'); module.exports.handler = () => gen(10);`,
  ],
  invalid: [
    { code: `import seedrandom from 'seedrandom'; const rng = seedrandom(); export const handler = () => rng();`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `import seedrandom from 'seedrandom'; const rng = seedrandom(undefined); export const handler = () => rng();`, errors: [{ messageId: 'uniqueValue' }] },
    {
      // Draws after init from a generator with random state made during init.
      code: `import Chance from 'chance'; const chance = new Chance(); export const handler = () => chance.guid();`,
      errors: [{ messageId: 'generatorDraw', data: { generator: 'new Chance()', source: 'chance.guid()', initPath: 'at module scope', line: 1 } }],
    },
    {
      code: `const MT = require('mersenne-twister'); const gen = new MT(); module.exports.handler = () => gen.random();`,
      languageOptions: commonjsOptions,
      errors: [{ messageId: 'uniqueValue' }],
    },
  ],
});

ruleTester.run('generated secrets flowing into session and token middleware', random, {
  valid: [
    `const session = require('express-session'); const app = require('express')(); app.use(session({ secret: process.env.SESSION_SECRET })); module.exports.app = app;`,
  ],
  invalid: [
    {
      code: `const crypto = require('crypto'); const session = require('express-session'); const express = require('express'); const serverless = require('serverless-http');
const app = express();
app.use(session({ secret: crypto.randomBytes(32).toString('hex'), resave: false }));
module.exports.handler = serverless(app);`,
      languageOptions: commonjsOptions,
      errors: [{ messageId: 'uniqueValue' }],
    },
    {
      code: `import cookieSession from 'cookie-session'; import express from 'express'; import { randomBytes } from 'crypto';
const app = express();
app.use(cookieSession({ name: 's', keys: [randomBytes(16).toString('base64')] }));
export const handler = (req, res) => app(req, res);`,
      errors: [{ messageId: 'uniqueValue' }],
    },
    {
      code: `import jwt from 'jsonwebtoken'; import { randomBytes } from 'crypto'; const signingKey = randomBytes(64); export const handler = async (e) => jwt.sign({ sub: e.user }, signingKey);`,
      errors: [{ messageId: 'uniqueValue' }],
    },
  ],
});

ruleTester.run('loops and indexed stores at init', random, {
  valid: [
    // Shuffled per invocation.
    `function shuffle(a) { for (let i = a.length - 1; i > 0; i--) { const j = Math.floor(Math.random() * (i + 1)); [a[i], a[j]] = [a[j], a[i]]; } return a; } export const handler = () => shuffle([1, 2, 3]);`,
  ],
  invalid: [
    {
      code: `function shuffle(a) { for (let i = a.length - 1; i > 0; i--) { const j = Math.floor(Math.random() * (i + 1)); [a[i], a[j]] = [a[j], a[i]]; } return a; }
const order = shuffle(['a', 'b', 'c']);
export const handler = () => order[0];`,
      errors: [{ messageId: 'uniqueValue' }],
    },
    {
      code: `const weights = []; for (let i = 0; i < 4; i++) weights[i] = Math.random(); export const handler = () => weights;`,
      errors: [{ messageId: 'uniqueValue' }],
    },
    {
      code: `function makeTable() { const t = {}; for (const k of ['a', 'b']) t[k] = Math.random(); return t; }
const table = makeTable();
module.exports.handler = () => table.a;`,
      languageOptions: commonjsOptions,
      errors: [{ messageId: 'uniqueValue' }],
    },
    {
      code: `const jitter = new Array(3); let i = 0; while (i < 3) { jitter[i++] = Math.random() * 100; } export const handler = () => jitter[0];`,
      errors: [{ messageId: 'uniqueValue' }],
    },
  ],
});

ruleTester.run('getters read during init', uuid, {
  valid: [
    // A getter only read in the handler makes a fresh value per invocation.
    `import { randomUUID } from 'crypto'; const ids = { get next() { return randomUUID(); } }; export const handler = () => ids.next;`,
    // A setter of the same name is not a getter read.
    `import { randomUUID } from 'crypto'; const o = { get id() { return randomUUID(); }, set id(v) {} }; o.id = 'x'; export const handler = () => o;`,
  ],
  invalid: [
    {
      code: `import { randomUUID } from 'crypto'; const ids = { get next() { return randomUUID({ disableEntropyCache: true }); } }; const sandbox = ids.next; export const handler = () => sandbox;`,
      errors: [{ messageId: 'uniqueValue', data: { source: 'crypto.randomUUID()', what: 'creates an ID', afterVmRestore: UUID_AFTER_VM, initPath: 'getter `next` is read from module scope (line 1)', escape: 'module-scope `sandbox` is read by the handler `handler` (line 1), which runs after restore' } }],
    },
    {
      // A lazy cache behind a class accessor, warmed during init and read again by the handler.
      code: `const { randomUUID } = require('crypto');
class Session {
  #id;
  get id() { return (this.#id ??= randomUUID({ disableEntropyCache: true })); }
}
const session = new Session();
console.log('warm', session.id);
module.exports.handler = async () => session.id;`,
      languageOptions: commonjsOptions,
      errors: [{ messageId: 'uniqueValue' }],
    },
    {
      code: `import { v4 } from 'uuid'; class Config { static get instanceId() { return v4(); } } export const INSTANCE = Config.instanceId;`,
      errors: [{ messageId: 'uniqueValue' }],
    },
  ],
});

ruleTester.run('age and TTL checks, killed definitions', time, {
  valid: [
    // The init timestamp is only compared with a later clock reading: a refresh becoming due after restore is correct.
    `let loadedAt = Date.now(); let cache = {}; const TTL = 60000;
export const handler = async () => { if (Date.now() - loadedAt > TTL) { cache = {}; loadedAt = Date.now(); } return cache; };`,
    `const fetchedAt = Date.now(); export const handler = () => (Date.now() - fetchedAt >= 300_000 ? 'stale' : 'fresh');`,
    `const started = Date.now(); export const handler = () => { const age = Date.now() - started; return age > 1000; };`,
    `const expires = Date.now() + 3600_000; module.exports.handler = () => Date.now() > expires;`,
    // Overwritten in the handler before any read.
    `let requestStart = Date.now(); export const handler = async (event) => { requestStart = Date.now(); return { ms: Date.now() - requestStart, event }; };`,
    `let id = new Date().toISOString(); module.exports.handler = async () => { id = new Date().toISOString(); console.log(id); return id; };`,
  ],
  invalid: [
    // Compared, but also returned.
    {
      code: `const loadedAt = Date.now(); export const handler = () => ({ stale: Date.now() - loadedAt > 1000, loadedAt });`,
      errors: [{ messageId: 'uniqueValue' }],
    },
    // Overwritten on one path only.
    {
      code: `let stamp = Date.now(); export const handler = async (event) => { if (event.reset) stamp = Date.now(); return stamp; };`,
      errors: [{ messageId: 'uniqueValue' }],
    },
    // Read before it is overwritten.
    {
      code: `let last = Date.now(); export const handler = async () => { const prev = last; last = Date.now(); return prev; };`,
      errors: [{ messageId: 'uniqueValue' }],
    },
  ],
});

ruleTester.run('files that are not function code', entropyCache, {
  valid: [
    // A script with a shebang.
    `#!/usr/bin/env node\nimport { randomUUID } from 'node:crypto'; console.log(randomUUID());`,
    // A CLI entry.
    `const { randomUUID } = require('crypto'); if (require.main === module) { console.log(randomUUID()); }`,
    // CDK, Pulumi and SST apps, no handler.
    `import * as cdk from 'aws-cdk-lib'; import { randomUUID } from 'crypto'; const app = new cdk.App(); new cdk.Stack(app, 'S' + randomUUID());`,
    `import * as aws from '@pulumi/aws'; const suffix = crypto.randomUUID(); export const bucket = new aws.s3.Bucket('b-' + suffix);`,
    `import { StackContext } from 'sst/constructs'; export function Stack({ stack }: StackContext) { stack.addOutputs({ id: crypto.randomUUID() }); } const x = crypto.randomUUID();`,
    // Test files, whatever the config.
    { code: `import { randomUUID } from 'crypto'; const id = randomUUID(); test('x', () => id);`, filename: 'src/handler.test.ts' },
    { code: `import { randomUUID } from 'crypto'; const id = randomUUID(); it('x', () => id);`, filename: 'src/__tests__/handler.ts' },
  ],
  invalid: [
    // Test files when asked for (the CLI's --include-tests).
    {
      code: `import { randomUUID } from 'crypto'; const id = randomUUID(); test('x', () => id);`,
      filename: 'src/handler.test.ts',
      options: [{ tests: true }],
      errors: [{ messageId: 'nodeCrypto' }],
      output: `import { randomUUID } from 'crypto'; const id = randomUUID({ disableEntropyCache: true }); test('x', () => id);`,
    },
    // A handler module that can also run from a shell, whatever its handler is called: function code.
    {
      code: `const { randomUUID } = require('crypto'); const id = randomUUID(); exports.processOrder = async () => id; if (require.main === module) exports.processOrder().then(console.log);`,
      languageOptions: commonjsOptions,
      errors: [{ messageId: 'nodeCrypto' }],
      output: `const { randomUUID } = require('crypto'); const id = randomUUID({ disableEntropyCache: true }); exports.processOrder = async () => id; if (require.main === module) exports.processOrder().then(console.log);`,
    },
    // Infrastructure imports next to an exported handler: function code.
    {
      code: `import { Construct } from 'constructs'; import { randomUUID } from 'crypto'; const id = randomUUID(); export const handler = async () => id;`,
      errors: [{ messageId: 'nodeCrypto' }],
      output: `import { Construct } from 'constructs'; import { randomUUID } from 'crypto'; const id = randomUUID({ disableEntropyCache: true }); export const handler = async () => id;`,
    },
  ],
});
