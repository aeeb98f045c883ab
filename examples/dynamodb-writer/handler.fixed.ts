// Fixed: the id is made inside the handler, where each clone makes its own.
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';

const client = new DynamoDBClient({});

export async function handler(event: { action?: string }) {
  const invocationRecordId = randomUUID();
  await client.send(
    new PutItemCommand({
      TableName: 'audit',
      Item: { pk: { S: invocationRecordId }, action: { S: event.action ?? 'invoke' } },
    }),
  );
  return { written: true };
}
