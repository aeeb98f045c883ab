/* A microVM: guest RAM, one vCPU on an accelerator, the devices, and the run loop that turns
 * hypercalls into boot / invoke / snapshot steps. */
#ifndef VMM_VM_H
#define VMM_VM_H

#include <stddef.h>
#include <stdint.h>

#include "accel/accel.h"
#include "devices/devices.h"
#include "memory.h"
#include "snapshot.h"

enum vm_error_kind {
  VM_ERR_USAGE,   /* a bad command or argument from the host */
  VM_ERR_ACCEL,   /* the accelerator is unavailable or failed */
  VM_ERR_FORMAT,  /* a bad snapshot or guest image */
  VM_ERR_IO,      /* a host I/O error */
  VM_ERR_FAULT,   /* the guest crashed or broke the ABI; the VM is dead */
  VM_ERR_TIMEOUT, /* the guest ran past its time budget; the VM is dead */
  VM_ERR_EXIT,    /* the guest exited on purpose; the VM is dead */
};

/* An error as the monitor reports it: a message for people, and fields for programs (the TS
 * errors are built from the fields, never parsed out of the message). */
struct vm_error {
  enum vm_error_kind kind;
  char message[320];
  char reason[320];     /* the cause alone (VM_ERR_ACCEL, VM_ERR_FAULT): message minus context */
  char accelerator[16]; /* VM_ERR_ACCEL: which accelerator failed or is unavailable */
  uint32_t timeout_ms;  /* VM_ERR_TIMEOUT: the budget the guest ran past */
  uint64_t rip, cr2;
  int vector;
  int exit_status;
};

struct vm {
  const struct vmm_accel_ops *ops;
  struct vmm_accel *accel;
  struct guest_memory mem;
  uint64_t tsc_khz;
  uint32_t sequence; /* requests delivered to this VM (or clone) */
  int idle;          /* stopped at READY/RESULT, consistent, waiting for a request */
  int dead;
  uint64_t exits;       /* hypercall exits in the current operation */
  char accel_note[256]; /* why `auto` did not pick kvm */
  /* `reserve`: the VM, its vCPU and the RAM pages a snapshot fills exist already, zeroed and
   * faulted in, waiting for `restore` of that snapshot (a warm pool entry). */
  int reserved;
  uint64_t restore_load_ns;    /* last restore: opening the file and loading guest RAM */
  uint64_t restore_machine_ns; /* last restore: creating the VM and vCPU, setting its state */
  console_sink console;
  void *console_ctx;
};

struct vm_boot_params {
  const char *accel;
  const char *elf_path;
  uint64_t ram_size;
  const uint8_t *init_data;
  size_t init_len;
  uint32_t timeout_ms;
  uint64_t tsc_khz;
};

struct vm_restore_params {
  const char *accel;
  const char *path;
  enum vmgenid_mode vmgenid;
  enum guest_memory_kind memory;
  /* 0: trust the RAM checksum a previous restore of this file verified (the header, sizes and
   * holes are always checked). */
  int verify_data;
  uint64_t tsc_khz;
};

int vm_boot(struct vm *vm, const struct vm_boot_params *p, struct vm_error *e);
/* Prepares this monitor for `restore` of the snapshot at `path` (copy memory): allocates guest
 * RAM, faults in the pages the snapshot fills, and creates the VM and vCPU. */
int vm_reserve(struct vm *vm, const char *path, const char *accel, uint64_t *prefaulted_bytes, struct vm_error *e);
int vm_restore(struct vm *vm, const struct vm_restore_params *p, struct vm_error *e);
/* Runs one request; *response points into guest RAM until the next call. */
int vm_invoke(struct vm *vm, const uint8_t *request, size_t len, uint32_t timeout_ms, const uint8_t **response, uint32_t *response_len,
              struct vm_error *e);
int vm_snapshot(struct vm *vm, const char *path, struct snapshot_stats *stats, struct vm_error *e);
void vm_destroy(struct vm *vm);

#endif
