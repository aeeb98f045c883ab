#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rt.h"
#include "rt_internal.h"

/* Text is batched in the console page and handed to the monitor at the next exit, so logging
 * costs no exit unless the page fills up. */
void rt_console_write(const char *text, size_t len) {
  volatile struct vmm_console *c = (volatile struct vmm_console *)VMM_GPA_CONSOLE;
  char *data = (char *)(uintptr_t)(VMM_GPA_CONSOLE + sizeof(struct vmm_console));
  while (len > 0) {
    size_t room = VMM_CONSOLE_CAPACITY - c->len;
    if (room == 0) {
      rt_console_flush();
      continue;
    }
    size_t n = len < room ? len : room;
    memcpy(data + c->len, text, n);
    c->len += (uint32_t)n;
    text += n;
    len -= n;
  }
}

void rt_console_flush(void) {
  const volatile struct vmm_console *c = (const volatile struct vmm_console *)VMM_GPA_CONSOLE;
  if (c->len) rt_hypercall(VMM_PORT_CONSOLE, 0);
}

void rt_printf(const char *fmt, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  rt_console_write(buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

_Noreturn void rt_panic(const char *fmt, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  rt_console_write("panic: ", 7);
  if (n > 0) rt_console_write(buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
  rt_console_write("\n", 1);
  for (;;) rt_hypercall(VMM_PORT_ABORT, 0);
}
