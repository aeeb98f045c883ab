/*
 * One vCPU interface, two accelerators (as in QEMU's accel/): `kvm` runs the guest on hardware
 * (or PVM) virtualization, `tcg` emulates it with Unicorn. The monitor (vm.c, main.c) talks only
 * to this interface and picks an accelerator through the one table in accel.c; guest memory,
 * devices and snapshots are accelerator-neutral. See docs/vmm.md, "The two accelerators".
 */
#ifndef VMM_ACCEL_H
#define VMM_ACCEL_H

#include <stddef.h>
#include <stdint.h>
#include "../cpu_state.h"

enum vmm_exit_kind {
  VMM_EXIT_HYPERCALL, /* `out` to a hypercall port from the hypercall page */
  VMM_EXIT_FAULT,     /* guest exception, triple fault, bad port I/O, halt: the guest is dead */
  VMM_EXIT_KICKED,    /* the watchdog interrupted the run */
  VMM_EXIT_INTERNAL,  /* the accelerator itself failed */
};

struct vmm_exit {
  enum vmm_exit_kind kind;
  uint32_t port;
  uint32_t value;
  int vector;   /* exception vector when known, else -1 */
  uint64_t rip; /* where the guest stopped (for faults: the faulting instruction when known) */
  uint64_t cr2; /* page-fault address when vector == 14 */
  char reason[192];
};

struct vmm_accel; /* one accelerator instance = one VM with one vCPU */

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

/* Every accelerator, in `auto`'s order of preference; NULL-terminated. */
extern const struct vmm_accel_ops *const vmm_accelerators[];

/* Why an accelerator could not be used: the fields of the monitor's `accel` error frame. */
struct vmm_accel_failure {
  int unknown_name;     /* `name` is not an accelerator (a usage error, not an unavailable one) */
  char accelerator[16]; /* the accelerator that failed, or the unknown name */
  char reason[192];
};

/* Creates a VM over `ram` on `name` ("kvm", "tcg" or "auto": the first in vmm_accelerators that
 * can really create a VM here). With `auto`, `note` says why a preferred accelerator was passed
 * over ("" when none was). 0, or -1 with `failure` filled in. */
int vmm_accel_open(const char *name, uint8_t *ram, uint64_t ram_size, const struct vmm_accel_ops **ops, struct vmm_accel **accel, char *note,
                   size_t note_len, struct vmm_accel_failure *failure);

#endif
