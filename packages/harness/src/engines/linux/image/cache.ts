import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where built images, the jlink JRE, the relay binary and the kernel are kept: $SNAPSTART_CACHE_DIR or ~/.cache/snapstart/linux. */
export function linuxCacheRoot(): string {
  return process.env.SNAPSTART_CACHE_DIR || join(homedir(), '.cache', 'snapstart', 'linux');
}
