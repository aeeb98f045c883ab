// One case per entry of the shared source catalogue (@snapstart/core SOURCE_CATALOGUE): each is
// linted with the recommended config as a user has it, and must give the expected rules. A new
// catalogue entry without a case here fails the first test.
import { SOURCE_CATALOGUE, type SourceEntry } from '@snapstart/core';
import tsParser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';

const H = 'export const handler = async () => ({ v });';

/** `module path` → [code, expected rule ids (sorted)]. */
const CASES: Record<string, [string, string[]]> = {
  'crypto randomUUID': [`import { randomUUID } from 'node:crypto'; const v = randomUUID(); ${H}`, ['no-init-entropy-cache', 'no-init-uuid']],
  'crypto randomBytes': [`import { randomBytes } from 'crypto'; const v = randomBytes(8); ${H}`, ['no-init-random']],
  'crypto randomFillSync': [`import { randomFillSync } from 'crypto'; const v = randomFillSync(Buffer.alloc(8)); ${H}`, ['no-init-random']],
  'crypto randomFill': [`import { randomFill } from 'crypto'; let v; randomFill(Buffer.alloc(8), (e, b) => { v = b; }); ${H}`, ['no-init-random']],
  'crypto randomInt': [`import { randomInt } from 'crypto'; const v = randomInt(9); ${H}`, ['no-init-entropy-cache', 'no-init-random']],
  'crypto getRandomValues': [`import { getRandomValues } from 'crypto'; const v = getRandomValues(new Uint8Array(4)); ${H}`, ['no-init-random']],
  'crypto generatePrimeSync': [`import { generatePrimeSync } from 'crypto'; const v = generatePrimeSync(64); ${H}`, ['no-init-secret']],
  'crypto generateKeyPairSync': [`import { generateKeyPairSync } from 'crypto'; const v = generateKeyPairSync('ed25519'); ${H}`, ['no-init-secret']],
  'crypto generateKeyPair': [`import { generateKeyPair } from 'crypto'; let v; generateKeyPair('ed25519', {}, (e, pub, priv) => { v = priv; }); ${H}`, ['no-init-secret']],
  'crypto generateKeySync': [`import { generateKeySync } from 'crypto'; const v = generateKeySync('hmac', { length: 256 }); ${H}`, ['no-init-secret']],
  'crypto generateKey': [`import { generateKey } from 'crypto'; let v; generateKey('hmac', { length: 256 }, (e, k) => { v = k; }); ${H}`, ['no-init-secret']],
  'crypto createECDH.().generateKeys': [`import { createECDH } from 'crypto'; const v = createECDH('prime256v1').generateKeys(); ${H}`, ['no-init-secret']],
  'crypto createDiffieHellman': [`import { createDiffieHellman } from 'crypto'; const v = createDiffieHellman(512); ${H}`, ['no-init-secret']],
  'crypto createDiffieHellman.().generateKeys': [`import { createDiffieHellman } from 'crypto'; const dh = createDiffieHellman(Buffer.from('ff', 'hex')); const v = dh.generateKeys(); ${H}`, ['no-init-secret']],
  'crypto getDiffieHellman.().generateKeys': [`import { getDiffieHellman } from 'crypto'; const v = getDiffieHellman('modp14').generateKeys(); ${H}`, ['no-init-secret']],
  'crypto createDiffieHellmanGroup.().generateKeys': [`import { createDiffieHellmanGroup } from 'crypto'; const v = createDiffieHellmanGroup('modp14').generateKeys(); ${H}`, ['no-init-secret']],
  'fs mkdtempSync': [`import { mkdtempSync } from 'node:fs'; const v = mkdtempSync('/mnt/efs/job-'); ${H}`, ['no-init-random']],
  'fs mkdtemp': [`const fs = require('fs'); let v; fs.mkdtemp('/tmp/x-', (e, d) => { v = d; }); ${H}`, ['no-init-random']],
  'fs promises.mkdtemp': [`import { promises } from 'fs'; const v = await promises.mkdtemp('/tmp/x-'); ${H}`, ['no-init-random']],
  'fs/promises mkdtemp': [`import { mkdtemp } from 'node:fs/promises'; const v = await mkdtemp('/tmp/x-'); ${H}`, ['no-init-random']],
  'global crypto.randomUUID': [`const v = crypto.randomUUID(); ${H}`, ['no-init-entropy-cache', 'no-init-uuid']],
  'global crypto.getRandomValues': [`const v = globalThis.crypto.getRandomValues(new Uint8Array(4)); ${H}`, ['no-init-random']],
  'global crypto.subtle.generateKey': [`const v = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, true, ['sign']); ${H}`, ['no-init-secret']],
  'global Math.random': [`const v = Math.random(); ${H}`, ['no-init-random']],
  'global Date.now': [`const v = Date.now(); ${H}`, ['no-init-time']],
  'global Date': [`const v = new Date(); ${H}`, ['no-init-time']],
  'global performance.now': [`const v = performance.now(); ${H}`, ['no-init-time']],
  'global process.hrtime': [`const v = process.hrtime(); ${H}`, ['no-init-time']],
  'global process.hrtime.bigint': [`const v = process.hrtime.bigint(); ${H}`, ['no-init-time']],
  'global process.uptime': [`const v = process.uptime(); ${H}`, ['no-init-time']],
  'uuid v1': [`import { v1 } from 'uuid'; const v = v1(); ${H}`, ['no-init-entropy-cache', 'no-init-uuid']],
  'uuid v4': [`import { v4 as uuidv4 } from 'uuid'; const v = uuidv4(); ${H}`, ['no-init-entropy-cache', 'no-init-uuid']],
  'uuid v6': [`import * as uuid from 'uuid'; const v = uuid.v6(); ${H}`, ['no-init-entropy-cache', 'no-init-uuid']],
  'uuid v7': [`import { v7 } from 'uuid'; const v = v7(); ${H}`, ['no-init-entropy-cache', 'no-init-uuid']],
  'uuid/v1 ': [`const uuidv1 = require('uuid/v1'); const v = uuidv1(); ${H}`, ['no-init-entropy-cache', 'no-init-uuid']],
  'uuid/v4 ': [`const uuidv4 = require('uuid/v4'); const v = uuidv4(); ${H}`, ['no-init-entropy-cache', 'no-init-uuid']],
  'aws-sdk util.uuid.v4': [`const { util: { uuid: { v4 } } } = require('aws-sdk'); const v = [{ id: v4() }]; ${H}`, ['no-init-uuid']],
  '@aws-sdk/* **.().*': [`import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb'; const client = new DynamoDBClient({}); await client.send(new ListTablesCommand({})); export const handler = async () => 1;`, ['no-init-entropy-cache']],
  'nanoid nanoid': [`import { nanoid } from 'nanoid'; const v = nanoid(); ${H}`, ['no-init-entropy-cache', 'no-init-uuid']],
  'nanoid customAlphabet.()': [`import { customAlphabet } from 'nanoid'; const gen = customAlphabet('abc', 8); const v = gen(); ${H}`, ['no-init-entropy-cache', 'no-init-uuid']],
  'nanoid customRandom.()': [`import { customRandom } from 'nanoid'; const gen = customRandom('abc', 8, (n) => new Uint8Array(n)); const v = gen(); ${H}`, ['no-init-uuid']],
  'nanoid/non-secure nanoid': [`import { nanoid } from 'nanoid/non-secure'; const v = nanoid(); ${H}`, ['no-init-uuid']],
  'ulid ulid': [`import { ulid } from 'ulid'; const v = ulid(); ${H}`, ['no-init-uuid']],
  'ulid monotonicFactory.()': [`import { monotonicFactory } from 'ulid'; const next = monotonicFactory(); const v = next(); ${H}`, ['no-init-uuid']],
  'ulidx ulid': [`import { ulid } from 'ulidx'; const v = ulid(); ${H}`, ['no-init-uuid']],
  'ulidx monotonicFactory.()': [`import { monotonicFactory } from 'ulidx'; const v = monotonicFactory()(); ${H}`, ['no-init-uuid']],
  '@paralleldrive/cuid2 createId': [`import { createId } from '@paralleldrive/cuid2'; const v = createId(); ${H}`, ['no-init-uuid']],
  '@paralleldrive/cuid2 init.()': [`import { init } from '@paralleldrive/cuid2'; const make = init({ length: 10 }); const v = make(); ${H}`, ['no-init-uuid']],
  'cuid ': [`const cuid = require('cuid'); const v = cuid(); ${H}`, ['no-init-uuid']],
  'cuid slug': [`const cuid = require('cuid'); const v = cuid.slug(); ${H}`, ['no-init-uuid']],
  'ksuid randomSync': [`import KSUID from 'ksuid'; const v = KSUID.randomSync().string; ${H}`, ['no-init-uuid']],
  'ksuid random': [`import KSUID from 'ksuid'; const v = await KSUID.random(); ${H}`, ['no-init-uuid']],
  'hyperid ()': [`import hyperid from 'hyperid'; const gen = hyperid(); const v = gen(); ${H}`, ['no-init-uuid']],
  'short-uuid generate': [`import short from 'short-uuid'; const v = short.generate(); ${H}`, ['no-init-uuid']],
  'short-uuid ().new': [`import short from 'short-uuid'; const t = short(); const v = t.new(); ${H}`, ['no-init-uuid']],
  'short-uuid ().generate': [`import short from 'short-uuid'; const v = short().generate(); ${H}`, ['no-init-uuid']],
  'bson ObjectId': [`import { ObjectId } from 'bson'; const v = new ObjectId(); ${H}`, ['no-init-entropy-cache', 'no-init-uuid']],
  'bson ObjectId.generate': [`import { ObjectId } from 'bson'; const v = ObjectId.generate(); ${H}`, ['no-init-entropy-cache', 'no-init-uuid']],
  'mongodb ObjectId': [`const { ObjectId } = require('mongodb'); const v = new ObjectId(); ${H}`, ['no-init-entropy-cache', 'no-init-uuid']],
  'mongoose Types.ObjectId': [`import mongoose from 'mongoose'; const v = new mongoose.Types.ObjectId(); ${H}`, ['no-init-entropy-cache', 'no-init-uuid']],
  '@faker-js/faker faker.string.uuid': [`import { faker } from '@faker-js/faker'; const v = faker.string.uuid(); ${H}`, ['no-init-uuid']],
  'mqtt connect': [`import mqtt from 'mqtt'; const v = mqtt.connect('mqtts://broker.example.com'); ${H}`, ['no-init-uuid']],
  'mqtt connectAsync': [`import mqtt from 'mqtt'; const v = await mqtt.connectAsync('mqtts://broker'); ${H}`, ['no-init-uuid']],
  'mqtt default.connectAsync': [`import * as mqtt from 'mqtt'; const v = await mqtt.default.connectAsync('mqtts://broker', { keepalive: 30 }); ${H}`, ['no-init-uuid']],
  'mqtt default.connect': [`import * as mqtt from 'mqtt'; const v = mqtt.default.connect('mqtts://broker', { keepalive: 30 }); ${H}`, ['no-init-uuid']],
  'seedrandom ': [`import seedrandom from 'seedrandom'; const v = seedrandom(); ${H}`, ['no-init-random']],
  'seedrandom alea': [`import seedrandom from 'seedrandom'; const v = seedrandom.alea('s', { entropy: true }); ${H}`, ['no-init-random']],
  'seedrandom xor128': [`const { xor128 } = require('seedrandom'); const v = xor128(); ${H}`, ['no-init-random']],
  'seedrandom xorwow': [`const { xorwow } = require('seedrandom'); const v = xorwow(); ${H}`, ['no-init-random']],
  'seedrandom xorshift7': [`const { xorshift7 } = require('seedrandom'); const v = xorshift7(); ${H}`, ['no-init-random']],
  'seedrandom xor4096': [`const { xor4096 } = require('seedrandom'); const v = xor4096(); ${H}`, ['no-init-random']],
  'seedrandom tychei': [`const { tychei } = require('seedrandom'); const v = tychei(); ${H}`, ['no-init-random']],
  'seed-random ': [`const seed = require('seed-random'); const v = seed(); ${H}`, ['no-init-random']],
  'random-seed create': [`const gen = require('random-seed'); const v = gen.create(); ${H}`, ['no-init-random']],
  'mersenne-twister ': [`const MT = require('mersenne-twister'); const v = new MT(); ${H}`, ['no-init-random']],
  'chance ().*': [`import Chance from 'chance'; const chance = new Chance(); const v = chance.guid(); ${H}`, ['no-init-random']],
  'chance Chance.().*': [`const { Chance } = require('chance'); const v = new Chance().integer(); ${H}`, ['no-init-random']],
  'random-js MersenneTwister19937.autoSeed': [`import { MersenneTwister19937 } from 'random-js'; const v = MersenneTwister19937.autoSeed(); ${H}`, ['no-init-random']],
  'moment ': [`import moment from 'moment'; const v = moment(); ${H}`, ['no-init-time']],
  'moment utc': [`import moment from 'moment'; const v = moment.utc(); ${H}`, ['no-init-time']],
  'dayjs ': [`import dayjs from 'dayjs'; const v = dayjs(); ${H}`, ['no-init-time']],
  'luxon DateTime.now': [`import { DateTime } from 'luxon'; const v = DateTime.now(); ${H}`, ['no-init-time']],
  'luxon DateTime.local': [`import { DateTime } from 'luxon'; const v = DateTime.local(); ${H}`, ['no-init-time']],
  'luxon DateTime.utc': [`import { DateTime } from 'luxon'; const v = DateTime.utc(); ${H}`, ['no-init-time']],
  '@aws-lambda-powertools/parameters/ssm getParameter': [`import { getParameter } from '@aws-lambda-powertools/parameters/ssm'; const v = await getParameter('/p'); export const handler = async () => 1;`, ['no-init-entropy-cache']],
  '@aws-lambda-powertools/parameters/ssm getParameters': [`import { getParameters } from '@aws-lambda-powertools/parameters/ssm'; const v = await getParameters('/p'); export const handler = async () => 1;`, ['no-init-entropy-cache']],
  '@aws-lambda-powertools/parameters/ssm getParametersByName': [`import { getParametersByName } from '@aws-lambda-powertools/parameters/ssm'; const v = await getParametersByName({ '/a': {} }); export const handler = async () => 1;`, ['no-init-entropy-cache']],
  '@aws-lambda-powertools/parameters/ssm SSMProvider.().get': [`import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm'; const p = new SSMProvider(); const v = await p.get('/p'); export const handler = async () => 1;`, ['no-init-entropy-cache']],
  '@aws-lambda-powertools/parameters/ssm SSMProvider.().getMultiple': [`import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm'; const v = await new SSMProvider().getMultiple('/p'); export const handler = async () => 1;`, ['no-init-entropy-cache']],
  '@aws-lambda-powertools/parameters/ssm SSMProvider.().getParametersByName': [`import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm'; const p = new SSMProvider(); const v = await p.getParametersByName({ '/a': {} }); export const handler = async () => 1;`, ['no-init-entropy-cache']],
  '@aws-lambda-powertools/parameters/secrets getSecret': [`import { getSecret } from '@aws-lambda-powertools/parameters/secrets'; const v = await getSecret('s'); export const handler = async () => 1;`, ['no-init-entropy-cache']],
  '@aws-lambda-powertools/parameters/secrets SecretsProvider.().get': [`import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets'; const p = new SecretsProvider(); const v = await p.get('s'); export const handler = async () => 1;`, ['no-init-entropy-cache']],
  '@aws-lambda-powertools/parameters/appconfig getAppConfig': [`import { getAppConfig } from '@aws-lambda-powertools/parameters/appconfig'; const v = await getAppConfig('c', { application: 'a', environment: 'e' }); export const handler = async () => 1;`, ['no-init-entropy-cache']],
  '@aws-lambda-powertools/parameters/appconfig AppConfigProvider.().get': [`import { AppConfigProvider } from '@aws-lambda-powertools/parameters/appconfig'; const p = new AppConfigProvider({ application: 'a', environment: 'e' }); const v = await p.get('c'); export const handler = async () => 1;`, ['no-init-entropy-cache']],
  '@aws-lambda-powertools/parameters/dynamodb DynamoDBProvider.().get': [`import { DynamoDBProvider } from '@aws-lambda-powertools/parameters/dynamodb'; const p = new DynamoDBProvider({ tableName: 't' }); const v = await p.get('k'); export const handler = async () => 1;`, ['no-init-entropy-cache']],
  '@aws-lambda-powertools/parameters/dynamodb DynamoDBProvider.().getMultiple': [`import { DynamoDBProvider } from '@aws-lambda-powertools/parameters/dynamodb'; const p = new DynamoDBProvider({ tableName: 't' }); const v = await p.getMultiple('k'); export const handler = async () => 1;`, ['no-init-entropy-cache']],
  '@aws-lambda-powertools/logger Logger': [`import { Logger } from '@aws-lambda-powertools/logger'; const logger = new Logger({ sampleRateValue: 0.5 }); export const handler = async () => logger.info('x');`, ['no-init-entropy-cache']],
  '@middy/ssm ': [`import middy from '@middy/core'; import ssm from '@middy/ssm'; export const handler = middy(async () => 1).use(ssm({ fetchData: { t: '/p' } }));`, ['no-init-entropy-cache']],
  '@middy/secrets-manager ': [`import middy from '@middy/core'; import secretsManager from '@middy/secrets-manager'; export const handler = middy(async () => 1).use(secretsManager({ fetchData: { s: 's' } }));`, ['no-init-entropy-cache']],
  '@middy/sts ': [`import middy from '@middy/core'; import sts from '@middy/sts'; export const handler = middy(async () => 1).use(sts({ fetchData: { r: { RoleArn: 'arn' } } }));`, ['no-init-entropy-cache']],
};

