/**
 * Reports an init that throws or whose top-level await rejects (the bundle's wrapper calls
 * globalThis.__snapstartInitFailed). Imported by install.ts, the bundle's first module, so it is
 * in place before any user code runs.
 */
import { writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { startupSnapshot } from 'node:v8';
import { CHANNEL_FD, ENV_BUILD_REPORT, serializeError, type BuildReport } from '../protocol.js';
import { answeredByDefault, takeRequests } from '../stub.js';

const building = startupSnapshot.isBuildingSnapshot();

export function report(extra: BuildReport): void {
  const path = process.env[ENV_BUILD_REPORT];
  if (path) writeFileSync(path, JSON.stringify(extra));
}

(globalThis as { __snapstartInitFailed?: (err: unknown) => void }).__snapstartInitFailed = (err: unknown): void => {
  const initError = serializeError(err);
  if (building) {
    const defaultAnswered = answeredByDefault(takeRequests());
    report({ initMs: 0, handlerFound: false, exportNames: [], initError, ...(defaultAnswered.length ? { defaultAnswered } : {}) });
  } else {
    try {
      // A cold start: tell the harness on the channel, then exit.
      const channel = new Socket({ fd: CHANNEL_FD, readable: false, writable: true });
      channel.end(`${JSON.stringify({ initError })}\n`, () => process.exit(1));
      return;
    } catch {
      // no channel: fall through
    }
  }
  process.exit(1);
};
