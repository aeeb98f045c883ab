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

/* The mailboxes' place is part of the ABI: a snapshot restores only where it was taken. */
static void save(const struct device_host *h, void *state) {
  (void)h;
  struct mailbox_state *s = state;
  s->request_gpa = VMM_GPA_REQUEST;
  s->response_gpa = VMM_GPA_RESPONSE;
  s->size = VMM_MAILBOX_SIZE;
}

static int check(const void *state, char *why, size_t n) {
  const struct mailbox_state *s = state;
  if (s->request_gpa == VMM_GPA_REQUEST && s->response_gpa == VMM_GPA_RESPONSE && s->size == VMM_MAILBOX_SIZE) return 0;
  snprintf(why, n, "mailboxes at 0x%llx/0x%llx of %llu bytes, this monitor's are at 0x%llx/0x%llx of %llu", (unsigned long long)s->request_gpa,
           (unsigned long long)s->response_gpa, (unsigned long long)s->size, (unsigned long long)VMM_GPA_REQUEST,
           (unsigned long long)VMM_GPA_RESPONSE, (unsigned long long)VMM_MAILBOX_SIZE);
  return -1;
}

static const struct snapshot_field fields[] = {
    SNAPSHOT_FIELD(struct mailbox_state, "request_gpa", request_gpa),
    SNAPSHOT_FIELD(struct mailbox_state, "response_gpa", response_gpa),
    SNAPSHOT_FIELD(struct mailbox_state, "size", size),
};
static const struct snapshot_section section = SNAPSHOT_SECTION("mailbox", fields);
const struct device_snapshot mailbox_snapshot = {&section, save, check};
