import rule from '../../src/rules/no-init-entropy-cache.js';
import { commonjsOptions, ruleTester } from '../rule-tester.js';

ruleTester.run('no-init-entropy-cache', rule, {
  valid: [
    `import { randomUUID } from 'crypto'; const id = randomUUID({ disableEntropyCache: true }); export const handler = () => id;`,
    // In the handler the cache is filled after restore: per clone in a V8 startup snapshot (a new
    // process). After a whole-VM restore OpenSSL's DRBG repeats anyway (examples/node-linux-crypto),
    // which no option fixes: the init call's message says so; a handler call is not reported.
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
    // The message says what the autofix fixes (a V8 startup snapshot) and what it does not (a VM restore).
    {
      code: `import { randomUUID } from 'node:crypto';\nconst id = randomUUID();`,
      output: `import { randomUUID } from 'node:crypto';\nconst id = randomUUID({ disableEntropyCache: true });`,
      errors: [{
        message:
          "`crypto.randomUUID()` runs during init (at module scope) and fills Node's 128-UUID entropy cache, which the snapshot captures: " +
          'UUIDs generated later, even inside the handler, repeat across restored clones. Pass { disableEntropyCache: true } (the autofix): ' +
          'it keeps this call out of the cache, which is the whole fix when a restore starts a new process (a V8 startup snapshot). ' +
          'After a whole-VM restore (Lambda SnapStart, Firecracker or QEMU snapshots) that is not enough: ' +
          "OpenSSL's generator is in the snapshot too, so Node's crypto repeats in every clone even when called in the handler; " +
          'values that must differ per clone must come from the kernel (read /dev/urandom with fs).',
      }],
    },
    {
      code: `import { nanoid } from 'nanoid'; const id = nanoid();`,
      output: null,
      errors: [{ message: /^`nanoid\.nanoid\(\)` runs during init .* After a whole-VM restore \(Lambda SnapStart, Firecracker or QEMU snapshots\) that is not enough: .*\(read \/dev\/urandom with fs\)\.$/ }],
    },
    // Web Crypto and uuid share the cache but have no option: no autofix.
    { code: `const id = crypto.randomUUID();`, output: null, errors: [{ messageId: 'otherCache' }] },
    { code: `import { v4 as uuidv4 } from 'uuid'; const id = uuidv4();`, output: null, errors: [{ messageId: 'otherCache' }] },
    { code: `import { nanoid } from 'nanoid'; nanoid();`, output: null, errors: [{ messageId: 'otherCache' }] },
  ],
});
