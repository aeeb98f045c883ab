// Writes an audit record per invocation. The "instance id" is made during init: after a
// SnapStart restore every execution environment writes the same id to DynamoDB. That init-time
// randomUUID() also filled Node's UUID cache, so the SDK's own amz-sdk-invocation-id header
// repeats across clones too. Nothing is returned: the bug is only visible in what is sent out.
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';

const client = new DynamoDBClient({});
const instanceId = randomUUID();

export async function handler(event: { action?: string }) {
  await client.send(
    new PutItemCommand({
      TableName: 'audit',
      Item: { pk: { S: instanceId }, action: { S: event.action ?? 'invoke' } },
    }),
  );
  return { written: true };
}
