/* Guest RAM: anonymous for a boot, or built from a snapshot file, either as a copy-on-write
 * MAP_PRIVATE mapping (clones share the page cache until they write) or copied into
 * anonymous memory (more private memory, faster first touch under KVM). */
#ifndef VMM_MEMORY_H
#define VMM_MEMORY_H

#include <stddef.h>
#include <stdint.h>

enum guest_memory_kind { GUEST_MEMORY_ANON, GUEST_MEMORY_COW, GUEST_MEMORY_COPY };

struct guest_memory {
  uint8_t *ram;
  uint64_t size;
  enum guest_memory_kind kind;
};

#define GUEST_RAM_MIN (8ull << 20)
#define GUEST_RAM_MAX (1ull << 30) /* one page directory of 2 MiB pages */

int guest_memory_anon(struct guest_memory *m, uint64_t size, char *err, size_t err_len);
int guest_memory_anon_huge(struct guest_memory *m, uint64_t size, char *err, size_t err_len);
int guest_memory_map_file(struct guest_memory *m, int fd, uint64_t offset, uint64_t size, char *err, size_t err_len);
void guest_memory_release(struct guest_memory *m);
/* Faults in [offset, offset + len) for writing now (the kernel zeroes it), so that a later copy
 * into it costs only the copy. */
void guest_memory_prefault(struct guest_memory *m, uint64_t offset, uint64_t len);
/* For anonymous RAM: a malloc'd byte per page, 0 where the page was never touched (neither
 * present nor swapped, per /proc/self/pagemap) and so reads as zero. NULL when unknown (a
 * copy-on-write file mapping, or no pagemap): then every page must be read. */
uint8_t *guest_memory_touched_pages(const struct guest_memory *m);

#endif
