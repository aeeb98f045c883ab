import { closeSync, openSync, readSync, statSync, writeSync } from 'node:fs';

/**
 * A writer of "newc" cpio archives, the format the Linux kernel unpacks as an initramfs
 * (Documentation/driver-api/early-userspace/buffer-format.rst). There is no cpio binary on
 * Debian's minimal images, and the archive is a plain sequence of headers and padded data.
 */
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
export const S_IFLNK = 0o120000;
export const S_IFCHR = 0o020000;

export type CpioEntry =
  | { readonly kind: 'dir'; readonly path: string; readonly mode: number }
  | { readonly kind: 'file'; readonly path: string; readonly mode: number; readonly host: string; readonly size: number }
  | { readonly kind: 'data'; readonly path: string; readonly mode: number; readonly data: Buffer }
  | { readonly kind: 'symlink'; readonly path: string; readonly target: string }
  | { readonly kind: 'chardev'; readonly path: string; readonly mode: number; readonly major: number; readonly minor: number };

const hex = (n: number): string => n.toString(16).padStart(8, '0');
const pad4 = (n: number): number => (4 - (n % 4)) % 4;
const ZEROS = Buffer.alloc(4);

export class CpioWriter {
  private readonly fd: number;
  private ino = 1;
  bytes = 0;

  constructor(file: string) {
    this.fd = openSync(file, 'w');
  }

  private put(buf: Buffer): void {
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off);
    this.bytes += buf.length;
  }

  private header(path: string, mode: number, size: number, nlink: number, rdev: [number, number] = [0, 0], mtime = 0): void {
    // Names are relative to the archive root ("bin/sh"), as the kernel expects.
    const name = Buffer.from(`${path.replace(/^\/+/, '')}\0`);
    const fields = [this.ino++, mode, 0, 0, nlink, mtime, size, 0, 0, rdev[0], rdev[1], name.length, 0];
    this.put(Buffer.from(`070701${fields.map(hex).join('')}`, 'ascii'));
    this.put(name);
    this.put(ZEROS.subarray(0, pad4(110 + name.length)));
  }

  add(e: CpioEntry): void {
    switch (e.kind) {
      case 'dir':
        this.header(e.path, S_IFDIR | e.mode, 0, 2);
        return;
      case 'symlink': {
        const target = Buffer.from(e.target);
        this.header(e.path, S_IFLNK | 0o777, target.length, 1);
        this.put(target);
        this.put(ZEROS.subarray(0, pad4(target.length)));
        return;
      }
      case 'chardev':
        this.header(e.path, S_IFCHR | e.mode, 0, 1, [e.major, e.minor]);
        return;
      case 'data':
        this.header(e.path, S_IFREG | e.mode, e.data.length, 1);
        this.put(e.data);
        this.put(ZEROS.subarray(0, pad4(e.data.length)));
        return;
      case 'file': {
        // The host file's mtime: CPython trusts a .pyc only when it matches its source's (with 0, every import recompiles).
        this.header(e.path, S_IFREG | e.mode, e.size, 1, [0, 0], Math.floor(statSync(e.host).mtimeMs / 1000));
        const src = openSync(e.host, 'r');
        const buf = Buffer.allocUnsafe(1 << 20);
        let left = e.size;
        try {
          while (left > 0) {
            const n = readSync(src, buf, 0, Math.min(buf.length, left), null);
            if (n === 0) throw new Error(`${e.host}: shorter than ${e.size} bytes (changed while the image was built)`);
            this.put(buf.subarray(0, n));
            left -= n;
          }
        } finally {
          closeSync(src);
        }
        this.put(ZEROS.subarray(0, pad4(e.size)));
        return;
      }
    }
  }

  /** Writes the trailer and closes the file. */
  finish(): number {
    this.header('TRAILER!!!', 0, 0, 1);
    closeSync(this.fd);
    return this.bytes;
  }
}
