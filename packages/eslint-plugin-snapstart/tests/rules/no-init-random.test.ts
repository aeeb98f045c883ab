import rule from '../../src/rules/no-init-random.js';
import { commonjsOptions, ruleTester } from '../rule-tester.js';

ruleTester.run('no-init-random', rule, {
  valid: [
    'export const handler = () => Math.random();',
    // Sampling decided per invocation.
    `import { randomInt } from 'crypto'; export const handler = () => randomInt(10);`,
    // Used during init only.
    `const jitter = Math.random(); setTimeoutLike(jitter); export const handler = () => 1;`,
    // A user function that happens to be called random.
    `const Math2 = { random: () => 4 }; const r = Math2.random(); export const handler = () => r;`,
    // Shadowed Math.
    `function f(Math: { random(): number }) { return Math.random(); } export const handler = () => f({ random: () => 1 });`,
    // PRNG created per invocation.
    `import seedrandom from 'seedrandom'; export const handler = () => seedrandom()();`,
  ],
  invalid: [
    { code: `const sampled = Math.random() < 0.1; export const handler = () => sampled;`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `const r = Math.random; const salt = r(); export const handler = () => salt;`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `const pick = ['a', 'b'][Math.floor(Math.random() * 2)]; export const handler = () => pick;`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `import { randomBytes } from 'node:crypto'; const token = randomBytes(32).toString('hex'); export const handler = () => token;`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `import { randomInt } from 'crypto'; const shard = randomInt(16); export const handler = () => shard;`, errors: [{ messageId: 'uniqueValue' }] },
    // The remedy names where a random value made after restore is unique, per snapshot kind.
    {
      code: `const salt = Math.random(); export const handler = () => salt;`,
      errors: [{
        message:
          '`Math.random()` produces random data during init (at module scope), and module-scope `salt` is read by the handler `handler` (line 1), ' +
          'which runs after restore. Every clone restored from the snapshot shares this value: create it inside the handler, or regenerate it in ' +
          "an after-restore hook. After a whole-VM restore (Lambda SnapStart) Node's crypto and Math.random repeat in the handler and in hooks too: " +
          'read the bytes from /dev/urandom.',
      }],
    },
    { code: `import { randomFillSync } from 'crypto'; const buf = randomFillSync(Buffer.alloc(16)); export const handler = () => buf;`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `const nonce = crypto.getRandomValues(new Uint8Array(12)); export const handler = () => nonce;`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `import seedrandom from 'seedrandom'; const rng = seedrandom(); export const handler = () => rng();`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `import Chance from 'chance'; const chance = new Chance(); const salt = chance.string(); export const handler = () => salt;`, errors: [{ messageId: 'uniqueValue' }] },
    // Node-style callback: the value arrives in the callback.
    {
      code: `const { randomBytes } = require('crypto'); let key; randomBytes(32, (err, buf) => { key = buf; }); module.exports.handler = () => key;`,
      languageOptions: commonjsOptions,
      errors: [{ messageId: 'uniqueValue' }],
    },
    // Field of a module-scope instance.
    { code: `class Backoff { seed = Math.random(); } export const backoff = new Backoff();`, errors: [{ messageId: 'uniqueValue' }] },
  ],
});
