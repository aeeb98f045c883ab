/* The guest's main loop: init, READY (the snapshot point), then one request per exit. */
#include <string.h>

#include "rt.h"
#include "rt_internal.h"

int rt_main(void) {
  if (BOOT_INFO->magic != VMM_BOOT_MAGIC || BOOT_INFO->abi_version != VMM_ABI_VERSION) rt_hypercall(VMM_PORT_EXIT, 90);
  rt_heap_init();
  rt_rng_init();
  const uint8_t *init = BOOT_INFO->init_data ? (const uint8_t *)(uintptr_t)BOOT_INFO->init_data : NULL;
  int rc = app_init(init, (size_t)BOOT_INFO->init_len);
  if (rc != 0) {
    rt_printf("app_init failed with status %d\n", rc);
    rt_console_flush();
    return rc;
  }
  rt_hypercall(VMM_PORT_READY, 0);
  for (;;) {
    /* A clone restored with a fresh vmgenid reseeds here, before any handler code runs. */
    if (rt_generation_check() && app_generation_changed) app_generation_changed();
    const volatile struct vmm_mailbox *mb = (const volatile struct vmm_mailbox *)VMM_GPA_REQUEST;
    uint32_t len = mb->len;
    if (len > VMM_MAILBOX_CAPACITY) len = 0;
    size_t n = app_invoke((const uint8_t *)(uintptr_t)(VMM_GPA_REQUEST + sizeof(struct vmm_mailbox)), len, mb->sequence,
                          (uint8_t *)(uintptr_t)VMM_GPA_RESPONSE, VMM_MAILBOX_SIZE);
    if (n > VMM_MAILBOX_SIZE) n = VMM_MAILBOX_SIZE;
    rt_hypercall(VMM_PORT_RESULT, (uint32_t)n);
  }
}
