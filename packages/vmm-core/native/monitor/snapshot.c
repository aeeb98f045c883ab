/*
 * Writes and reads the snapshot file from the section field lists (header and extents here, CPU in
 * cpu_state.c, devices in devices/devices.c): atomic write beside the target, and a reader that
 * checks sizes, checksums, extents, holes and device state before any byte reaches a guest.
 * Called by vm.c's snapshot, reserve and restore. See docs/vmm.md, "Snapshot file" and "Compatibility".
 */
#include "snapshot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../abi/vmm_abi.h"
#include "checksum.h"
#include "io.h"
#include "snapshot_fields.h"

#define HEADER_ALIGN         0x10000ull
#define CHECKSUM_SEED_HEADER 0x4845414445525631ull
#define CHECKSUM_SEED_DATA   0x4441544152414d31ull

#define HEADER(name, member) SNAPSHOT_FIELD(struct snapshot_header, name, member)
static const struct snapshot_field header_fields[] = {
    HEADER("magic", magic),
    HEADER("version", version),
    HEADER("header_size", header_size),
    HEADER("ram_size", ram_size),
    HEADER("mem_offset", mem_offset),
    HEADER("file_size", file_size),
    HEADER("accelerator", accelerator),
    HEADER("created_ns", created_ns),
    HEADER("cpu_bytes", cpu_bytes),
    HEADER("device_bytes", device_bytes),
    HEADER("extent_count", extent_count),
    SNAPSHOT_RESERVED(4),
    HEADER("data_checksum", data_checksum),
    HEADER("header_checksum", header_checksum),
};
static const struct snapshot_section header_section = SNAPSHOT_SECTION("header", header_fields);

static const struct snapshot_field extent_fields[] = {
    SNAPSHOT_FIELD(struct snapshot_extent, "first_page", first_page),
    SNAPSHOT_FIELD(struct snapshot_extent, "pages", pages),
};
static const struct snapshot_section extent_section = SNAPSHOT_SECTION("extent", extent_fields);

/* Sizes and offsets, all derived from the field lists. */
static size_t header_bytes(void) { return snapshot_section_size(&header_section); }
static size_t cpu_bytes(void) { return snapshot_section_size(&cpu_state_section); }
static size_t extent_bytes(void) { return snapshot_section_size(&extent_section); }
static size_t total_header_bytes(uint64_t extents) {
  return header_bytes() + cpu_bytes() + devices_section_size() + (size_t)extents * extent_bytes();
}
static size_t header_checksum_offset(void) { return snapshot_section_offset_of(&header_section, "header_checksum"); }

void snapshot_layout_json(FILE *out) {
  int first = 1;
  size_t at = 0;
  fprintf(out, "{\"version\":%u,\"magic\":\"%s\",\"headerAlign\":%llu,\"fields\":{", SNAPSHOT_VERSION, SNAPSHOT_MAGIC,
          (unsigned long long)HEADER_ALIGN);
  snapshot_section_json(out, &header_section, "header.", at, &first);
  at += header_bytes();
  snapshot_section_json(out, &cpu_state_section, "cpu.", at, &first);
  at += cpu_bytes();
  devices_json(out, at, &first);
  at += devices_section_size();
  fprintf(out, "},\"extents\":{\"offset\":%zu,\"size\":%zu,\"fields\":{", at, extent_bytes());
  first = 1;
  snapshot_section_json(out, &extent_section, "", 0, &first);
  fprintf(out, "}}}\n");
}

static int page_is_zero(const uint8_t *p) {
  const uint64_t *w = (const uint64_t *)(const void *)p;
  uint64_t acc = 0;
  for (size_t i = 0; i < VMM_PAGE_SIZE / 8; i++) acc |= w[i];
  return acc == 0;
}

