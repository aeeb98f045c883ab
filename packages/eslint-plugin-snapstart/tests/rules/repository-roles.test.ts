// Issue #20: function-code detection uses what the repository says. snapstart-scan reads CI steps,
// package.json scripts and deployment descriptors (its discover/repo-roles.ts) and passes the
// files they name as `scriptFiles` / `handlerFiles`; names like bench.js say "script" on their own.
import entropyCache from '../../src/rules/no-init-entropy-cache.js';
import uuid from '../../src/rules/no-init-uuid.js';
import { commonjsOptions, ruleTester } from '../rule-tester.js';

/** A schema-update script run by a CI step (`node src/updateSchema.mjs`): SDK requests at top level. */
const updateSchema = `import { DynamoDBClient, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
const client = new DynamoDBClient({});
await client.send(new UpdateTableCommand({ TableName: 't' }));
export const done = true;`;

ruleTester.run('files the repository runs as scripts are not function code', entropyCache, {
  valid: [
    { code: updateSchema, filename: 'src/updateSchema.mjs', options: [{ scriptFiles: ['src/updateSchema.mjs'] }] },
    // Absolute paths work too (what snapstart-scan passes).
    { code: updateSchema, filename: `${process.cwd()}/src/updateSchema.mjs`, options: [{ scriptFiles: [`${process.cwd()}/src/updateSchema.mjs`] }] },
    // Named like a benchmark, exporting no handler.
    { code: `import { randomUUID } from 'node:crypto'; const id = randomUUID(); for (let i = 0; i < 100; i++) await fetch('http://localhost:3000/' + id);`, filename: 'bench.js' },
    { code: `import { randomUUID } from 'node:crypto'; const id = randomUUID(); console.log(id);`, filename: 'tools/load.bench.mjs' },
    { code: `import { randomUUID } from 'node:crypto'; const id = randomUUID(); console.log(id);`, filename: 'scripts/seed.mjs' },
  ],
  invalid: [
    // The same file, not named by any CI step: function code (a handler may import it).
    { code: updateSchema, filename: 'src/updateSchema.mjs', errors: [{ messageId: 'otherCache' }] },
    // In a scripts/ folder but exporting a handler: function code.
    {
      code: `import { randomUUID } from 'node:crypto'; const id = randomUUID(); export const handler = async () => id;`,
      filename: 'scripts/handler.mjs',
      errors: [{ messageId: 'nodeCrypto' }],
      output: `import { randomUUID } from 'node:crypto'; const id = randomUUID({ disableEntropyCache: true }); export const handler = async () => id;`,
    },
    // A deployment descriptor names it as a handler: function code, though it is named like a script.
    {
      code: `import { randomUUID } from 'node:crypto'; const id = randomUUID(); export const run = async () => id;`,
      filename: 'bench/run.mjs',
      options: [{ handlerFiles: [{ file: 'bench/run.mjs', handler: 'run' }] }],
      errors: [{ messageId: 'nodeCrypto' }],
      output: `import { randomUUID } from 'node:crypto'; const id = randomUUID({ disableEntropyCache: true }); export const run = async () => id;`,
    },
  ],
});

ruleTester.run('a descriptor-declared handler is function code whatever its shape', uuid, {
  valid: [],
  invalid: [
    // A CLI-shaped module (require.main === module, exports nothing by name the defaults know) named by template.yaml.
    {
      code: `const { randomUUID } = require('crypto'); const id = randomUUID(); module.exports.processOrder = async () => ({ id }); if (require.main === module) console.log(id);`,
      filename: 'src/orders.js',
      languageOptions: commonjsOptions,
      options: [{ handlerFiles: [{ file: 'src/orders.js', handler: 'processOrder' }] }],
      errors: [{ messageId: 'uniqueValue' }],
    },
    // An infrastructure-importing file whose handler the descriptor names.
    {
      code: `import { Construct } from 'constructs'; import { randomUUID } from 'crypto'; const id = randomUUID(); export const onEvent = async () => id;`,
      filename: 'lib/custom-resource.ts',
      options: [{ handlerFiles: [{ file: 'lib/custom-resource.ts', handler: 'onEvent' }] }],
      errors: [{ messageId: 'uniqueValue' }],
    },
  ],
});
