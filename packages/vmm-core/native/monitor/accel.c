#include "accel.h"

#include <stdio.h>
#include <string.h>

const struct vmm_accel_ops *vmm_accel_select(const char *name, char *why, size_t n) {
  if (strcmp(name, "tcg") == 0) return vmm_accel_tcg.probe(why, n) == 0 ? &vmm_accel_tcg : NULL;
  if (strcmp(name, "kvm") == 0) return vmm_accel_kvm.probe(why, n) == 0 ? &vmm_accel_kvm : NULL;
  if (strcmp(name, "auto") == 0) {
    if (vmm_accel_kvm.probe(why, n) == 0) return &vmm_accel_kvm;
    return vmm_accel_tcg.probe(why, n) == 0 ? &vmm_accel_tcg : NULL;
  }
  snprintf(why, n, "unknown accelerator '%s' (kvm, tcg or auto)", name);
  return NULL;
}

const char *vmm_exception_name(int vector) {
  static const char *const names[] = {"divide error", "debug", "NMI", "breakpoint", "overflow", "bound range exceeded",
                                      "invalid opcode", "device not available", "double fault", "coprocessor segment overrun",
                                      "invalid TSS", "segment not present", "stack fault", "general protection",
                                      "page fault", "reserved", "x87 floating-point error", "alignment check",
                                      "machine check", "SIMD floating-point error", "virtualization", "control protection"};
  if (vector >= 0 && vector < (int)(sizeof names / sizeof names[0])) return names[vector];
  return "exception";
}
