/* A fast 64-bit checksum for snapshot integrity (corruption, truncation), not for security:
 * a snapshot file is trusted as much as the directory it lives in. */
#ifndef VMM_CHECKSUM_H
#define VMM_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

struct checksum {
  uint64_t lane[4];
  uint64_t total;
};

void checksum_init(struct checksum *c, uint64_t seed);
/* `len` must be a multiple of 32 except in the last call. */
void checksum_update(struct checksum *c, const void *data, size_t len);
uint64_t checksum_final(const struct checksum *c);
uint64_t checksum_bytes(const void *data, size_t len, uint64_t seed);

#endif
