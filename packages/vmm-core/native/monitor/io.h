/* The monitor's only retry loops for interrupted and short I/O: every read, write and
 * getrandom that must move a whole buffer goes through here. */
#ifndef VMM_IO_H
#define VMM_IO_H

#include <stddef.h>
#include <stdint.h>

/* Reads / writes exactly `len` bytes at `off`, retrying EINTR and short transfers. 0, or -1 with
 * errno set (0 when the file ended first: see io_strerror). */
int io_pread_all(int fd, void *data, size_t len, uint64_t off);
int io_pwrite_all(int fd, const void *data, size_t len, uint64_t off);
/* Fills `len` bytes from the kernel's random pool. 0, or -1 with errno set. */
int io_random(void *data, size_t len);
/* strerror(err), or "unexpected end of file" for the 0 that io_pread_all leaves at EOF. */
const char *io_strerror(int err);

#endif
