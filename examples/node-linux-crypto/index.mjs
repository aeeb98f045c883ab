// The bug that only a VM snapshot shows: Node's crypto called in the handler, after restore.
// randomBytes, getRandomValues and randomUUID({ disableEntropyCache: true }) draw from OpenSSL's
// DRBG, which lives in the process and was seeded before the snapshot: every clone restored from
// it returns the same "random" bytes. vmgenid reseeds the kernel's RNG, not OpenSSL's.
import { randomBytes, randomUUID, webcrypto } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';

/** The kernel RNG, for contrast: reseeded on restore by vmgenid, unique in every clone. */
function kernelHex(bytes) {
  const fd = openSync('/dev/urandom', 'r');
  try {
    const b = Buffer.alloc(bytes);
    readSync(fd, b, 0, bytes, null);
    return b.toString('hex');
  } finally {
    closeSync(fd);
  }
}

export const handler = async () => ({
  token: randomBytes(16).toString('hex'),
  nonce: Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex'),
  requestId: randomUUID({ disableEntropyCache: true }),
  kernel: kernelHex(16),
});
