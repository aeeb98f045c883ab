/* Loads a static x86-64 ELF executable into guest RAM, checking every offset and size. */
#ifndef VMM_ELF_LOADER_H
#define VMM_ELF_LOADER_H

#include <stddef.h>
#include <stdint.h>

struct elf_image {
  uint64_t entry;
  uint64_t end; /* first byte after the highest loaded segment */
};

/* Segments must lie in [min_addr, max_addr). 0 on success, else -1 with a message. */
int elf_load(const char *path, uint8_t *ram, uint64_t min_addr, uint64_t max_addr, struct elf_image *out, char *err, size_t err_len);

#endif
