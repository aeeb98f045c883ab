// Every file the CLI writes for a user (a fixed source file, `-o` reports, baselines, merged
// reports) goes through here, so that a crash, a SIGKILL, a full disk or an editor saving at the
// same moment never leaves a half-written or silently overwritten file: the new content is written
// to a temporary file in the same folder, flushed to disk, given the old file's mode and owner,
// and renamed over the old file in one step (rename is atomic within a file system).
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fchownSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Why a write did not happen, in words a user can act on. */
export class WriteError extends Error {
  constructor(
    readonly file: string,
    /** `changed`: the file is not what was read; `read-only`; `io`: the system refused. */
    readonly reason: 'changed' | 'read-only' | 'io',
    message: string,
  ) {
    super(message);
    this.name = 'WriteError';
  }
}

export function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function errno(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
}

function existing(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new WriteError(file, 'io', `cannot write ${file}: ${errno(err)}`);
  }
}

export interface AtomicWriteOptions {
  /**
   * The hash (`contentHash`) of the bytes the new content was computed from. Checked just before
   * the rename: if the file changed since (an editor saved it), nothing is written.
   */
  readonly expectedHash?: string;
  /** Refuse to replace a file without write permission (source files): true for `--fix`. */
  readonly respectReadOnly?: boolean;
}

/**
 * Writes `data` to `file` atomically: temp file in the same folder, fsync, mode and owner of the
 * file it replaces, rename over it, fsync of the folder. Throws a WriteError; the file is then
 * unchanged and no temporary file is left.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const before = existing(file);
  if (before && !before.isFile()) throw new WriteError(file, 'io', `cannot write ${file}: not a regular file`);
  // Root may write anything, so the permission bits say whether the owner meant the file to be read-only.
  if (before && options.respectReadOnly && (before.mode & 0o222) === 0) throw new WriteError(file, 'read-only', 'read-only');
  const dir = dirname(file);
  const temp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.snapstart-tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', before ? before.mode & 0o7777 : 0o666);
  } catch (err) {
    throw new WriteError(file, errno(err) === 'EACCES' || errno(err) === 'EROFS' ? 'read-only' : 'io', `cannot write in ${dir}: ${errno(err)}`);
  }
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
    if (before) {
      fchmodSync(fd, before.mode & 0o7777); // the umask may have narrowed the mode given to open
      if (before.uid !== process.getuid?.() || before.gid !== process.getgid?.()) {
        try {
          fchownSync(fd, before.uid, before.gid);
        } catch {
          // Only root can give a file away; a user rewriting their own group's file keeps theirs.
        }
      }
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    if (options.expectedHash !== undefined) {
      let now: Buffer;
      try {
        now = readFileSync(file);
      } catch (err) {
        throw new WriteError(file, 'changed', `changed during the scan (${errno(err)}), not fixed`);
      }
      if (contentHash(now) !== options.expectedHash) throw new WriteError(file, 'changed', 'changed during the scan, not fixed');
    }
    try {
      renameSync(temp, file);
    } catch (err) {
      throw new WriteError(file, 'io', `cannot write ${file}: ${errno(err)}`);
    }
    syncDirectory(dir);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // already renamed, or never made
    }
    throw err instanceof WriteError ? err : new WriteError(file, 'io', `cannot write ${file}: ${errno(err)}`);
  }
}

/** Makes the rename itself durable; some file systems do not support it on a folder, which is fine. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // best effort
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Checks, before a scan starts, that `file` can be written later: its folder exists and is a
 * folder, and the file, if there, is a regular file. Returns a message, or undefined when fine.
 */
export function checkWritable(file: string): string | undefined {
  const dir = dirname(file);
  let info;
  try {
    info = statSync(dir);
  } catch (err) {
    return errno(err) === 'ENOENT' ? `the folder ${dir} does not exist` : `cannot use the folder ${dir}: ${errno(err)}`;
  }
  if (!info.isDirectory()) return `${dir} is not a folder`;
  const target = existing(file);
  if (target?.isDirectory()) return `${file} is a folder`;
  // Creating (and removing) the temp file now is the only honest test of "can write here".
  const probe = join(dir, `.${basename(file)}.${process.pid}.probe.snapstart-tmp`);
  try {
    closeSync(openSync(probe, 'wx'));
    unlinkSync(probe);
  } catch (err) {
    return `cannot write in ${dir}: ${errno(err)}`;
  }
  return undefined;
}
