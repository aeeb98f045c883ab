#include <stdio.h>
#include <string.h>

#include "../../abi/vmm_abi.h"
#include "devices.h"

int console_drain(uint8_t *ram, console_sink sink, void *ctx) {
  struct vmm_console hdr;
  memcpy(&hdr, ram + VMM_GPA_CONSOLE, sizeof hdr);
  if (hdr.len == 0) return 0;
  if (hdr.len > VMM_CONSOLE_CAPACITY) return -1;
  sink(ram + VMM_GPA_CONSOLE + sizeof hdr, hdr.len, ctx);
  hdr.len = 0;
  memcpy(ram + VMM_GPA_CONSOLE, &hdr, sizeof hdr);
  return 0;
}

static void save(const struct device_host *h, void *state) {
  (void)h;
  struct console_state *s = state;
  s->gpa = VMM_GPA_CONSOLE;
  s->size = VMM_CONSOLE_SIZE;
}

static int check(const void *state, char *why, size_t n) {
  const struct console_state *s = state;
  if (s->gpa == VMM_GPA_CONSOLE && s->size == VMM_CONSOLE_SIZE) return 0;
  snprintf(why, n, "console at 0x%llx of %llu bytes, this monitor's is at 0x%llx of %llu", (unsigned long long)s->gpa, (unsigned long long)s->size,
           (unsigned long long)VMM_GPA_CONSOLE, (unsigned long long)VMM_CONSOLE_SIZE);
  return -1;
}

static const struct snapshot_field fields[] = {
    SNAPSHOT_FIELD(struct console_state, "gpa", gpa),
    SNAPSHOT_FIELD(struct console_state, "size", size),
};
static const struct snapshot_section section = SNAPSHOT_SECTION("console", fields);
const struct device_snapshot console_snapshot = {&section, save, check};
