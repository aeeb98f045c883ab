// Fix 2: keep a per-environment id, but regenerate it in every clone after restore.
import { randomUUID } from 'node:crypto';
import { registerAfterRestore } from '@snapstart/runtime-hooks';

interface LogEvent {
  message?: string;
}

let sandboxId = randomUUID({ disableEntropyCache: true });
registerAfterRestore(() => {
  sandboxId = randomUUID({ disableEntropyCache: true });
});

export async function handler(event: LogEvent) {
  return { logGroup: 'myLogGroup', logStream: `${sandboxId}.log`, message: event.message ?? 'Hello world!' };
}
