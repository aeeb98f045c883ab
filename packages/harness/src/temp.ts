import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Every temporary directory the harness makes is registered here and removed on every path:
 * by its owner when done, and otherwise when the process exits or is signalled (see process.ts).
 */
const owned = new Set<string>();

export function createTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  owned.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  owned.delete(dir);
  rmSync(dir, { recursive: true, force: true });
}

/** Synchronous: safe in 'exit' handlers. */
export function removeAllTempDirs(): void {
  for (const dir of [...owned]) removeTempDir(dir);
}
