import rule from '../../src/rules/no-init-entropy-cache.js';
import { commonjsOptions, ruleTester } from '../rule-tester.js';

ruleTester.run('no-init-entropy-cache', rule, {
  valid: [
    `import { randomUUID } from 'crypto'; const id = randomUUID({ disableEntropyCache: true }); export const handler = () => id;`,
    // In the handler the cache is per clone already (filled after restore).
    `import { randomUUID } from 'crypto'; export const handler = () => randomUUID();`,
    // A non-literal options object gets the benefit of the doubt.
    `import { randomUUID } from 'crypto'; const opts = { disableEntropyCache: true }; randomUUID(opts);`,
    // In an after-restore hook: runs in each clone.
    `import { randomUUID } from 'crypto'; import { registerAfterRestore } from '@snapstart/runtime-hooks'; let id = ''; registerAfterRestore(() => { id = randomUUID(); }); export const handler = () => id;`,
    `import { v4 } from 'uuid'; export const handler = () => v4();`,
  ],
  invalid: [
    // Reported even when the value itself is used only during init: the cache is what leaks.
    {
      code: `import { randomUUID } from 'node:crypto';\nconsole.log(randomUUID());`,
      output: `import { randomUUID } from 'node:crypto';\nconsole.log(randomUUID({ disableEntropyCache: true }));`,
      errors: [{ messageId: 'nodeCrypto', line: 2, data: { source: 'crypto.randomUUID()', initPath: 'at module scope' } }],
    },
    {
      code: `import * as crypto from 'crypto'; const id = crypto.randomUUID({});`,
      output: `import * as crypto from 'crypto'; const id = crypto.randomUUID({ disableEntropyCache: true });`,
      errors: [{ messageId: 'nodeCrypto' }],
    },
    {
      code: `import { randomUUID } from 'crypto'; const id = randomUUID({ disableEntropyCache: false });`,
      output: `import { randomUUID } from 'crypto'; const id = randomUUID({ disableEntropyCache: true });`,
      errors: [{ messageId: 'nodeCrypto' }],
    },
    {
      code: `const c = require('crypto'); function init() { return c.randomUUID(); } const id = init();`,
      output: `const c = require('crypto'); function init() { return c.randomUUID({ disableEntropyCache: true }); } const id = init();`,
      languageOptions: commonjsOptions,
      errors: [{ messageId: 'nodeCrypto', data: { source: 'crypto.randomUUID()', initPath: '`init` is called from module scope (line 1)' } }],
    },
    // Web Crypto and uuid share the cache but have no option: no autofix.
    { code: `const id = crypto.randomUUID();`, output: null, errors: [{ messageId: 'otherCache' }] },
    { code: `import { v4 as uuidv4 } from 'uuid'; const id = uuidv4();`, output: null, errors: [{ messageId: 'otherCache' }] },
    { code: `import { nanoid } from 'nanoid'; nanoid();`, output: null, errors: [{ messageId: 'otherCache' }] },
  ],
});