int snapshot_write(const char *path, const uint8_t *ram, uint64_t ram_size, const uint8_t *touched, const struct vmm_cpu_state *cpu,
                   const struct device_states *devices, const char *accel, struct snapshot_stats *stats, char *err, size_t n) {
  uint64_t pages = ram_size / VMM_PAGE_SIZE;
  struct snapshot_extent *ext = NULL;
  uint32_t count = 0, cap = 0;
  struct checksum data_sum;
  checksum_init(&data_sum, CHECKSUM_SEED_DATA);
  uint64_t data_pages = 0;
  for (uint64_t pg = 0; pg < pages; pg++) {
    const uint8_t *p = ram + pg * VMM_PAGE_SIZE;
    if ((touched && !touched[pg]) || page_is_zero(p)) continue;
    checksum_update(&data_sum, p, VMM_PAGE_SIZE);
    data_pages++;
    if (count > 0 && ext[count - 1].first_page + ext[count - 1].pages == pg) {
      ext[count - 1].pages++;
      continue;
    }
    if (count == cap) {
      cap = cap ? cap * 2 : 256;
      struct snapshot_extent *grown = realloc(ext, cap * sizeof *ext);
      if (!grown) {
        free(ext);
        snprintf(err, n, "out of memory");
        return -1;
      }
      ext = grown;
    }
    ext[count].first_page = (uint32_t)pg;
    ext[count].pages = 1;
    count++;
  }

  size_t header_size = total_header_bytes(count);
  uint64_t mem_offset = (header_size + HEADER_ALIGN - 1) & ~(HEADER_ALIGN - 1);
  uint8_t *header = calloc(1, header_size);
  if (!header) {
    free(ext);
    snprintf(err, n, "out of memory");
    return -1;
  }
  struct snapshot_header h;
  memset(&h, 0, sizeof h);
  memcpy(h.magic, SNAPSHOT_MAGIC, sizeof h.magic);
  h.version = SNAPSHOT_VERSION;
  h.header_size = (uint32_t)header_size;
  h.ram_size = ram_size;
  h.mem_offset = mem_offset;
  h.file_size = mem_offset + ram_size;
  memcpy(h.accelerator, accel, strnlen(accel, sizeof h.accelerator));
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  h.created_ns = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
  h.cpu_bytes = (uint32_t)cpu_bytes();
  h.device_bytes = (uint32_t)devices_section_size();
  h.extent_count = count;
  h.data_checksum = checksum_final(&data_sum);
  h.header_checksum = 0; /* filled below, over the whole header */
  struct snapshot_buf b = {header, header_size, 0, 0};
  snapshot_section_put(&b, &header_section, &h);
  snapshot_section_put(&b, &cpu_state_section, cpu);
  devices_put(&b, devices);
  for (uint32_t i = 0; i < count; i++) snapshot_section_put(&b, &extent_section, &ext[i]);
  if (b.overflow || b.pos != header_size) {
    free(ext);
    free(header);
    snprintf(err, n, "internal error: snapshot header layout (%zu of %zu bytes)", b.pos, header_size);
    return -1;
  }
  uint64_t hsum = checksum_bytes(header, header_size, CHECKSUM_SEED_HEADER);
  memcpy(header + header_checksum_offset(), &hsum, sizeof hsum);

  /* Written beside the target and renamed into place: a reader never sees half a snapshot. */
  size_t plen = strlen(path);
  char *tmp = malloc(plen + 16);
  if (!tmp) {
    free(ext);
    free(header);
    snprintf(err, n, "out of memory");
    return -1;
  }
  snprintf(tmp, plen + 16, "%s.partial", path);
  int rc = -1;
  int fd = open(tmp, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0) {
    snprintf(err, n, "cannot create %s: %s", tmp, strerror(errno));
    goto out;
  }
  if (fchmod(fd, 0600) < 0 || ftruncate(fd, (off_t)(mem_offset + ram_size)) < 0 || io_pwrite_all(fd, header, header_size, 0) < 0) {
    snprintf(err, n, "cannot write %s: %s", tmp, strerror(errno));
    goto fail;
  }
  for (uint32_t i = 0; i < count; i++) {
    uint64_t off = (uint64_t)ext[i].first_page * VMM_PAGE_SIZE;
    if (io_pwrite_all(fd, ram + off, (size_t)ext[i].pages * VMM_PAGE_SIZE, mem_offset + off) < 0) {
      snprintf(err, n, "cannot write %s: %s", tmp, strerror(errno));
      goto fail;
    }
  }
  if (close(fd) < 0) {
    fd = -1;
    snprintf(err, n, "cannot write %s: %s", tmp, strerror(errno));
    goto fail;
  }
  fd = -1;
  if (rename(tmp, path) < 0) {
    snprintf(err, n, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
    goto fail;
  }
  stats->file_bytes = mem_offset + ram_size;
  stats->data_bytes = data_pages * VMM_PAGE_SIZE;
  stats->extents = count;
  rc = 0;
  goto out;
fail:
  if (fd >= 0) close(fd);
  unlink(tmp);
out:
  free(tmp);
  free(ext);
  free(header);
  return rc;
}

#define FAIL(...)                  \
  do {                             \
    snprintf(err, n, __VA_ARGS__); \
    goto fail;                     \
  } while (0)

int snapshot_open(const char *path, struct snapshot *s, char *err, size_t n) {
  memset(s, 0, sizeof *s);
  s->fd = -1;
  s->path = path;
  uint8_t *header = NULL;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    snprintf(err, n, "cannot open snapshot %s: %s", path, strerror(errno));
    return -1;
  }
  struct stat st;
  if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) FAIL("snapshot %s is not a regular file", path);
  uint8_t fixed[128];
  size_t fixed_len = header_bytes();
  if (fixed_len > sizeof fixed) FAIL("internal error: header section of %zu bytes", fixed_len);
  if ((uint64_t)st.st_size < fixed_len || io_pread_all(fd, fixed, fixed_len, 0) < 0)
    FAIL("snapshot %s is truncated: %lld bytes, shorter than its %zu-byte header", path, (long long)st.st_size, fixed_len);
  struct snapshot_buf b = {fixed, fixed_len, 0, 0};
  struct snapshot_header *h = &s->header;
  int bad_reserved = 0;
  snapshot_section_get(&b, &header_section, h, &bad_reserved);
  if (memcmp(h->magic, SNAPSHOT_MAGIC, sizeof h->magic) != 0) FAIL("%s is not a vmm-core snapshot (bad magic)", path);
  if (h->version != SNAPSHOT_VERSION)
    FAIL("snapshot %s has format version %u; this monitor reads version %u only (take the snapshot again with this monitor)", path, h->version,
         SNAPSHOT_VERSION);
  if (h->cpu_bytes != cpu_bytes() || h->device_bytes != devices_section_size())
    FAIL("snapshot %s: state sections have unexpected sizes (%u, %u; expected %zu, %zu)", path, h->cpu_bytes, h->device_bytes, cpu_bytes(),
         devices_section_size());
  if (h->ram_size < GUEST_RAM_MIN || h->ram_size > GUEST_RAM_MAX || h->ram_size % (2ull << 20) != 0)
    FAIL("snapshot %s: RAM size %llu is not a multiple of 2 MiB between 8 MiB and 1 GiB", path, (unsigned long long)h->ram_size);
  uint64_t pages = h->ram_size / VMM_PAGE_SIZE;
  if (h->extent_count > pages / 2 + 1) FAIL("snapshot %s: %u extents cannot fit in %llu pages", path, h->extent_count, (unsigned long long)pages);
  if (h->header_size != total_header_bytes(h->extent_count))
    FAIL("snapshot %s: header size %u does not match its %u extents", path, h->header_size, h->extent_count);
  if (h->mem_offset < h->header_size || h->mem_offset % VMM_PAGE_SIZE != 0 || h->mem_offset > (64ull << 20))
    FAIL("snapshot %s: RAM offset %llu is not page-aligned after the header", path, (unsigned long long)h->mem_offset);
  if (h->file_size != h->mem_offset + h->ram_size) FAIL("snapshot %s: recorded file size does not match its RAM size", path);
  if ((uint64_t)st.st_size < h->file_size)
    FAIL("snapshot %s is truncated: %lld bytes, expected %llu", path, (long long)st.st_size, (unsigned long long)h->file_size);
  if ((uint64_t)st.st_size > h->file_size)
    FAIL("snapshot %s has %llu unexpected trailing bytes", path, (unsigned long long)((uint64_t)st.st_size - h->file_size));

  header = malloc(h->header_size);
  if (!header) FAIL("out of memory");
  if (io_pread_all(fd, header, h->header_size, 0) < 0) FAIL("cannot read snapshot %s: %s", path, io_strerror(errno));
  memset(header + header_checksum_offset(), 0, sizeof h->header_checksum);
  if (checksum_bytes(header, h->header_size, CHECKSUM_SEED_HEADER) != h->header_checksum)
    FAIL("snapshot %s is corrupted: header checksum mismatch", path);
  b = (struct snapshot_buf){header, h->header_size, fixed_len, 0};
  snapshot_section_get(&b, &cpu_state_section, &s->cpu, &bad_reserved);
  devices_get(&b, &s->devices, &bad_reserved);
  s->extents = calloc(h->extent_count ? h->extent_count : 1, sizeof *s->extents);
  if (!s->extents) FAIL("out of memory");
  uint64_t next = 0;
  for (uint32_t i = 0; i < h->extent_count; i++) {
    snapshot_section_get(&b, &extent_section, &s->extents[i], &bad_reserved);
    uint64_t first = s->extents[i].first_page, cnt = s->extents[i].pages;
    if (cnt == 0 || first < next || first + cnt > pages) FAIL("snapshot %s: extent %u is out of order or out of range", path, i);
    next = first + cnt;
  }
  if (b.overflow) FAIL("snapshot %s: header is shorter than its contents", path);
  if (bad_reserved) FAIL("snapshot %s: reserved header bytes are not zero", path);
  char why[240];
  if (devices_check(&s->devices, why, sizeof why) < 0) FAIL("snapshot %s: %s", path, why);
  free(header);
  s->fd = fd;
  return 0;
