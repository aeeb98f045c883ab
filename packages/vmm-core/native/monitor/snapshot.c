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

#define HEADER_ALIGN 0x10000ull
#define HEADER_FIXED 88u        /* bytes before the CPU state */
#define CHECKSUM_SEED_HEADER 0x4845414445525631ull
#define CHECKSUM_SEED_DATA 0x4441544152414d31ull
#define OFF_HEADER_CHECKSUM 80u

/* ---- little-endian writer/reader with bounds checks ---- */
struct buf {
  uint8_t *p;
  size_t len, pos;
  int overflow;
};

static void put(struct buf *b, const void *v, size_t n) {
  if (b->pos + n > b->len) {
    b->overflow = 1;
    return;
  }
  memcpy(b->p + b->pos, v, n);  /* x86-64 is little-endian: the host order is the file order */
  b->pos += n;
}
static void put8(struct buf *b, uint8_t v) { put(b, &v, 1); }
static void put16(struct buf *b, uint16_t v) { put(b, &v, 2); }
static void put32(struct buf *b, uint32_t v) { put(b, &v, 4); }
static void put64(struct buf *b, uint64_t v) { put(b, &v, 8); }
static void get(struct buf *b, void *v, size_t n) {
  if (b->pos + n > b->len) {
    b->overflow = 1;
    memset(v, 0, n);
    return;
  }
  memcpy(v, b->p + b->pos, n);
  b->pos += n;
}
static uint8_t get8(struct buf *b) { uint8_t v; get(b, &v, 1); return v; }
static uint16_t get16(struct buf *b) { uint16_t v; get(b, &v, 2); return v; }
static uint32_t get32(struct buf *b) { uint32_t v; get(b, &v, 4); return v; }
static uint64_t get64(struct buf *b) { uint64_t v; get(b, &v, 8); return v; }

static void put_segment(struct buf *b, const struct vmm_segment *s) {
  put64(b, s->base); put32(b, s->limit); put32(b, s->attrib); put16(b, s->selector); put16(b, 0); put32(b, 0);
}
static void get_segment(struct buf *b, struct vmm_segment *s) {
  s->base = get64(b); s->limit = get32(b); s->attrib = get32(b); s->selector = get16(b); (void)get16(b); (void)get32(b);
}

/* CPU state section: fixed order, 8 segments, then the FXSAVE-style unit. */
#define CPU_STATE_BYTES (16 * 8 + 16 + 8 * 24 + 16 + 4 + 4 + 6 * 8 + (2 + 2 + 1 + 1 + 2 + 8 + 8 + 4 + 4 + 128 + 256))
#define DEVICE_STATE_BYTES (4 + 4 + 16 + 8 * 6)

static void put_cpu(struct buf *b, const struct vmm_cpu_state *c) {
  for (int i = 0; i < GPR_COUNT; i++) put64(b, c->gpr[i]);
  put64(b, c->rip); put64(b, c->rflags);
  const struct vmm_segment *segs[] = {&c->cs, &c->ds, &c->es, &c->fs, &c->gs, &c->ss, &c->tr, &c->ldt};
  for (int i = 0; i < 8; i++) put_segment(b, segs[i]);
  put64(b, c->gdt_base); put64(b, c->idt_base); put16(b, c->gdt_limit); put16(b, c->idt_limit); put32(b, 0);
  put64(b, c->cr0); put64(b, c->cr2); put64(b, c->cr3); put64(b, c->cr4); put64(b, c->efer); put64(b, c->kernel_gs_base);
  put16(b, c->fpu.fcw); put16(b, c->fpu.fsw); put8(b, c->fpu.ftw); put8(b, 0); put16(b, c->fpu.fop);
  put64(b, c->fpu.fip); put64(b, c->fpu.fdp); put32(b, c->fpu.mxcsr); put32(b, 0);
  put(b, c->fpu.st, sizeof c->fpu.st); put(b, c->fpu.xmm, sizeof c->fpu.xmm);
}
static void get_cpu(struct buf *b, struct vmm_cpu_state *c) {
  memset(c, 0, sizeof *c);
  for (int i = 0; i < GPR_COUNT; i++) c->gpr[i] = get64(b);
  c->rip = get64(b); c->rflags = get64(b);
  struct vmm_segment *segs[] = {&c->cs, &c->ds, &c->es, &c->fs, &c->gs, &c->ss, &c->tr, &c->ldt};
  for (int i = 0; i < 8; i++) get_segment(b, segs[i]);
  c->gdt_base = get64(b); c->idt_base = get64(b); c->gdt_limit = get16(b); c->idt_limit = get16(b); (void)get32(b);
  c->cr0 = get64(b); c->cr2 = get64(b); c->cr3 = get64(b); c->cr4 = get64(b); c->efer = get64(b); c->kernel_gs_base = get64(b);
  c->fpu.fcw = get16(b); c->fpu.fsw = get16(b); c->fpu.ftw = get8(b); (void)get8(b); c->fpu.fop = get16(b);
  c->fpu.fip = get64(b); c->fpu.fdp = get64(b); c->fpu.mxcsr = get32(b); (void)get32(b);
  get(b, c->fpu.st, sizeof c->fpu.st); get(b, c->fpu.xmm, sizeof c->fpu.xmm);
}
static void put_devices(struct buf *b, const struct snapshot_devices *d) {
  put32(b, d->abi_version); put32(b, d->vmgenid_present); put(b, d->generation_id, 16);
  put64(b, d->request_gpa); put64(b, d->response_gpa); put64(b, d->mailbox_size);
  put64(b, d->console_gpa); put64(b, d->console_size); put64(b, d->tsc_khz);
}
static void get_devices(struct buf *b, struct snapshot_devices *d) {
  d->abi_version = get32(b); d->vmgenid_present = get32(b); get(b, d->generation_id, 16);
  d->request_gpa = get64(b); d->response_gpa = get64(b); d->mailbox_size = get64(b);
  d->console_gpa = get64(b); d->console_size = get64(b); d->tsc_khz = get64(b);
}

