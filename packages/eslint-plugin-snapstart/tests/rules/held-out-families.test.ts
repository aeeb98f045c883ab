// Issue #20: the four families the held-out TS cases still showed, each with cases that failed
// before: a warm-up call at init that returns early, a module variable overwritten in the handler
// before a helper reads it, generator state reported where it is created, MQTT without clientId.
import entropyCache from '../../src/rules/no-init-entropy-cache.js';
import random from '../../src/rules/no-init-random.js';
import time from '../../src/rules/no-init-time.js';
import uuid from '../../src/rules/no-init-uuid.js';
import { commonjsOptions, ruleTester } from '../rule-tester.js';

ruleTester.run('a warm-up call at init returns before the flagged code', uuid, {
  valid: [
    // The init call passes the warm-up event; the handler's own calls pass real events.
    `import { randomUUID } from 'node:crypto';
let lastRequest;
async function processEvent(event) {
  if (event.warmup) return { warmed: true };
  lastRequest = randomUUID();
  return { id: lastRequest };
}
await processEvent({ warmup: true });
export const handler = async (event) => processEvent(event);`,
    // Destructured flag, a block ending in return, and a comparison with a literal.
    `import { randomUUID } from 'node:crypto';
const seen = [];
function run({ source }) {
  if (source === 'serverless-plugin-warmup') {
    console.log('warm');
    return;
  }
  seen.push(randomUUID());
}
run({ source: 'serverless-plugin-warmup' });
export const handler = async (event) => run(event);`,
  ],
  invalid: [
    // The guard does not hold for the init call: the code after it runs at init.
    {
      code: `import { randomUUID } from 'node:crypto';
let lastRequest;
async function processEvent(event) {
  if (event.warmup) return { warmed: true };
  lastRequest = randomUUID();
  return { id: lastRequest };
}
await processEvent({ warmup: false });
export const handler = async (event) => processEvent(event);`,
      errors: [{ messageId: 'uniqueValue' }],
    },
    // The parameter is replaced before the guard: the literal no longer decides it.
    {
      code: `import { randomUUID } from 'node:crypto';
let lastRequest;
function processEvent(event) {
  event = { ...event, warmup: false };
  if (event.warmup) return;
  lastRequest = randomUUID();
}
processEvent({ warmup: true });
export const handler = async () => lastRequest;`,
      errors: [{ messageId: 'uniqueValue' }],
    },
    // Two init calls, one of them not a warm-up.
    {
      code: `import { randomUUID } from 'node:crypto';
let lastRequest;
function processEvent(event) {
  if (event.warmup) return;
  lastRequest = randomUUID();
}
processEvent({ warmup: true });
processEvent({ id: 1 });
export const handler = async () => lastRequest;`,
      errors: [{ messageId: 'uniqueValue' }],
    },
  ],
});

ruleTester.run('a warm-up call at init fills no cache after its early return', entropyCache, {
  valid: [
    `import { randomUUID } from 'node:crypto';
function handle(event) {
  if (!event.body) return null;
  return { id: randomUUID(), body: event.body };
}
handle({});
export const handler = async (event) => handle(event);`,
  ],
  invalid: [],
});

ruleTester.run('a module variable overwritten by the handler before a helper reads it', time, {
  valid: [
    `let requestStart = Date.now();
function log(message) { console.log(message, Date.now() - requestStart); }
function step(name) { log(name); }
export const handler = async (event) => {
  requestStart = Date.now();
  log('start');
  step('work');
  return event;
};`,
  ],
  invalid: [
    // The helper is also called before the overwrite.
    {
      code: `let requestStart = Date.now();
function log(message) { console.log(message, requestStart); }
export const handler = async (event) => {
  log('before');
  requestStart = Date.now();
  log('start');
  return event;
};`,
      errors: [{ messageId: 'uniqueValue' }],
    },
    // The helper is exported: others may call it without the overwrite.
    {
      code: `let requestStart = Date.now();
export function log(message) { console.log(message, requestStart); }
export const handler = async (event) => {
  requestStart = Date.now();
  log('start');
  return event;
};`,
      errors: [{ messageId: 'uniqueValue' }],
    },
  ],
});

ruleTester.run('generator state is reported where init creates it', random, {
  valid: [],
  invalid: [
    {
      code: `import Chance from 'chance';
const chance = new Chance();
export const handler = () => ({ a: chance.guid(), b: chance.integer() });`,
      // One report, at the line that creates the generator (line 2), naming the first draw.
      errors: [{ messageId: 'generatorDraw', line: 2, column: 16, data: { generator: 'new Chance()', source: 'chance.guid()', initPath: 'at module scope', line: 3 } }],
    },
  ],
});

ruleTester.run('an MQTT client created without a client id', uuid, {
  valid: [
    `import mqtt from 'mqtt'; const options = { host: 'broker', clientId: 'orders-' + process.env.AWS_LAMBDA_LOG_STREAM_NAME }; const client = mqtt.connect(options); export const handler = async () => client.publish('t', 'x');`,
    `import mqtt from 'mqtt'; const client = await mqtt.connectAsync('mqtts://broker', { clientId: 'fixed' }); export const handler = async () => client.publish('t', 'x');`,
  ],
  invalid: [
    // Options kept in a const of the same file, without clientId.
    {
      code: `import mqtt from 'mqtt'; const options = { host: 'broker', keepalive: 30 }; const client = mqtt.connect(options); export const handler = async () => client.publish('t', 'x');`,
      errors: [{ messageId: 'uniqueValue' }],
    },
    // mqtt 5's promise API.
    {
      code: `import mqtt from 'mqtt'; const client = await mqtt.connectAsync('mqtts://broker'); export const handler = async () => client.publish('t', 'x');`,
      errors: [{ messageId: 'uniqueValue' }],
    },
    {
      code: `const { connectAsync } = require('mqtt'); let client; connectAsync('mqtts://broker').then((c) => { client = c; }); module.exports.handler = async () => client.publish('t', 'x');`,
      languageOptions: commonjsOptions,
      errors: [{ messageId: 'uniqueValue' }],
    },
  ],
});