fail:
  free(header);
  free(s->extents);
  s->extents = NULL;
  close(fd);
  return -1;
}

/* Data the filesystem holds outside the header and the recorded extents must be zeros:
 * otherwise a flipped byte in a hole would reach the guest unchecked. Walks the file's data
 * regions with SEEK_DATA/SEEK_HOLE (filesystems without hole support report everything as
 * data, which is then read and checked: slower, still correct). The padding between the header
 * and RAM counts as a page of "no extent" in this walk. */
static int verify_zero_range(const struct snapshot *s, uint64_t a, uint64_t z, uint8_t *buf, size_t cap, char *err, size_t n) {
  while (a < z) {
    size_t chunk = (size_t)(z - a < cap ? z - a : cap);
    if (io_pread_all(s->fd, buf, chunk, a) < 0) {
      snprintf(err, n, "cannot read snapshot %s: %s", s->path, io_strerror(errno));
      return -1;
    }
    for (size_t i = 0; i < chunk; i++) {
      if (buf[i]) {
        snprintf(err, n, "snapshot %s is corrupted: non-zero data at offset %llu, outside the header and the recorded RAM extents", s->path,
                 (unsigned long long)(a + i));
        return -1;
      }
    }
    a += chunk;
  }
  return 0;
}

static int verify_holes(const struct snapshot *s, char *err, size_t n) {
  static uint8_t zero_check[64 * 1024];
  uint64_t end = s->header.file_size;
  uint32_t e = 0;
  off_t pos = (off_t)s->header.header_size;
  while ((uint64_t)pos < end) {
    off_t data = lseek(s->fd, pos, SEEK_DATA);
    if (data < 0) {
      if (errno == ENXIO) return 0;
      snprintf(err, n, "cannot scan snapshot %s: %s", s->path, strerror(errno));
      return -1;
    }
    off_t hole = lseek(s->fd, data, SEEK_HOLE);
    if (hole < 0 || (uint64_t)hole > end) hole = (off_t)end;
    uint64_t a = (uint64_t)data, z = (uint64_t)hole;
    while (a < z) {
      uint64_t run_end;
      if (a < s->header.mem_offset) {
        /* Padding between the header and RAM. */
        run_end = s->header.mem_offset < z ? s->header.mem_offset : z;
      } else {
        uint64_t page = (a - s->header.mem_offset) / VMM_PAGE_SIZE;
        while (e < s->header.extent_count && (uint64_t)s->extents[e].first_page + s->extents[e].pages <= page) e++;
        if (e < s->header.extent_count && s->extents[e].first_page <= page) {
          run_end = s->header.mem_offset + ((uint64_t)s->extents[e].first_page + s->extents[e].pages) * VMM_PAGE_SIZE;
          a = run_end < z ? run_end : z;
          continue;
        }
        run_end = e < s->header.extent_count ? s->header.mem_offset + (uint64_t)s->extents[e].first_page * VMM_PAGE_SIZE : end;
        if (run_end > z) run_end = z;
      }
      if (verify_zero_range(s, a, run_end, zero_check, sizeof zero_check, err, n) < 0) return -1;
      a = run_end;
    }
    pos = hole;
  }
  return 0;
}

