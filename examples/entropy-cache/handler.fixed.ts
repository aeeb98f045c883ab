import { randomUUID } from 'node:crypto';

console.log(`cold start ${randomUUID({ disableEntropyCache: true })}`);

export async function handler() {
  return { requestId: randomUUID(), traceId: randomUUID() };
}
