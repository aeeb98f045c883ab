import rule from '../../src/rules/no-init-time.js';
import { ruleTester } from '../rule-tester.js';

ruleTester.run('no-init-time', rule, {
  valid: [
    // The example: a duration measured during init and only logged.
    `const t0 = Date.now(); loadModel(); console.log('init took', Date.now() - t0); export const handler = () => 1;`,
    `const started = performance.now(); warm(); metrics.emit(performance.now() - started); export const handler = () => 1;`,
    // A date from a constant is not a clock reading.
    `const epoch = new Date(0); const launch = new Date('2024-01-01'); export const handler = () => [epoch, launch];`,
    `export const handler = () => ({ now: Date.now(), at: new Date().toISOString() });`,
    // Compared, never kept.
    `if (Date.now() > Number(process.env.DEADLINE)) { throw new Error('expired build'); } export const handler = () => 1;`,
    `import moment from 'moment'; const day = moment('2020-01-01'); export const handler = () => day;`,
    // An init duration kept for later is a measurement, not the snapshot's clock.
    `const t0 = performance.now(); warm(); export const initDurationMs = performance.now() - t0;`,
    `const started = Date.now(); load(); const metrics = { initMs: Date.now() - started }; export const handler = () => metrics;`,
  ],
  invalid: [
    { code: `const bootTime = Date.now(); export const handler = () => ({ uptime: Date.now() - bootTime });`, errors: [{ messageId: 'uniqueValue', data: {
      source: 'Date.now()', what: 'reads the clock', afterVmRestore: '', initPath: 'at module scope',
      escape: 'module-scope `bootTime` is read by the handler `handler` (line 1), which runs after restore' } }] },
    { code: `const started = new Date(); export const handler = () => started.toISOString();`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `const stamp = Date().slice(0, 10); export const handler = () => stamp;`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `import { performance } from 'node:perf_hooks'; const t = performance.now(); export const handler = () => t;`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `const t = process.hrtime.bigint(); export const handler = () => t;`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `const t = process.hrtime(); export const handler = () => t;`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `import dayjs from 'dayjs'; const today = dayjs().format('YYYY-MM-DD'); export const handler = () => today;`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `import { DateTime } from 'luxon'; const at = DateTime.now(); export const handler = () => at;`, errors: [{ messageId: 'uniqueValue' }] },
    // A helper that returns a timestamp, called at init.
    { code: `function nowIso() { return new Date().toISOString(); } const cacheBuiltAt = nowIso(); export const handler = () => cacheBuiltAt;`, errors: [{ messageId: 'uniqueValue', line: 1 }] },
    // Default parameter value evaluated during init.
    { code: `class Cache { constructor(public readonly createdAt = Date.now()) {} } export const cache = new Cache();`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `function makeToken(issuedAt = Date.now()) { return { issuedAt }; } const token = makeToken(); export const handler = () => token;`, errors: [{ messageId: 'uniqueValue' }] },
  ],
});
