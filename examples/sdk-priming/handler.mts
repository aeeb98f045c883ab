// The init pattern AWS recommends for Node: an ES module whose top-level await primes the AWS
// SDK client, so that the first invocation is fast. The SDK stamps every request with an
// invocation id from the global crypto.randomUUID(), and that first call fills Node's
// 128-UUID entropy cache during init. The snapshot captures the cache: the order ids the
// handler makes later repeat in every clone.
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';

const client = new DynamoDBClient({});
await client.send(new DescribeTableCommand({ TableName: 'orders' }));

export async function handler() {
  return { orderId: randomUUID() };
}
