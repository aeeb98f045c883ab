// The SnapStart article's example, in TypeScript: a "sandbox id" made during init names the
// log stream, so every clone restored from the snapshot writes to the same stream.
import { randomUUID } from 'node:crypto';

interface LogEvent {
  message?: string;
}

const sandboxId = randomUUID();
const logGroup = 'myLogGroup';

export async function handler(event: LogEvent) {
  const logStream = `${sandboxId}.log`;
  return { logGroup, logStream, message: event.message ?? 'Hello world!' };
}
