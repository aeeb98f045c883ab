// Fixed: the priming stays (it is worth it), and ids made after restore bypass the cache that
// init filled. The SDK's own invocation ids still come from that cache after restore; they only
// tag requests for retries, so repeating across clones is accepted here, in writing. (A full fix
// drains the cache after restore: 128 calls of crypto.randomUUID() in an after-restore hook.)
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';

const client = new DynamoDBClient({});
// eslint-disable-next-line snapstart/no-init-entropy-cache -- accepted: see above
await client.send(new DescribeTableCommand({ TableName: 'orders' }));

export async function handler() {
  return { orderId: randomUUID({ disableEntropyCache: true }) };
}
