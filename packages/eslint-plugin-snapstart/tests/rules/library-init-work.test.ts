// Issue #20: init work hidden behind libraries (catalogue entries, each checked against a release):
// Powertools Parameters getters send SDK requests, Powertools Logger draws its debug sampling in
// the constructor, middy's ssm/secrets-manager/sts middlewares prefetch when created.
import entropyCache from '../../src/rules/no-init-entropy-cache.js';
import { ruleTester } from '../rule-tester.js';

ruleTester.run('library init work: Powertools Parameters, Logger sampling, middy prefetch', entropyCache, {
  valid: [
    // Getters awaited in the handler only.
    `import { getParameter } from '@aws-lambda-powertools/parameters/ssm'; export const handler = async () => getParameter('/app/table');`,
    `import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm'; const ssm = new SSMProvider(); export const handler = async () => ssm.get('/app/table');`,
    // A Logger without a sample rate draws nothing; a zero rate neither.
    `import { Logger } from '@aws-lambda-powertools/logger'; const logger = new Logger({ serviceName: 'orders' }); export const handler = async () => logger.info('x');`,
    `import { Logger } from '@aws-lambda-powertools/logger'; const logger = new Logger({ sampleRateValue: 0 }); export const handler = async () => logger.info('x');`,
    // A Logger with a sample rate made in the handler.
    `import { Logger } from '@aws-lambda-powertools/logger'; export const handler = async () => new Logger({ sampleRateValue: 0.5 }).info('x');`,
    // Prefetch disabled.
    `import middy from '@middy/core'; import ssm from '@middy/ssm'; export const handler = middy(async () => 1).use(ssm({ fetchData: { table: '/app/table' }, disablePrefetch: true }));`,
    // Same names from other packages.
    `import { getParameter } from './params.js'; const t = await getParameter('/app/table'); export const handler = async () => t;`,
  ],
  invalid: [
    // AWS's own Powertools sample app: a parameter awaited at top level.
    {
      code: `import { getParameter } from '@aws-lambda-powertools/parameters/ssm'; const tableName = await getParameter('/app/table'); export const handler = async () => tableName;`,
      errors: [{ messageId: 'otherCache' }],
    },
    {
      code: `import { getSecret } from '@aws-lambda-powertools/parameters/secrets'; import { getAppConfig } from '@aws-lambda-powertools/parameters/appconfig'; import { getParameters } from '@aws-lambda-powertools/parameters/ssm';
const secret = await getSecret('db');
const flags = await getAppConfig('flags', { application: 'a', environment: 'e' });
const all = await getParameters('/app');
export const handler = async () => [secret, flags, all];`,
      errors: [{ messageId: 'otherCache' }, { messageId: 'otherCache' }, { messageId: 'otherCache' }],
    },
    // Class providers' get().
    {
      code: `import { DynamoDBProvider } from '@aws-lambda-powertools/parameters/dynamodb'; const provider = new DynamoDBProvider({ tableName: 'params' }); const value = await provider.get('key'); export const handler = async () => value;`,
      errors: [{ messageId: 'otherCache' }],
    },
    // A Logger with a sample rate at init.
    {
      code: `import { Logger } from '@aws-lambda-powertools/logger'; const logger = new Logger({ serviceName: 'orders', sampleRateValue: 0.1 }); export const handler = async () => logger.debug('x');`,
      errors: [{ messageId: 'otherCache' }],
    },
    // middy prefetch middlewares created at init (the default).
    {
      code: `import middy from '@middy/core'; import ssm from '@middy/ssm'; import secretsManager from '@middy/secrets-manager'; import sts from '@middy/sts';
export const handler = middy(async () => 1)
  .use(ssm({ fetchData: { table: '/app/table' } }))
  .use(secretsManager({ fetchData: { db: 'db-secret' } }))
  .use(sts({ fetchData: { role: { RoleArn: 'arn:aws:iam::1:role/r' } } }));`,
      errors: [{ messageId: 'otherCache' }, { messageId: 'otherCache' }, { messageId: 'otherCache' }],
    },
  ],
});

// Node's randomInt() serves integers from a 6 KiB cache filled on first use (checked in Node 20.20's
// lib/internal/crypto/random.js): one call at init puts the next 1,024 draws into the snapshot.
ruleTester.run("library state: Node's randomInt() cache", entropyCache, {
  valid: [`import { randomInt } from 'node:crypto'; export const handler = () => randomInt(100);`],
  invalid: [
    {
      code: `import { randomInt } from 'node:crypto'; console.log('warm', randomInt(10)); export const handler = () => randomInt(100);`,
      errors: [{ messageId: 'otherCache' }],
    },
  ],
});
