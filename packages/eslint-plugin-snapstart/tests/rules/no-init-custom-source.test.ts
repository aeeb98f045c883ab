import rule from '../../src/rules/no-init-custom-source.js';
import { ruleTester } from '../rule-tester.js';

const sources = [
  { module: '@acme/ids', name: 'newInstanceId', category: 'other' },
  { name: 'Acme.clock.read', category: 'other' },
];

ruleTester.run('no-init-custom-source', rule, {
  valid: [
    // No sources configured: nothing to report.
    `import { newInstanceId } from '@acme/ids'; const id = newInstanceId(); export const handler = () => id;`,
    { code: `import { newInstanceId } from '@acme/ids'; export const handler = () => newInstanceId();`, options: [{ sources }] },
    // Same name from another module.
    { code: `import { newInstanceId } from './ids'; const id = newInstanceId(); export const handler = () => id;`, options: [{ sources }] },
  ],
  invalid: [
    {
      code: `import { newInstanceId } from '@acme/ids'; const id = newInstanceId(); export const handler = () => id;`,
      options: [{ sources }],
      errors: [{ messageId: 'uniqueValue', data: {
        source: '@acme/ids.newInstanceId()', what: 'creates a unique value', afterVmRestore: '', initPath: 'at module scope',
        escape: 'module-scope `id` is read by the handler `handler` (line 1), which runs after restore' } }],
    },
    { code: `const t = Acme.clock.read(); export const handler = () => t;`, options: [{ sources }], errors: [{ messageId: 'uniqueValue' }] },
    // Configured once for every rule through settings.
    {
      code: `import * as ids from '@acme/ids'; const id = ids.newInstanceId(); export const handler = () => id;`,
      settings: { snapstart: { sources } },
      errors: [{ messageId: 'uniqueValue' }],
    },
  ],
});