const key = (e: SourceEntry): string => `${e.module} ${e.path}`;
const linter = new Linter({ configType: 'flat' });
const config = [{ files: ['**/*.ts'], languageOptions: { parser: tsParser, sourceType: 'module' as const } }, plugin.configs.recommended];

function rulesFor(code: string): string[] {
  const messages = linter.verify(code, config as Linter.Config[], { filename: 'handler.ts' });
  const fatal = messages.find((m) => m.fatal);
  if (fatal) throw new Error(`${fatal.message} in ${code}`);
  return [...new Set(messages.map((m) => m.ruleId!.replace('snapstart/', '')))].sort();
}

describe('source catalogue', () => {
  it('every entry has a case here, and every case an entry', () => {
    expect(Object.keys(CASES).sort()).toEqual(SOURCE_CATALOGUE.map(key).sort());
  });

  it('every entry names the release it was checked against and why it is a source', () => {
    for (const e of SOURCE_CATALOGUE) {
      expect(e.checked, key(e)).toMatch(/\d/);
      expect(e.why.length, key(e)).toBeGreaterThan(5);
      expect(e.category !== undefined || e.state !== undefined, key(e)).toBe(true);
    }
  });

  it.each(SOURCE_CATALOGUE.map((e) => [key(e)]))('%s', (k) => {
    const [code, expected] = CASES[k]!;
    expect(rulesFor(code)).toEqual(expected);
  });
});
