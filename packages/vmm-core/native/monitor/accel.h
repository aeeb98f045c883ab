/*
 * One vCPU interface, two accelerators (as in QEMU's accel/): `kvm` runs the guest on hardware
 * (or PVM) virtualization, `tcg` emulates it with Unicorn. The monitor talks only to this
 * interface; guest memory, devices and snapshots are accelerator-neutral.
 */
#ifndef VMM_ACCEL_H
#define VMM_ACCEL_H

#include <stddef.h>
#include <stdint.h>
#include "cpu_state.h"

enum vmm_exit_kind {
  VMM_EXIT_HYPERCALL,  /* `out` to a hypercall port from the hypercall page */
  VMM_EXIT_FAULT,      /* guest exception, triple fault, bad port I/O, halt: the guest is dead */
  VMM_EXIT_KICKED,     /* the watchdog interrupted the run */
  VMM_EXIT_INTERNAL,   /* the accelerator itself failed */
};

struct vmm_exit {
  enum vmm_exit_kind kind;
  uint32_t port;
  uint32_t value;
  int vector;          /* exception vector when known, else -1 */
  uint64_t rip;        /* where the guest stopped (for faults: the faulting instruction when known) */
  uint64_t cr2;        /* page-fault address when vector == 14 */
  char reason[192];
};

struct vmm_accel;      /* one accelerator instance = one VM with one vCPU */

struct vmm_accel_ops {
  const char *name;
  /* Optional per-process setup done before the first command (e.g. open /dev/kvm and cache
   * its CPUID), so that a started monitor restores without paying for it. Failure is not an
   * error here: create() reports it when this accelerator is actually asked for. */
  void (*prepare)(void);
  /* 0 when this accelerator can run a VM here; else -1 and a reason. */
  int (*probe)(char *why, size_t why_len);
  /* Creates a VM over `ram` (host memory the caller owns and keeps mapped). */
  struct vmm_accel *(*create)(uint8_t *ram, uint64_t ram_size, char *err, size_t err_len);
  int (*set_state)(struct vmm_accel *a, const struct vmm_cpu_state *s, char *err, size_t err_len);
  /* Completes any pending I/O first, so the state is consistent (RIP after the `out`). */
  int (*get_state)(struct vmm_accel *a, struct vmm_cpu_state *s, char *err, size_t err_len);
  /* Runs until a hypercall, a fault or a kick. */
  void (*run)(struct vmm_accel *a, struct vmm_exit *exit);
  /* Async-safe: makes a running (or the next) run() return VMM_EXIT_KICKED. Called from the watchdog thread. */
  void (*kick)(struct vmm_accel *a);
  /* The guest's TSC now, for the clock page. */
  uint64_t (*guest_tsc)(struct vmm_accel *a);
  void (*destroy)(struct vmm_accel *a);
};

extern const struct vmm_accel_ops vmm_accel_kvm;
extern const struct vmm_accel_ops vmm_accel_tcg;

/* "page fault", "general protection", ... for vectors 0-31. */
const char *vmm_exception_name(int vector);

/* "kvm", "tcg" or "auto" (kvm when usable, else tcg). NULL and a reason when unusable. */
const struct vmm_accel_ops *vmm_accel_select(const char *name, char *why, size_t why_len);

#endif
