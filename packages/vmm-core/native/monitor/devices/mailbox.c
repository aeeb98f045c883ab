#include <stdio.h>
#include <string.h>

#include "../../abi/vmm_abi.h"
#include "devices.h"

int mailbox_put_request(uint8_t *ram, const uint8_t *data, size_t len, uint32_t sequence, char *err, size_t n) {
  if (len > VMM_MAILBOX_CAPACITY) {
    snprintf(err, n, "request of %zu bytes is larger than the %llu-byte mailbox", len, (unsigned long long)VMM_MAILBOX_CAPACITY);
    return -1;
  }
  struct vmm_mailbox hdr = {.len = (uint32_t)len, .sequence = sequence};
  memcpy(ram + VMM_GPA_REQUEST, &hdr, sizeof hdr);
  if (len) memcpy(ram + VMM_GPA_REQUEST + sizeof hdr, data, len);
  return 0;
}

int mailbox_get_response(const uint8_t *ram, uint32_t len, const uint8_t **data) {
  if (len > VMM_MAILBOX_SIZE) return -1;
  *data = ram + VMM_GPA_RESPONSE;
  return 0;
}