static int page_is_zero(const uint8_t *p) {
  const uint64_t *w = (const uint64_t *)(const void *)p;
  uint64_t acc = 0;
  for (size_t i = 0; i < VMM_PAGE_SIZE / 8; i++) acc |= w[i];
  return acc == 0;
}

static int pwrite_all(int fd, const void *data, size_t len, uint64_t off) {
  const uint8_t *p = data;
  while (len > 0) {
    ssize_t r = pwrite(fd, p, len, (off_t)off);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return -1;
    p += r;
    len -= (size_t)r;
    off += (uint64_t)r;
  }
  return 0;
}

static int pread_all(int fd, void *data, size_t len, uint64_t off) {
  uint8_t *p = data;
  while (len > 0) {
    ssize_t r = pread(fd, p, len, (off_t)off);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return -1;
    p += r;
    len -= (size_t)r;
    off += (uint64_t)r;
  }
  return 0;
}

int snapshot_write(const char *path, const uint8_t *ram, uint64_t ram_size, const uint8_t *touched, const struct vmm_cpu_state *cpu,
                   const struct snapshot_devices *devices, const char *accel, struct snapshot_stats *stats, char *err, size_t n) {
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

  size_t header_size = HEADER_FIXED + CPU_STATE_BYTES + DEVICE_STATE_BYTES + (size_t)count * 8;
  uint64_t mem_offset = (header_size + HEADER_ALIGN - 1) & ~(HEADER_ALIGN - 1);
  uint8_t *header = calloc(1, header_size);
  if (!header) {
    free(ext);
    snprintf(err, n, "out of memory");
    return -1;
  }
  struct buf b = {header, header_size, 0, 0};
  put(&b, SNAPSHOT_MAGIC, 8);
  put32(&b, SNAPSHOT_VERSION);
  put32(&b, (uint32_t)header_size);
  put64(&b, ram_size);
  put64(&b, mem_offset);
  put64(&b, mem_offset + ram_size);
  char acc[8] = {0};
  memcpy(acc, accel, strnlen(accel, sizeof acc));
  put(&b, acc, 8);
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  put64(&b, (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec);
  put32(&b, CPU_STATE_BYTES);
  put32(&b, DEVICE_STATE_BYTES);
  put32(&b, count);
  put32(&b, 0);
  put64(&b, checksum_final(&data_sum));
  put64(&b, 0); /* header checksum, filled below */
  put_cpu(&b, cpu);
  put_devices(&b, devices);
  for (uint32_t i = 0; i < count; i++) {
    put32(&b, ext[i].first_page);
    put32(&b, ext[i].pages);
  }
  if (b.overflow || b.pos != header_size) {
    free(ext);
    free(header);
    snprintf(err, n, "internal error: snapshot header layout (%zu of %zu bytes)", b.pos, header_size);
    return -1;
  }
  uint64_t hsum = checksum_bytes(header, header_size, CHECKSUM_SEED_HEADER);
  memcpy(header + OFF_HEADER_CHECKSUM, &hsum, 8);

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
  if (fchmod(fd, 0600) < 0 || ftruncate(fd, (off_t)(mem_offset + ram_size)) < 0 || pwrite_all(fd, header, header_size, 0) < 0) {
    snprintf(err, n, "cannot write %s: %s", tmp, strerror(errno));
    goto fail;
  }
  for (uint32_t i = 0; i < count; i++) {
    uint64_t off = (uint64_t)ext[i].first_page * VMM_PAGE_SIZE;
    if (pwrite_all(fd, ram + off, (size_t)ext[i].pages * VMM_PAGE_SIZE, mem_offset + off) < 0) {
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

#define FAIL(...)                        \
  do {                                   \
    snprintf(err, n, __VA_ARGS__);       \
    goto fail;                           \
  } while (0)

int snapshot_open(const char *path, struct snapshot *s, char *err, size_t n) {
  memset(s, 0, sizeof *s);
  s->fd = -1;
  uint8_t *header = NULL;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    snprintf(err, n, "cannot open snapshot %s: %s", path, strerror(errno));
    return -1;
  }
  struct stat st;
  if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) FAIL("snapshot %s is not a regular file", path);
  uint8_t fixed[HEADER_FIXED];
  if ((uint64_t)st.st_size < HEADER_FIXED || pread_all(fd, fixed, HEADER_FIXED, 0) < 0)
    FAIL("snapshot %s is truncated: %lld bytes, shorter than its %u-byte header", path, (long long)st.st_size, HEADER_FIXED);
  struct buf b = {fixed, HEADER_FIXED, 0, 0};
  char magic[8];
  get(&b, magic, 8);
  if (memcmp(magic, SNAPSHOT_MAGIC, 8) != 0) FAIL("%s is not a vmm-core snapshot (bad magic)", path);
  s->version = get32(&b);
  if (s->version != SNAPSHOT_VERSION) FAIL("snapshot %s has format version %u; this monitor reads version %u", path, s->version, SNAPSHOT_VERSION);
  uint32_t header_size = get32(&b);
  s->header_size = header_size;
  s->ram_size = get64(&b);
  s->mem_offset = get64(&b);
  s->file_size = get64(&b);
  get(&b, s->accel, 8);
  s->accel[8] = 0;
  s->created_ns = get64(&b);
  uint32_t cpu_bytes = get32(&b), dev_bytes = get32(&b);
  s->extent_count = get32(&b);
  (void)get32(&b);
  s->data_checksum = get64(&b);
  uint64_t header_checksum = get64(&b);
  if (cpu_bytes != CPU_STATE_BYTES || dev_bytes != DEVICE_STATE_BYTES) FAIL("snapshot %s: state sections have unexpected sizes (%u, %u)", path, cpu_bytes, dev_bytes);
  if (s->ram_size < GUEST_RAM_MIN || s->ram_size > GUEST_RAM_MAX || s->ram_size % (2ull << 20) != 0)
    FAIL("snapshot %s: RAM size %llu is not a multiple of 2 MiB between 8 MiB and 1 GiB", path, (unsigned long long)s->ram_size);
  uint64_t pages = s->ram_size / VMM_PAGE_SIZE;
  if (s->extent_count > pages / 2 + 1) FAIL("snapshot %s: %u extents cannot fit in %llu pages", path, s->extent_count, (unsigned long long)pages);
  uint64_t expect_header = HEADER_FIXED + CPU_STATE_BYTES + DEVICE_STATE_BYTES + (uint64_t)s->extent_count * 8;
  if (header_size != expect_header) FAIL("snapshot %s: header size %u does not match its %u extents", path, header_size, s->extent_count);
  if (s->mem_offset < header_size || s->mem_offset % VMM_PAGE_SIZE != 0 || s->mem_offset > (64ull << 20))
    FAIL("snapshot %s: RAM offset %llu is not page-aligned after the header", path, (unsigned long long)s->mem_offset);
  if (s->file_size != s->mem_offset + s->ram_size) FAIL("snapshot %s: recorded file size does not match its RAM size", path);
  if ((uint64_t)st.st_size < s->file_size)
    FAIL("snapshot %s is truncated: %lld bytes, expected %llu", path, (long long)st.st_size, (unsigned long long)s->file_size);
  if ((uint64_t)st.st_size > s->file_size)
    FAIL("snapshot %s has %llu unexpected trailing bytes", path, (unsigned long long)((uint64_t)st.st_size - s->file_size));

  header = malloc(header_size);
  if (!header) FAIL("out of memory");
  if (pread_all(fd, header, header_size, 0) < 0) FAIL("cannot read snapshot %s: %s", path, strerror(errno));
  memset(header + OFF_HEADER_CHECKSUM, 0, 8);
  if (checksum_bytes(header, header_size, CHECKSUM_SEED_HEADER) != header_checksum) FAIL("snapshot %s is corrupted: header checksum mismatch", path);
  b = (struct buf){header, header_size, HEADER_FIXED, 0};
  get_cpu(&b, &s->cpu);
  get_devices(&b, &s->devices);
  s->extents = calloc(s->extent_count ? s->extent_count : 1, sizeof *s->extents);
  if (!s->extents) FAIL("out of memory");
  uint64_t next = 0;
  for (uint32_t i = 0; i < s->extent_count; i++) {
    s->extents[i].first_page = get32(&b);
    s->extents[i].pages = get32(&b);
    uint64_t first = s->extents[i].first_page, cnt = s->extents[i].pages;
    if (cnt == 0 || first < next || first + cnt > pages) FAIL("snapshot %s: extent %u is out of order or out of range", path, i);
    next = first + cnt;
  }
  if (b.overflow) FAIL("snapshot %s: header is shorter than its contents", path);
  if (s->devices.abi_version != VMM_ABI_VERSION || s->devices.request_gpa != VMM_GPA_REQUEST || s->devices.response_gpa != VMM_GPA_RESPONSE ||
      s->devices.mailbox_size != VMM_MAILBOX_SIZE || s->devices.console_gpa != VMM_GPA_CONSOLE || s->devices.console_size != VMM_CONSOLE_SIZE)
    FAIL("snapshot %s was taken with guest ABI %u and a different device layout; this monitor speaks ABI %u", path,
         s->devices.abi_version, VMM_ABI_VERSION);
  if (s->cpu.cr3 != VMM_GPA_PML4 || s->cpu.gdt_base != VMM_GPA_GDT) FAIL("snapshot %s: CPU state does not match vmm-core's machine layout", path);
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
    if (pread_all(s->fd, buf, chunk, a) < 0) {
      snprintf(err, n, "cannot read snapshot: %s", strerror(errno));
      return -1;
    }
    for (size_t i = 0; i < chunk; i++) {
      if (buf[i]) {
        snprintf(err, n, "snapshot is corrupted: non-zero data at offset %llu, outside the header and the recorded RAM extents",
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
  uint64_t end = s->file_size;
  uint32_t e = 0;
  off_t pos = (off_t)s->header_size;
  while ((uint64_t)pos < end) {
    off_t data = lseek(s->fd, pos, SEEK_DATA);
    if (data < 0) {
      if (errno == ENXIO) return 0;
      snprintf(err, n, "cannot scan snapshot: %s", strerror(errno));
      return -1;
    }
    off_t hole = lseek(s->fd, data, SEEK_HOLE);
    if (hole < 0 || (uint64_t)hole > end) hole = (off_t)end;
    uint64_t a = (uint64_t)data, z = (uint64_t)hole;
    while (a < z) {
      uint64_t run_end;
      if (a < s->mem_offset) {
        /* Padding between the header and RAM. */
        run_end = s->mem_offset < z ? s->mem_offset : z;
      } else {
        uint64_t page = (a - s->mem_offset) / VMM_PAGE_SIZE;
        while (e < s->extent_count && (uint64_t)s->extents[e].first_page + s->extents[e].pages <= page) e++;
        if (e < s->extent_count && s->extents[e].first_page <= page) {
          run_end = s->mem_offset + ((uint64_t)s->extents[e].first_page + s->extents[e].pages) * VMM_PAGE_SIZE;
          a = run_end < z ? run_end : z;
          continue;
        }
        run_end = e < s->extent_count ? s->mem_offset + (uint64_t)s->extents[e].first_page * VMM_PAGE_SIZE : end;
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
  int reuse = kind == GUEST_MEMORY_COPY && m->ram != NULL && m->size == s->ram_size && m->kind == GUEST_MEMORY_COPY;
  if (!reuse) memset(m, 0, sizeof *m);
  if (kind == GUEST_MEMORY_COW) {
    if (guest_memory_map_file(m, s->fd, s->mem_offset, s->ram_size, err, n) < 0) return -1;
  } else {
    if (!reuse && guest_memory_anon_huge(m, s->ram_size, err, n) < 0) return -1;
    for (uint32_t i = 0; i < s->extent_count; i++) {
      uint64_t off = (uint64_t)s->extents[i].first_page * VMM_PAGE_SIZE;
      if (pread_all(s->fd, m->ram + off, (size_t)s->extents[i].pages * VMM_PAGE_SIZE, s->mem_offset + off) < 0) {
        snprintf(err, n, "cannot read snapshot RAM: %s", strerror(errno));
        guest_memory_release(m);
        return -1;
      }
    }
  }
  struct checksum c;
  checksum_init(&c, CHECKSUM_SEED_DATA);
  for (uint32_t i = 0; verify_data && i < s->extent_count; i++) {
    uint64_t off = (uint64_t)s->extents[i].first_page * VMM_PAGE_SIZE;
    checksum_update(&c, m->ram + off, (size_t)s->extents[i].pages * VMM_PAGE_SIZE);
  }
  if (verify_data && checksum_final(&c) != s->data_checksum) {
    snprintf(err, n, "snapshot is corrupted: RAM checksum mismatch");
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
