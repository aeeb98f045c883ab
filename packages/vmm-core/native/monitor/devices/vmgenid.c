#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "../../abi/vmm_abi.h"
#include "../io.h"
#include "devices.h"

int vmgenid_parse_mode(const char *s, enum vmgenid_mode *mode) {
  if (strcmp(s, "fresh") == 0)
    *mode = VMGENID_FRESH;
  else if (strcmp(s, "same") == 0)
    *mode = VMGENID_SAME;
  else if (strcmp(s, "none") == 0)
    *mode = VMGENID_NONE;
  else
    return -1;
  return 0;
}

static int host_random(void *buf, size_t len, char *err, size_t n) {
  if (io_random(buf, len) == 0) return 0;
  snprintf(err, n, "getrandom: %s", strerror(errno));
  return -1;
}

static int write_fresh(uint8_t *ram, char *err, size_t n) {
  struct vmm_vmgenid g;
  memset(&g, 0, sizeof g);
  if (host_random(g.generation_id, sizeof g.generation_id, err, n) < 0 || host_random(g.host_seed, sizeof g.host_seed, err, n) < 0) return -1;
  g.present = 1;
  memcpy(ram + VMM_GPA_VMGENID, &g, sizeof g);
  return 0;
}

int vmgenid_boot(uint8_t *ram, char *err, size_t n) { return write_fresh(ram, err, n); }

int vmgenid_restore(uint8_t *ram, enum vmgenid_mode mode, char *err, size_t n) {
  switch (mode) {
    case VMGENID_FRESH: return write_fresh(ram, err, n);
    case VMGENID_SAME: return 0;
    case VMGENID_NONE: {
      uint32_t absent = 0;
      memcpy(ram + VMM_GPA_VMGENID + offsetof(struct vmm_vmgenid, present), &absent, sizeof absent);
      return 0;
    }
  }
  return 0;
}

/* Saved for the record (a restore writes a fresh ID or keeps the one in RAM); any value is valid. */
static void save(const struct device_host *h, void *state) {
  struct vmgenid_state *s = state;
  struct vmm_vmgenid g;
  memcpy(&g, h->ram + VMM_GPA_VMGENID, sizeof g);
  memcpy(s->generation_id, g.generation_id, sizeof s->generation_id);
  s->present = g.present;
}

static int check(const void *state, char *why, size_t n) {
  const struct vmgenid_state *s = state;
  if (s->present > 1) {
    snprintf(why, n, "vmgenid 'present' is %u, not 0 or 1", s->present);
    return -1;
  }
  return 0;
}

static const struct snapshot_field fields[] = {
    SNAPSHOT_FIELD(struct vmgenid_state, "present", present),
    SNAPSHOT_FIELD(struct vmgenid_state, "generation_id", generation_id),
};
static const struct snapshot_section section = SNAPSHOT_SECTION("vmgenid", fields);
const struct device_snapshot vmgenid_snapshot = {&section, save, check};
