/*
 * The snapshot file: one versioned, accelerator-neutral file per snapshot.
 *
 *   [0, header_size)        header: magic, version, sizes, checksums, the architectural vCPU
 *                           state, device state and the list of non-zero RAM extents
 *   [mem_offset, +ram_size) guest RAM, page-aligned so it can be mmapped; all-zero pages are
 *                           holes, so the file is sparse
 *
 * Every field is written explicitly in little-endian order (no struct images), so the format
 * does not depend on compiler padding. See docs/vmm.md for the field table.
 */
#ifndef VMM_SNAPSHOT_H
#define VMM_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include "cpu_state.h"
#include "memory.h"

#define SNAPSHOT_MAGIC "VMMCSNAP"
#define SNAPSHOT_VERSION 1u

struct snapshot_devices {
  uint32_t abi_version;
  uint32_t vmgenid_present;
  uint8_t generation_id[16];
  uint64_t request_gpa, response_gpa, mailbox_size;
  uint64_t console_gpa, console_size;
  uint64_t tsc_khz;
};

struct snapshot_extent {
  uint32_t first_page;
  uint32_t pages;
};

struct snapshot {
  int fd;
  uint32_t version;
  uint32_t header_size;
  uint64_t ram_size, mem_offset, file_size;
  char accel[9];
  uint64_t created_ns;
  uint64_t data_checksum;
  struct vmm_cpu_state cpu;
  struct snapshot_devices devices;
  struct snapshot_extent *extents;
  uint32_t extent_count;
};

struct snapshot_stats {
  uint64_t file_bytes;   /* apparent size */
  uint64_t data_bytes;   /* non-zero RAM written */
  uint32_t extents;
};

/* `touched`, when not NULL, has one byte per RAM page: 0 = known to be zero (never touched),
 * so the writer need not read it. */
int snapshot_write(const char *path, const uint8_t *ram, uint64_t ram_size, const uint8_t *touched, const struct vmm_cpu_state *cpu,
                   const struct snapshot_devices *devices, const char *accel, struct snapshot_stats *stats, char *err, size_t err_len);

/* Opens and validates the header (magic, version, sizes, checksum, extents, file length).
 * Any problem is a clear message, never a crash. */
int snapshot_open(const char *path, struct snapshot *s, char *err, size_t err_len);
/* Builds guest RAM from the file (COW mapping or copy), verifying that nothing but zeros lies
 * outside the recorded extents and, when `verify_data`, the RAM checksum. With `copy`, RAM
 * already in `m` (reserved, untouched, of the snapshot's size) is filled in place. */
int snapshot_load_memory(struct snapshot *s, enum guest_memory_kind kind, int verify_data, struct guest_memory *m, char *err, size_t err_len);
void snapshot_close(struct snapshot *s);

#endif
