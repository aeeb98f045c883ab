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
