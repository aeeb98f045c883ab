import rule from '../../src/rules/no-init-uuid.js';
import { commonjsOptions, espreeOptions, ruleTester } from '../rule-tester.js';

/** The per-snapshot-kind remedy the message ends with for an ID (measured: examples/node-linux-crypto). */
const UUID_AFTER_VM = " After a whole-VM restore (Lambda SnapStart) Node's crypto repeats in the handler and in hooks too: make the ID from /dev/urandom bytes.";

const HANDLER = 'export const handler = async () => ({ id });';

ruleTester.run('no-init-uuid', rule, {
  valid: [
    // Created inside the handler: fresh per invocation.
    `import { randomUUID } from 'node:crypto';
     export const handler = async () => ({ id: randomUUID() });`,
    // Used only during init.
    `import { randomUUID } from 'node:crypto';
     console.log('boot', randomUUID());
     export const handler = async () => 1;`,
    // A local in an init function that never leaves it.
    `import { v4 } from 'uuid';
     function warm() { const probe = v4(); cache.check(probe); }
     warm();
     export const handler = async () => 1;`,
    // Shadowed name: not the crypto function.
    `const randomUUID = () => 'fixed';
     const id = randomUUID();
     ${HANDLER}`,
    // A function that is never called during init.
    `import { randomUUID } from 'crypto';
     let id: string | undefined;
     function fresh() { id = randomUUID(); }
     export const handler = async () => { fresh(); return id; };`,
    // Regenerated in an after-restore hook.
    `import { randomUUID } from 'node:crypto';
     import { registerAfterRestore } from '@snapstart/runtime-hooks';
     let id = randomUUID();
     registerAfterRestore(() => { id = randomUUID(); });
     ${HANDLER}`,
    // after-restore hook given by reference, refreshing a property path.
    `import { randomUUID } from 'node:crypto';
     import { registerAfterRestore } from '@snapstart/runtime-hooks';
     const state = { id: '' };
     state.id = randomUUID();
     function refresh() { state.id = randomUUID(); }
     registerAfterRestore(refresh);
     export const handler = async () => state.id;`,
    // CRaC-style resource with an afterRestore method.
    `import { randomUUID } from 'node:crypto';
     class Ids { id = randomUUID(); afterRestore() { this.id = randomUUID(); } }
     const ids = new Ids();
     export const handler = async () => ids.id;`,
    // Instance created at init but never kept.
    `import { randomUUID } from 'node:crypto';
     class Probe { id = randomUUID(); run() { return this.id.length; } }
     console.log(new Probe().run());
     export const handler = async () => 1;`,
    // Ignore option.
    {
      code: `import { randomUUID } from 'node:crypto';
             const bootId = randomUUID();
             export const handler = async () => bootId;`,
      options: [{ ignore: ['^bootId$'] }],
    },
    // Ignore through shared settings.
    {
      code: `import { randomUUID } from 'node:crypto';
             const bootId = randomUUID();
             export const handler = async () => bootId;`,
      settings: { snapstart: { ignore: ['^boot'] } },
    },
    // Not a source: an argument makes new Date() deterministic, and UUID parsing is not generation.
    `import { parse } from 'uuid';
     const bytes = parse('6ba7b810-9dad-11d1-80b4-00c04fd430c8');
     export const handler = async () => bytes;`,
  ],
  invalid: [
    // The article's example, in TypeScript: a sandbox id names the log stream.
    {
      code: `import { randomUUID } from 'node:crypto';
const sandboxId = randomUUID();
export const handler = async () => ({ logStream: \`\${sandboxId}.log\` });`,
      errors: [{ messageId: 'uniqueValue', line: 2, column: 19, data: {
        source: 'crypto.randomUUID()', what: 'creates an ID', afterVmRestore: UUID_AFTER_VM, initPath: 'at module scope',
        escape: 'module-scope `sandboxId` is read by the handler `handler` (line 3), which runs after restore',
      } }],
    },
    // Namespace import, aliased import, default import, node: prefix.
    { code: `import * as c from 'crypto'; const id = c.randomUUID(); ${HANDLER}`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `import { randomUUID as r } from 'crypto'; const id = r(); ${HANDLER}`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `import nodeCrypto from 'node:crypto'; const id = nodeCrypto.randomUUID(); ${HANDLER}`, errors: [{ messageId: 'uniqueValue' }] },
    // Web Crypto through the global and globalThis.
    { code: `const id = crypto.randomUUID(); ${HANDLER}`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `const id = globalThis.crypto.randomUUID(); ${HANDLER}`, errors: [{ messageId: 'uniqueValue' }] },
    // require forms (CommonJS, espree).
    {
      code: `const crypto = require('crypto'); const id = crypto.randomUUID(); exports.handler = async () => id;`,
      languageOptions: commonjsOptions,
      errors: [{ messageId: 'uniqueValue' }],
    },
    {
      code: `const { randomUUID: mk } = require('node:crypto'); const id = mk(); module.exports.handler = async () => id;`,
      languageOptions: commonjsOptions,
      errors: [{ messageId: 'uniqueValue' }],
    },
    {
      code: `const { webcrypto } = require('crypto'); const id = webcrypto.randomUUID(); module.exports = { handler: () => id };`,
      languageOptions: commonjsOptions,
      errors: [{ messageId: 'uniqueValue' }],
    },
    // Re-bound references.
    { code: `import { v4 } from 'uuid'; const make = v4; const id = make(); ${HANDLER}`, errors: [{ messageId: 'uniqueValue' }] },
    // uuid v1/v4/v6/v7, nanoid, ulid, cuid2, cuid, ksuid, hyperid.
    { code: `import { v1 } from 'uuid'; const id = v1(); ${HANDLER}`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `import { v7 as uuidv7 } from 'uuid'; const id = uuidv7(); ${HANDLER}`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `import * as uuid from 'uuid'; const id = uuid.v6(); ${HANDLER}`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `import { nanoid } from 'nanoid'; const id = nanoid(); ${HANDLER}`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `import { customAlphabet } from 'nanoid'; const gen = customAlphabet('abc', 8); const id = gen(); ${HANDLER}`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `import { ulid } from 'ulid'; const id = ulid(); ${HANDLER}`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `import { createId } from '@paralleldrive/cuid2'; const id = createId(); ${HANDLER}`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `const cuid = require('cuid'); const id = cuid(); module.exports.handler = () => id;`, languageOptions: commonjsOptions, errors: [{ messageId: 'uniqueValue' }] },
    { code: `import KSUID from 'ksuid'; const id = KSUID.randomSync().string; ${HANDLER}`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `import hyperid from 'hyperid'; const make = hyperid(); const id = make(); ${HANDLER}`, errors: [{ messageId: 'uniqueValue' }] },
    // Dynamic import with top-level await.
    { code: `const { randomUUID } = await import('node:crypto'); const id = randomUUID(); ${HANDLER}`, errors: [{ messageId: 'uniqueValue' }] },
    // Exported directly.
    { code: `import { randomUUID } from 'crypto'; export const INSTANCE_ID = randomUUID();`, errors: [{ messageId: 'uniqueValue', data: {
      source: 'crypto.randomUUID()', what: 'creates an ID', afterVmRestore: UUID_AFTER_VM, initPath: 'at module scope', escape: 'it is exported as `INSTANCE_ID`' } }] },
    { code: `import { randomUUID } from 'crypto'; export default randomUUID();`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `import { randomUUID } from 'crypto'; const id = randomUUID(); export { id as instanceId };`, errors: [{ messageId: 'uniqueValue' }] },
    // Derived values: concatenation, template, object, array, toString, constructor argument.
    { code: `import { randomUUID } from 'crypto'; const stream = 'log-' + randomUUID().slice(0, 8); export const handler = () => stream;`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `import { randomUUID } from 'crypto'; const cfg = { tags: [randomUUID()] }; export const handler = () => cfg;`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `import { randomUUID } from 'crypto'; import { Logger } from 'log'; const logger = new Logger({ stream: randomUUID() }); export const handler = () => logger.info('x');`, errors: [{ messageId: 'uniqueValue' }] },
    // Collections filled at init.
    { code: `import { randomUUID } from 'crypto'; const ids = new Map(); ids.set('boot', randomUUID()); export const handler = () => ids.get('boot');`, errors: [{ messageId: 'uniqueValue' }] },
    // Property of a module-scope object.
    { code: `import { randomUUID } from 'crypto'; const state = {}; state.id = randomUUID(); export const handler = () => state;`, errors: [{ messageId: 'uniqueValue' }] },
    // Stored in a global.
    { code: `import { randomUUID } from 'crypto'; globalThis.instanceId = randomUUID(); export const handler = () => 1;`, errors: [{ messageId: 'uniqueValue' }] },
    // Called from init through several levels of functions and an alias.
    {
      code: `import { randomUUID } from 'crypto';
let id: string;
function makeId() { return randomUUID(); }
const mk = makeId;
function setup() { id = mk(); }
setup();
export async function handler() { return id; }`,
      errors: [{ messageId: 'uniqueValue', line: 3, data: {
        source: 'crypto.randomUUID()', what: 'creates an ID', afterVmRestore: UUID_AFTER_VM,
        initPath: '`makeId` is called from `setup` (line 5), `setup` is called from module scope (line 6)',
        escape: 'module-scope `id` is read by the handler `handler` (line 7), which runs after restore',
      } }],
    },
    // IIFE and async IIFE.
    { code: `import { randomUUID } from 'crypto'; let id; (() => { id = randomUUID(); })(); ${HANDLER}`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `import { randomUUID } from 'crypto'; let id; (async function () { id = randomUUID(); })(); ${HANDLER}`, errors: [{ messageId: 'uniqueValue' }] },
    // Captured by a closure that runs later.
    {
      code: `import { randomUUID } from 'crypto';
function makeLogger() { const runId = randomUUID(); return (msg: string) => console.log(runId, msg); }
const log = makeLogger();
export const handler = async () => log('hi');`,
      errors: [{ messageId: 'uniqueValue', line: 2 }],
    },
    // A lazy cache warmed during init and read again by the handler.
    {
      code: `import { randomUUID } from 'crypto';
let cached: string | undefined;
function getId() { return (cached ??= randomUUID()); }
getId();
export const handler = async () => ({ id: getId() });`,
      errors: [{ messageId: 'uniqueValue', line: 3, data: {
        source: 'crypto.randomUUID()', what: 'creates an ID', afterVmRestore: UUID_AFTER_VM, initPath: '`getId` is called from module scope (line 4)',
        escape: 'module-scope `cached` is read by `getId`, which also runs after restore (called from the handler `handler`, line 5)',
      } }],
    },
    {
      code: `import { randomUUID } from 'crypto'; let cached; export function instanceId() { if (!cached) cached = randomUUID(); return cached; } instanceId();`,
      errors: [{ messageId: 'uniqueValue' }],
    },
    // Value passed into a local function that stores it.
    { code: `import { randomUUID } from 'crypto'; const state = { id: '' }; function remember(v: string) { state.id = v; } remember(randomUUID()); export const handler = () => state.id;`, errors: [{ messageId: 'uniqueValue' }] },
    // Static field, static block, instance field, parameter property, constructor body.
    { code: `import { randomUUID } from 'crypto'; export class Ids { static readonly boot = randomUUID(); }`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `import { randomUUID } from 'crypto'; class Ids { static boot: string; static { Ids.boot = randomUUID(); } } export const handler = () => Ids.boot;`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `import { randomUUID } from 'crypto'; class Ids { static boot: string; static { this.boot = randomUUID(); } } export const handler = () => Ids.boot;`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `import { randomUUID } from 'crypto'; class Svc { constructor(private readonly id: string = randomUUID()) {} get() { return this.id; } } const svc = new Svc(); export const handler = () => svc.get();`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `import { randomUUID } from 'crypto'; class Svc { id: string; constructor() { this.id = randomUUID(); } } const svc = new Svc(); export const handler = () => svc.id;`, errors: [{ messageId: 'uniqueValue' }] },
    // Method called on a module-scope instance; subclass instantiation runs the base constructor.
    { code: `import { randomUUID } from 'crypto'; class Base { id = ''; init() { this.id = randomUUID(); } } class Svc extends Base {} const svc = new Svc(); svc.init(); export const handler = () => svc.id;`, errors: [{ messageId: 'uniqueValue' }] },
    // Decorators and satisfies (TS syntax).
    {
      code: `import { randomUUID } from 'crypto';
function Injectable() { return (c: unknown) => c; }
@Injectable()
class Registry { static instance = { id: randomUUID() } satisfies { id: string }; }
export const handler = () => Registry.instance.id;`,
      errors: [{ messageId: 'uniqueValue', line: 4 }],
    },
    // TS namespace and enum.
    { code: `import { randomUUID } from 'crypto'; export namespace Boot { export const id = randomUUID(); }`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `import { randomUUID } from 'crypto'; export enum Boot { Id = randomUUID().length }`, errors: [{ messageId: 'uniqueValue', data: {
      source: 'crypto.randomUUID()', what: 'creates an ID', afterVmRestore: UUID_AFTER_VM, initPath: 'at module scope', escape: 'it initializes the enum member `Id`' } }] },
    // Array callback during init.
    { code: `import { randomUUID } from 'crypto'; const workers = [1, 2].map(() => randomUUID()); export const handler = () => workers;`, errors: [{ messageId: 'uniqueValue' }] },
    // Promise reaction.
    { code: `import { randomUUID } from 'crypto'; let id; Promise.resolve().then(() => { id = randomUUID(); }); ${HANDLER}`, errors: [{ messageId: 'uniqueValue' }] },
    // Espree, plain ESM JavaScript.
    {
      code: `import { randomUUID } from 'crypto'; const id = randomUUID(); export function handler() { return id; }`,
      languageOptions: espreeOptions,
      errors: [{ messageId: 'uniqueValue', suggestions: [{
        messageId: 'moveIntoFunction',
        data: { name: 'id', target: '`handler`' },
        output: `import { randomUUID } from 'crypto';  export function handler() {\n  const id = randomUUID(); return id; }`,
      }] }],
    },
    // Custom handler name in the message.
    {
      code: `import { randomUUID } from 'crypto'; const id = randomUUID(); export const process = () => id;`,
      options: [{ handlerNames: ['process'] }],
      errors: [{ messageId: 'uniqueValue', data: {
        source: 'crypto.randomUUID()', what: 'creates an ID', afterVmRestore: UUID_AFTER_VM, initPath: 'at module scope',
        escape: 'module-scope `id` is read by the handler `process` (line 1), which runs after restore' } }],
    },
    // Suggestion: move the declaration into the only function that reads it.
    {
      code: `import { randomUUID } from 'node:crypto';
const sandboxId = randomUUID();
export async function handler() {
  return { logStream: sandboxId + '.log' };
}`,
      errors: [{
        messageId: 'uniqueValue',
        suggestions: [{
          messageId: 'moveIntoFunction',
          data: { name: 'sandboxId', target: '`handler`' },
          output: `import { randomUUID } from 'node:crypto';
export async function handler() {
  const sandboxId = randomUUID();
  return { logStream: sandboxId + '.log' };
}`,
        }],
      }],
    },
  ],
});
