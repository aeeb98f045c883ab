#include "memory.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "io.h"

int guest_memory_anon(struct guest_memory *m, uint64_t size, char *err, size_t n) {
  void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) {
    snprintf(err, n, "cannot map %llu MiB of guest RAM: %s", (unsigned long long)(size >> 20), strerror(errno));
    return -1;
  }
  m->ram = p;
  m->size = size;
  m->kind = GUEST_MEMORY_ANON;
  return 0;
}

/* Anonymous RAM aligned to 2 MiB and backed by transparent huge pages where the host allows:
 * under KVM (and PVM's shadow MMU) a restored clone then faults in 2 MiB at a time instead of
 * thousands of 4 KiB pages on its first invocation. Costs more private memory per clone. */
int guest_memory_anon_huge(struct guest_memory *m, uint64_t size, char *err, size_t n) {
  const uint64_t huge = 2ull << 20;
  uint8_t *raw = mmap(NULL, size + huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (raw == MAP_FAILED) {
    snprintf(err, n, "cannot map %llu MiB of guest RAM: %s", (unsigned long long)(size >> 20), strerror(errno));
    return -1;
  }
  uint8_t *aligned = (uint8_t *)(((uintptr_t)raw + huge - 1) & ~(uintptr_t)(huge - 1));
  if (aligned > raw) munmap(raw, (size_t)(aligned - raw));
  size_t tail = (size_t)((raw + size + huge) - (aligned + size));
  if (tail) munmap(aligned + size, tail);
  (void)madvise(aligned, size, MADV_HUGEPAGE); /* advisory: without THP this is ordinary memory */
  m->ram = aligned;
  m->size = size;
  m->kind = GUEST_MEMORY_COPY;
  return 0;
}

int guest_memory_map_file(struct guest_memory *m, int fd, uint64_t offset, uint64_t size, char *err, size_t n) {
  void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_NORESERVE, fd, (off_t)offset);
  if (p == MAP_FAILED) {
    snprintf(err, n, "cannot map the snapshot's RAM copy-on-write: %s", strerror(errno));
    return -1;
  }
  m->ram = p;
  m->size = size;
  m->kind = GUEST_MEMORY_COW;
  return 0;
}

void guest_memory_prefault(struct guest_memory *m, uint64_t offset, uint64_t len) {
  if (offset >= m->size) return;
  if (len > m->size - offset) len = m->size - offset;
  /* One write per 4 KiB page; with transparent huge pages the first write of each 2 MiB faults it all. */
  for (uint64_t off = offset; off < offset + len; off += 4096) ((volatile uint8_t *)m->ram)[off] = 0;
}

void guest_memory_release(struct guest_memory *m) {
  if (m->ram) munmap(m->ram, m->size);
  m->ram = NULL;
  m->size = 0;
}

uint8_t *guest_memory_touched_pages(const struct guest_memory *m) {
  if (m->kind == GUEST_MEMORY_COW) return NULL;
  uint64_t pages = m->size / 4096;
  uint8_t *touched = malloc(pages);
  uint64_t *entries = malloc(4096 * sizeof *entries);
  int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
  if (!touched || !entries || fd < 0) goto unknown;
  for (uint64_t first = 0; first < pages; first += 4096) {
    uint64_t count = pages - first < 4096 ? pages - first : 4096;
    off_t off = (off_t)(((uintptr_t)m->ram / 4096 + first) * sizeof *entries);
    if (io_pread_all(fd, entries, count * sizeof *entries, (uint64_t)off) < 0) goto unknown;
    for (uint64_t i = 0; i < count; i++) touched[first + i] = (entries[i] >> 62) != 0; /* bit 63 present, 62 swapped */
  }
  close(fd);
  free(entries);
  return touched;
unknown:
  if (fd >= 0) close(fd);
  free(entries);
  free(touched);
  return NULL;
}
