// The fix, as measured in a VM snapshot: take the bytes from the kernel (/dev/urandom), which
// vmgenid reseeds on every restore, instead of Node's crypto, whose OpenSSL DRBG state is
// part of the snapshot. (Node has no after-restore hook that could reseed OpenSSL.)
import { closeSync, openSync, readSync } from 'node:fs';

function kernelBytes(n) {
  const fd = openSync('/dev/urandom', 'r');
  try {
    const b = Buffer.alloc(n);
    readSync(fd, b, 0, n, null);
    return b;
  } finally {
    closeSync(fd);
  }
}

/** An RFC 4122 version-4 UUID from kernel bytes. */
function kernelUuid() {
  const b = kernelBytes(16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const handler = async () => ({
  token: kernelBytes(16).toString('hex'),
  nonce: kernelBytes(16).toString('hex'),
  requestId: kernelUuid(),
});
