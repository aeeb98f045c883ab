#include "io.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <sys/types.h>
#include <unistd.h>

enum io_op { IO_PREAD, IO_PWRITE, IO_RANDOM };

/* One loop for every whole-buffer transfer: EINTR is retried, a short transfer continues where
 * it stopped, and 0 bytes (end of file) is an error with errno 0. */
static int transfer(enum io_op op, int fd, uint8_t *p, size_t len, uint64_t off) {
  while (len > 0) {
    ssize_t r;
    switch (op) {
      case IO_PREAD: r = pread(fd, p, len, (off_t)off); break;
      case IO_PWRITE: r = pwrite(fd, p, len, (off_t)off); break;
      default: r = getrandom(p, len, 0); break;
    }
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return -1;
    if (r == 0) {
      errno = 0;
      return -1;
    }
    p += r;
    len -= (size_t)r;
    off += (uint64_t)r;
  }
  return 0;
}

int io_pread_all(int fd, void *data, size_t len, uint64_t off) { return transfer(IO_PREAD, fd, data, len, off); }
int io_pwrite_all(int fd, const void *data, size_t len, uint64_t off) { return transfer(IO_PWRITE, fd, (uint8_t *)(uintptr_t)data, len, off); }
int io_random(void *data, size_t len) { return transfer(IO_RANDOM, -1, data, len, 0); }
const char *io_strerror(int err) { return err ? strerror(err) : "unexpected end of file"; }