int snapshot_load_memory(struct snapshot *s, enum guest_memory_kind kind, int verify_data, struct guest_memory *m, char *err, size_t n) {
  /* Reserved RAM (never used, so all zeros) of the right size is filled in place. */
  int reuse = kind == GUEST_MEMORY_COPY && m->ram != NULL && m->size == s->header.ram_size && m->kind == GUEST_MEMORY_COPY;
  if (!reuse) memset(m, 0, sizeof *m);
  if (kind == GUEST_MEMORY_COW) {
    if (guest_memory_map_file(m, s->fd, s->header.mem_offset, s->header.ram_size, err, n) < 0) return -1;
  } else {
    if (!reuse && guest_memory_anon_huge(m, s->header.ram_size, err, n) < 0) return -1;
    for (uint32_t i = 0; i < s->header.extent_count; i++) {
      uint64_t off = (uint64_t)s->extents[i].first_page * VMM_PAGE_SIZE;
      if (io_pread_all(s->fd, m->ram + off, (size_t)s->extents[i].pages * VMM_PAGE_SIZE, s->header.mem_offset + off) < 0) {
        snprintf(err, n, "cannot read the RAM of snapshot %s: %s", s->path, io_strerror(errno));
        guest_memory_release(m);
        return -1;
      }
    }
  }
  struct checksum c;
  checksum_init(&c, CHECKSUM_SEED_DATA);
  for (uint32_t i = 0; verify_data && i < s->header.extent_count; i++) {
    uint64_t off = (uint64_t)s->extents[i].first_page * VMM_PAGE_SIZE;
    checksum_update(&c, m->ram + off, (size_t)s->extents[i].pages * VMM_PAGE_SIZE);
  }
  if (verify_data && checksum_final(&c) != s->header.data_checksum) {
    snprintf(err, n, "snapshot %s is corrupted: RAM checksum mismatch", s->path);
    guest_memory_release(m);
    return -1;
  }
  if (verify_holes(s, err, n) < 0) {
    guest_memory_release(m);
    return -1;
  }
  return 0;
}

void snapshot_close(struct snapshot *s) {
  if (s->fd >= 0) close(s->fd);
  s->fd = -1;
  free(s->extents);
  s->extents = NULL;
}
