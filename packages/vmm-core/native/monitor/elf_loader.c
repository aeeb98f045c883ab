#include "elf_loader.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io.h"

#define MAX_ELF_SIZE (256u << 20)

static int read_file(const char *path, uint8_t **data, size_t *size, char *err, size_t n) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    snprintf(err, n, "cannot open guest image %s: %s", path, strerror(errno));
    return -1;
  }
  struct stat st;
  if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 || (uint64_t)st.st_size > MAX_ELF_SIZE) {
    snprintf(err, n, "guest image %s is not a regular file of 1 byte to 256 MiB", path);
    close(fd);
    return -1;
  }
  uint8_t *buf = malloc((size_t)st.st_size);
  if (!buf) {
    snprintf(err, n, "out of memory reading %s", path);
    close(fd);
    return -1;
  }
  if (io_pread_all(fd, buf, (size_t)st.st_size, 0) < 0) {
    snprintf(err, n, "cannot read guest image %s: %s", path, io_strerror(errno));
    free(buf);
    close(fd);
    return -1;
  }
  close(fd);
  *data = buf;
  *size = (size_t)st.st_size;
  return 0;
}

int elf_load(const char *path, uint8_t *ram, uint64_t min_addr, uint64_t max_addr, struct elf_image *out, char *err, size_t n) {
  uint8_t *data;
  size_t size;
  if (read_file(path, &data, &size, err, n) < 0) return -1;
  int rc = -1;
  Elf64_Ehdr eh;
  if (size < sizeof eh) {
    snprintf(err, n, "%s: too small for an ELF header", path);
    goto out;
  }
  memcpy(&eh, data, sizeof eh);
  if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
      eh.e_machine != EM_X86_64 || eh.e_type != ET_EXEC) {
    snprintf(err, n, "%s: not a static x86-64 ELF executable", path);
    goto out;
  }
  if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0 || eh.e_phnum > 64 || eh.e_phoff > size ||
      (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr) > size - eh.e_phoff) {
    snprintf(err, n, "%s: program headers out of bounds", path);
    goto out;
  }
  uint64_t end = 0;
  int entry_ok = 0;
  for (unsigned i = 0; i < eh.e_phnum; i++) {
    Elf64_Phdr ph;
    memcpy(&ph, data + eh.e_phoff + (uint64_t)i * sizeof ph, sizeof ph);
    if (ph.p_type != PT_LOAD || ph.p_memsz == 0) continue;
    if (ph.p_filesz > ph.p_memsz || ph.p_offset > size || ph.p_filesz > size - ph.p_offset || ph.p_vaddr < min_addr ||
        ph.p_memsz > max_addr - min_addr || ph.p_vaddr > max_addr - ph.p_memsz) {
      snprintf(err, n, "%s: segment %u (vaddr 0x%llx, size 0x%llx) is outside guest memory [0x%llx, 0x%llx)", path, i, (unsigned long long)ph.p_vaddr,
               (unsigned long long)ph.p_memsz, (unsigned long long)min_addr, (unsigned long long)max_addr);
      goto out;
    }
    memcpy(ram + ph.p_vaddr, data + ph.p_offset, ph.p_filesz);
    memset(ram + ph.p_vaddr + ph.p_filesz, 0, ph.p_memsz - ph.p_filesz);
    if (ph.p_vaddr + ph.p_memsz > end) end = ph.p_vaddr + ph.p_memsz;
    if ((ph.p_flags & PF_X) && eh.e_entry >= ph.p_vaddr && eh.e_entry < ph.p_vaddr + ph.p_memsz) entry_ok = 1;
  }
  if (!entry_ok) {
    snprintf(err, n, "%s: entry point 0x%llx is not in an executable segment", path, (unsigned long long)eh.e_entry);
    goto out;
  }
  out->entry = eh.e_entry;
  out->end = end;
  rc = 0;
out:
  free(data);
  return rc;
}
