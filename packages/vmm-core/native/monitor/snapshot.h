/*
 * The snapshot file: one versioned, accelerator-neutral file per snapshot, written by
 * `vm_snapshot` at a READY/RESULT exit and read by `vm_restore` and `vm_reserve`.
 *
 *   [0, header_size)        the header section, the CPU section (cpu_state.c), the device
 *                           section (devices/devices.c) and the list of non-zero RAM extents
 *   [mem_offset, +ram_size) guest RAM, page-aligned so it can be mmapped; all-zero pages are
 *                           holes, so the file is sparse
 *
 * Every section is a field list (snapshot_fields.h) that generates its writer, reader, size and
 * the layout `vmm-monitor --snapshot-layout` prints. docs/vmm.md: "Snapshot file", "Compatibility".
 */
#ifndef VMM_SNAPSHOT_H
#define VMM_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cpu_state.h"
#include "devices/devices.h"
#include "memory.h"

#define SNAPSHOT_MAGIC "VMMCSNAP"
/* Bumped on any change to a section's field list (see docs/vmm.md, "Compatibility"). */
#define SNAPSHOT_VERSION 1u

/* The fixed header section, in file order (its field list is in snapshot.c). */
struct snapshot_header {
  char magic[8];
  uint32_t version;
  uint32_t header_size;
  uint64_t ram_size, mem_offset, file_size;
  char accelerator[8]; /* NUL-padded name of the accelerator the snapshot was taken on */
  uint64_t created_ns;
  uint32_t cpu_bytes, device_bytes, extent_count;
  uint64_t data_checksum, header_checksum;
};

struct snapshot_extent {
  uint32_t first_page;
  uint32_t pages;
};

struct snapshot {
  int fd;
  const char *path; /* the caller's string, for messages */
  struct snapshot_header header;
  struct vmm_cpu_state cpu;
  struct device_states devices;
  struct snapshot_extent *extents;
};

struct snapshot_stats {
  uint64_t file_bytes; /* apparent size */
  uint64_t data_bytes; /* non-zero RAM written */
  uint32_t extents;
};

/* `touched`, when not NULL, has one byte per RAM page: 0 = known to be zero (never touched),
 * so the writer need not read it. */
int snapshot_write(const char *path, const uint8_t *ram, uint64_t ram_size, const uint8_t *touched, const struct vmm_cpu_state *cpu,
                   const struct device_states *devices, const char *accel, struct snapshot_stats *stats, char *err, size_t err_len);

/* Opens and validates the header (magic, version, sizes, checksum, extents, file length, device
 * state). The CPU state is checked by the caller (x86_check_restore_state). Any problem is a
 * clear message naming the file, never a crash. */
int snapshot_open(const char *path, struct snapshot *s, char *err, size_t err_len);
/* Builds guest RAM from the file (COW mapping or copy), verifying that nothing but zeros lies
 * outside the recorded extents and, when `verify_data`, the RAM checksum. With `copy`, RAM
 * already in `m` (reserved, untouched, of the snapshot's size) is filled in place. */
int snapshot_load_memory(struct snapshot *s, enum guest_memory_kind kind, int verify_data, struct guest_memory *m, char *err, size_t err_len);
void snapshot_close(struct snapshot *s);

/* One JSON line: every field's offset and size, generated from the field lists (for tests). */
void snapshot_layout_json(FILE *out);

#endif
