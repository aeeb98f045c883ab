/* The snapshot's device section: each device's state, in file order. A new device appends a
 * line here (and bumps the snapshot version: see docs/vmm.md, "Compatibility"). */
#include <stdio.h>
#include <string.h>

#include "../../abi/vmm_abi.h"
#include "devices.h"

/* The guest ABI the snapshot's guest was built against. */
static void abi_save(const struct device_host *h, void *state) {
  (void)h;
  ((struct abi_state *)state)->version = VMM_ABI_VERSION;
}

static int abi_check(const void *state, char *why, size_t n) {
  uint32_t v = ((const struct abi_state *)state)->version;
  if (v == VMM_ABI_VERSION) return 0;
  snprintf(why, n, "taken with guest ABI %u; this monitor speaks ABI %u", v, VMM_ABI_VERSION);
  return -1;
}

static const struct snapshot_field abi_fields[] = {SNAPSHOT_FIELD(struct abi_state, "version", version)};
static const struct snapshot_section abi_section = SNAPSHOT_SECTION("abi", abi_fields);
const struct device_snapshot abi_snapshot = {&abi_section, abi_save, abi_check};

static const struct {
  const struct device_snapshot *device;
  size_t offset;
} table[] = {
    {&abi_snapshot, offsetof(struct device_states, abi)},         {&vmgenid_snapshot, offsetof(struct device_states, vmgenid)},
    {&mailbox_snapshot, offsetof(struct device_states, mailbox)}, {&console_snapshot, offsetof(struct device_states, console)},
    {&clock_snapshot, offsetof(struct device_states, clock)},
};
#define DEVICES (sizeof table / sizeof table[0])

void devices_save(const struct device_host *host, struct device_states *states) {
  memset(states, 0, sizeof *states);
  for (size_t i = 0; i < DEVICES; i++) table[i].device->save(host, (uint8_t *)states + table[i].offset);
}

int devices_check(const struct device_states *states, char *why, size_t n) {
  for (size_t i = 0; i < DEVICES; i++) {
    char detail[200];
    if (table[i].device->check((const uint8_t *)states + table[i].offset, detail, sizeof detail) < 0) {
      snprintf(why, n, "device %s: %s", table[i].device->section->name, detail);
      return -1;
    }
  }
  return 0;
}

size_t devices_section_size(void) {
  size_t total = 0;
  for (size_t i = 0; i < DEVICES; i++) total += snapshot_section_size(table[i].device->section);
  return total;
}

void devices_put(struct snapshot_buf *b, const struct device_states *states) {
  for (size_t i = 0; i < DEVICES; i++) snapshot_section_put(b, table[i].device->section, (const uint8_t *)states + table[i].offset);
}

void devices_get(struct snapshot_buf *b, struct device_states *states, int *bad_reserved) {
  memset(states, 0, sizeof *states);
  for (size_t i = 0; i < DEVICES; i++) snapshot_section_get(b, table[i].device->section, (uint8_t *)states + table[i].offset, bad_reserved);
}

void devices_json(FILE *out, size_t base, int *first) {
  for (size_t i = 0; i < DEVICES; i++) {
    char prefix[40];
    snprintf(prefix, sizeof prefix, "devices.%s.", table[i].device->section->name);
    snapshot_section_json(out, table[i].device->section, prefix, base, first);
    base += snapshot_section_size(table[i].device->section);
  }
}
