/* The accelerator table and the one selector over it (used by vm.c to create VMs and by main.c
 * to probe and prepare). A new accelerator is a file in this folder plus a line here. */
#include "accel.h"

#include <stdio.h>
#include <string.h>

const struct vmm_accel_ops *const vmm_accelerators[] = {&vmm_accel_kvm, &vmm_accel_tcg, NULL};

static void set_failure(struct vmm_accel_failure *f, int unknown, const char *accelerator, const char *reason) {
  memset(f, 0, sizeof *f);
  f->unknown_name = unknown;
  snprintf(f->accelerator, sizeof f->accelerator, "%s", accelerator);
  snprintf(f->reason, sizeof f->reason, "%s", reason);
}

int vmm_accel_open(const char *name, uint8_t *ram, uint64_t ram_size, const struct vmm_accel_ops **ops, struct vmm_accel **accel, char *note,
                   size_t note_len, struct vmm_accel_failure *failure) {
  int any = strcmp(name, "auto") == 0;
  if (note_len) note[0] = 0;
  const struct vmm_accel_ops *last = NULL;
  char why[192] = "";
  for (const struct vmm_accel_ops *const *o = vmm_accelerators; *o; o++) {
    if (!any && strcmp(name, (*o)->name) != 0) continue;
    /* Creating the VM is the real probe: /dev/kvm may open and still refuse KVM_CREATE_VM. */
    struct vmm_accel *a = (*o)->create(ram, ram_size, why, sizeof why);
    if (a) {
      *ops = *o;
      *accel = a;
      return 0;
    }
    last = *o;
    if (any && note_len && !note[0]) snprintf(note, note_len, "%s unavailable: %s", (*o)->name, why);
  }
  if (!last) {
    char reason[160];
    snprintf(reason, sizeof reason, "unknown accelerator '%.40s' (kvm, tcg or auto)", name);
    set_failure(failure, 1, name, reason);
    return -1;
  }
  set_failure(failure, 0, last->name, why);
  return -1;
}

const char *vmm_exception_name(int vector) {
  static const char *const names[] = {"divide error",
                                      "debug",
                                      "NMI",
                                      "breakpoint",
                                      "overflow",
                                      "bound range exceeded",
                                      "invalid opcode",
                                      "device not available",
                                      "double fault",
                                      "coprocessor segment overrun",
                                      "invalid TSS",
                                      "segment not present",
                                      "stack fault",
                                      "general protection",
                                      "page fault",
                                      "reserved",
                                      "x87 floating-point error",
                                      "alignment check",
                                      "machine check",
                                      "SIMD floating-point error",
                                      "virtualization",
                                      "control protection"};
  if (vector >= 0 && vector < (int)(sizeof names / sizeof names[0])) return names[vector];
  return "exception";
}
