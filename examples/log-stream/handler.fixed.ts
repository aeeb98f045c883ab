// Fix 1: create the id inside the handler. disableEntropyCache keeps Node's UUID cache out of
// the snapshot even if something else calls randomUUID() during init.
import { randomUUID } from 'node:crypto';

interface LogEvent {
  message?: string;
}

const logGroup = 'myLogGroup';

export async function handler(event: LogEvent) {
  const sandboxId = randomUUID({ disableEntropyCache: true });
  return { logGroup, logStream: `${sandboxId}.log`, message: event.message ?? 'Hello world!' };
}
