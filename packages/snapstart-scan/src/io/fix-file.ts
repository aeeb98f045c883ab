import { contentHash, writeFileAtomic, WriteError } from './atomic-write.js';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Writes the fixed text of a source file whose original bytes were `original` (decoded as
 * `decoded`, without its BOM): atomically, only if the file is still what was read, and only if
 * every byte outside the fixed spans comes out the same — a UTF-8 BOM is kept, line endings are
 * untouched by the fixes, and a file that is not valid UTF-8 (a Latin-1 `é` in a comment) is not
 * fixed at all, since decoding it replaced those bytes. Returns undefined once written, else why not.
 */
export function writeFixedSource(abs: string, original: Uint8Array, decoded: string, fixed: string): string | undefined {
  const bytes = Buffer.from(original.buffer, original.byteOffset, original.byteLength);
  const hasBom = bytes.subarray(0, 3).equals(BOM);
  if (!Buffer.from(decoded, 'utf8').equals(hasBom ? bytes.subarray(3) : bytes)) {
    return 'not fixed: the file is not valid UTF-8 (writing the fix would change bytes outside it); its findings are reported unfixed';
  }
  const out = Buffer.from(fixed, 'utf8');
  try {
    writeFileAtomic(abs, hasBom ? Buffer.concat([BOM, out]) : out, { expectedHash: contentHash(bytes), respectReadOnly: true });
    return undefined;
  } catch (err) {
    if (!(err instanceof WriteError)) throw err;
    if (err.reason === 'read-only') return 'not fixed: read-only; its findings are reported unfixed';
    if (err.reason === 'changed') return 'changed during the scan, not fixed; its findings are those of the version that was read';
    return `not fixed: ${err.message}`;
  }
}
