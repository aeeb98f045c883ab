// Looks safe: request ids are generated inside the handler. But the cold-start log line calls
// randomUUID() during init, which fills Node's 128-UUID entropy cache in the heap; the snapshot
// captures it, and the handler's "fresh" ids repeat in every clone.
import { randomUUID } from 'node:crypto';

console.log(`cold start ${randomUUID()}`);

export async function handler() {
  return { requestId: randomUUID(), traceId: randomUUID() };
}
