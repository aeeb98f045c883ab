/*
 * One microVM: guest RAM, the accelerator chosen through accel/accel.c, the devices, and the run
 * loop that turns hypercall exits into boot / invoke / snapshot / restore steps and every other
 * exit into an error with fields (struct vm_error). Driven by main.c's command loop.
 * See docs/vmm.md, "Processes", "Restore" and "Security boundary".
 */
#include "vm.h"

#include <time.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../abi/vmm_abi.h"
#include "elf_loader.h"
#include "watchdog.h"
#include "x86.h"

static int fail(struct vm_error *e, enum vm_error_kind kind, const char *fmt, ...) {
  memset(e, 0, sizeof *e);
  e->kind = kind;
  e->vector = -1;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(e->message, sizeof e->message, fmt, ap);
  va_end(ap);
  /* The cause alone, unless the caller narrows it: for most errors the message is the cause. */
  snprintf(e->reason, sizeof e->reason, "%s", e->message);
  return -1;
}

/* kvm, tcg, or auto (the selector in accel/accel.c), with the failure's fields kept. */
static int open_accel(struct vm *vm, const char *name, struct vm_error *e) {
  struct vmm_accel_failure f;
  if (vmm_accel_open(name, vm->mem.ram, vm->mem.size, &vm->ops, &vm->accel, vm->accel_note, sizeof vm->accel_note, &f) == 0) return 0;
  if (f.unknown_name) return fail(e, VM_ERR_USAGE, "%s", f.reason);
  fail(e, VM_ERR_ACCEL, "%s accelerator unavailable: %s", f.accelerator, f.reason);
  snprintf(e->accelerator, sizeof e->accelerator, "%s", f.accelerator);
  snprintf(e->reason, sizeof e->reason, "%s", f.reason);
  return -1;
}

/* An accelerator that exists but failed an operation (a set-state or run ioctl). */
static int accel_failed(struct vm *vm, struct vm_error *e, const char *why) {
  fail(e, VM_ERR_ACCEL, "%s accelerator failed: %s", vm->ops->name, why);
  snprintf(e->accelerator, sizeof e->accelerator, "%s", vm->ops->name);
  snprintf(e->reason, sizeof e->reason, "%s", why);
  return -1;
}

static void drain_console(struct vm *vm, struct vm_error *e, int *bad) {
  if (console_drain(vm->mem.ram, vm->console, vm->console_ctx) < 0) {
    *bad = 1;
    fail(e, VM_ERR_FAULT, "guest console length is out of bounds");
  }
}

/* Runs the guest until it waits for a request (READY or RESULT). Console flushes are handled
 * here; anything else ends the VM with an error. */
static int run_until_wait(struct vm *vm, uint32_t timeout_ms, uint32_t *port, uint32_t *value, struct vm_error *e) {
  uint64_t deadline = watchdog_now_ns() + (uint64_t)timeout_ms * 1000000ull;
  vm->idle = 0;
  vm->exits = 0;
  for (;;) {
    clock_refresh(vm->mem.ram, vm->ops->guest_tsc(vm->accel), vm->tsc_khz);
    struct vmm_exit x;
    watchdog_arm(vm->ops, vm->accel, deadline);
    vm->ops->run(vm->accel, &x);
    watchdog_disarm();
    int bad = 0;
    if (x.kind == VMM_EXIT_HYPERCALL) {
      vm->exits++;
      drain_console(vm, e, &bad);
      if (bad) break;
      switch (x.port) {
        case VMM_PORT_CONSOLE: continue;
        case VMM_PORT_READY:
        case VMM_PORT_RESULT:
          *port = x.port;
          *value = x.value;
          vm->idle = 1;
          return 0;
        case VMM_PORT_EXIT:
          fail(e, VM_ERR_EXIT, "guest exited with status %d", (int)x.value);
          e->exit_status = (int)x.value;
          break;
        case VMM_PORT_ABORT:
          fail(e, VM_ERR_FAULT, "guest aborted (see its console output)");
          e->rip = x.rip;
          break;
        default: fail(e, VM_ERR_FAULT, "unknown hypercall port 0x%x", x.port); break;
      }
      break;
    }
    if (x.kind == VMM_EXIT_KICKED) {
      if (watchdog_now_ns() < deadline) continue; /* a kick meant for an earlier run */
      drain_console(vm, e, &bad);
      fail(e, VM_ERR_TIMEOUT, "guest did not answer within %u ms (stopped at RIP 0x%llx)", timeout_ms, (unsigned long long)x.rip);
      e->timeout_ms = timeout_ms;
      e->rip = x.rip;
      break;
    }
    drain_console(vm, e, &bad);
    if (x.kind == VMM_EXIT_INTERNAL) {
      accel_failed(vm, e, x.reason);
    } else if (x.vector == 14) {
      fail(e, VM_ERR_FAULT, "%s at RIP 0x%llx, address 0x%llx", x.reason, (unsigned long long)x.rip, (unsigned long long)x.cr2);
    } else {
      fail(e, VM_ERR_FAULT, "%s at RIP 0x%llx", x.reason, (unsigned long long)x.rip);
    }
    e->rip = x.rip;
    e->cr2 = x.cr2;
    e->vector = x.vector;
    break;
  }
  vm->dead = 1;
  vm->idle = 0;
  return -1;
}

static int create_machine(struct vm *vm, const char *accel, struct vm_error *e) {
  char err[200];
  if (watchdog_start(err, sizeof err) < 0) return fail(e, VM_ERR_IO, "%s", err);
  return open_accel(vm, accel, e);
}

int vm_boot(struct vm *vm, const struct vm_boot_params *p, struct vm_error *e) {
  char err[256];
  if (p->ram_size < GUEST_RAM_MIN || p->ram_size > GUEST_RAM_MAX || p->ram_size % (2ull << 20) != 0)
    return fail(e, VM_ERR_USAGE, "RAM size must be a multiple of 2 MiB from 8 MiB to 1 GiB");
  if (guest_memory_anon(&vm->mem, p->ram_size, err, sizeof err) < 0) return fail(e, VM_ERR_IO, "%s", err);
  x86_build_machine(vm->mem.ram, p->ram_size);
  uint64_t stack_top = p->ram_size - 64;
  uint64_t heap_limit = p->ram_size - VMM_STACK_SIZE;
  struct elf_image img;
  if (elf_load(p->elf_path, vm->mem.ram, VMM_GPA_IMAGE, heap_limit, &img, err, sizeof err) < 0) return fail(e, VM_ERR_FORMAT, "%s", err);
  uint64_t init_at = (img.end + VMM_PAGE_SIZE - 1) & ~(VMM_PAGE_SIZE - 1);
  if (p->init_len > heap_limit - init_at) return fail(e, VM_ERR_USAGE, "init data of %zu bytes does not fit in guest RAM", p->init_len);
  if (p->init_len) memcpy(vm->mem.ram + init_at, p->init_data, p->init_len);
  struct vmm_boot_info info;
  memset(&info, 0, sizeof info);
  info.magic = VMM_BOOT_MAGIC;
  info.abi_version = VMM_ABI_VERSION;
  info.features = VMM_FEATURE_VMGENID;
  info.ram_size = p->ram_size;
  info.init_data = p->init_len ? init_at : 0;
  info.init_len = p->init_len;
  info.heap_start = (init_at + p->init_len + VMM_PAGE_SIZE - 1) & ~(VMM_PAGE_SIZE - 1);
  info.heap_end = heap_limit;
  info.stack_top = stack_top;
  info.request_gpa = VMM_GPA_REQUEST;
  info.request_size = VMM_MAILBOX_SIZE;
  info.response_gpa = VMM_GPA_RESPONSE;
  info.response_size = VMM_MAILBOX_SIZE;
  info.console_gpa = VMM_GPA_CONSOLE;
  info.console_size = VMM_CONSOLE_SIZE;
  memcpy(vm->mem.ram + VMM_GPA_BOOT_INFO, &info, sizeof info);
  if (vmgenid_boot(vm->mem.ram, err, sizeof err) < 0) return fail(e, VM_ERR_IO, "%s", err);
  vm->tsc_khz = p->tsc_khz;
  if (create_machine(vm, p->accel, e) < 0) return -1;
  struct vmm_cpu_state s;
  x86_initial_state(&s, img.entry, stack_top);
  if (vm->ops->set_state(vm->accel, &s, err, sizeof err) < 0) return accel_failed(vm, e, err);
  uint32_t port = 0, value = 0;
  if (run_until_wait(vm, p->timeout_ms, &port, &value, e) < 0) return -1;
  if (port != VMM_PORT_READY) {
    vm->dead = 1;
    return fail(e, VM_ERR_FAULT, "guest returned a result before it signalled READY");
  }
  return 0;
}

static uint64_t mono_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int vm_reserve(struct vm *vm, const char *path, const char *accel, uint64_t *prefaulted_bytes, struct vm_error *e) {
  char err[320];
  struct snapshot snap;
  if (snapshot_open(path, &snap, err, sizeof err) < 0) return fail(e, VM_ERR_FORMAT, "%s", err);
  if (guest_memory_anon_huge(&vm->mem, snap.header.ram_size, err, sizeof err) < 0) {
    snapshot_close(&snap);
    return fail(e, VM_ERR_IO, "%s", err);
  }
  uint64_t bytes = 0;
  for (uint32_t i = 0; i < snap.header.extent_count; i++) {
    uint64_t len = (uint64_t)snap.extents[i].pages * VMM_PAGE_SIZE;
    guest_memory_prefault(&vm->mem, (uint64_t)snap.extents[i].first_page * VMM_PAGE_SIZE, len);
    bytes += len;
  }
  snapshot_close(&snap);
  if (create_machine(vm, accel, e) < 0) {
    guest_memory_release(&vm->mem);
    return -1;
  }
  vm->reserved = 1;
  *prefaulted_bytes = bytes;
  return 0;
}

/* Whether a reservation fits this restore; if not it is dropped and the restore builds its own VM. */
static void use_or_drop_reservation(struct vm *vm, const struct vm_restore_params *p, uint64_t ram_size) {
  if (!vm->reserved) return;
  int fits = p->memory == GUEST_MEMORY_COPY && vm->mem.size == ram_size && (strcmp(p->accel, "auto") == 0 || strcmp(p->accel, vm->ops->name) == 0);
  if (!fits) vm_destroy(vm);
}

int vm_restore(struct vm *vm, const struct vm_restore_params *p, struct vm_error *e) {
  char err[320];
  struct snapshot snap;
  uint64_t t0 = mono_ns();
  if (snapshot_open(p->path, &snap, err, sizeof err) < 0) return fail(e, VM_ERR_FORMAT, "%s", err);
  /* The CPU state is checked before any memory is built: a crafted file with a valid checksum
   * still cannot hand the guest CPL0, other page tables or other descriptor tables. */
  if (x86_check_restore_state(&snap.cpu, err, sizeof err) < 0) {
    snapshot_close(&snap);
    return fail(e, VM_ERR_FORMAT, "snapshot %s: refused CPU state: %s", p->path, err);
  }
  use_or_drop_reservation(vm, p, snap.header.ram_size);
  if (snapshot_load_memory(&snap, p->memory, p->verify_data, &vm->mem, err, sizeof err) < 0) {
    snapshot_close(&snap);
    return fail(e, VM_ERR_FORMAT, "%s", err);
  }
  /* The file stays mapped (COW) but its descriptor is no longer needed. */
  struct vmm_cpu_state cpu = snap.cpu;
  snapshot_close(&snap);
  /* The generation ID is written before the vCPU exists, so no guest instruction can run
   * with the old one. */
  if (vmgenid_restore(vm->mem.ram, p->vmgenid, err, sizeof err) < 0) return fail(e, VM_ERR_IO, "%s", err);
  vm->tsc_khz = p->tsc_khz;
  uint64_t t1 = mono_ns();
  if (!vm->reserved && create_machine(vm, p->accel, e) < 0) return -1;
  vm->reserved = 0;
  if (vm->ops->set_state(vm->accel, &cpu, err, sizeof err) < 0) return accel_failed(vm, e, err);
  vm->idle = 1;
  /* Reported with the reply, so that benchmarks can say where restore time goes. */
  vm->restore_load_ns = t1 - t0;
  vm->restore_machine_ns = mono_ns() - t1;
  return 0;
}

int vm_invoke(struct vm *vm, const uint8_t *request, size_t len, uint32_t timeout_ms, const uint8_t **response, uint32_t *response_len,
              struct vm_error *e) {
  char err[200];
  if (vm->dead || !vm->idle) return fail(e, VM_ERR_USAGE, "the VM is not waiting for a request");
  if (mailbox_put_request(vm->mem.ram, request, len, vm->sequence + 1, err, sizeof err) < 0) return fail(e, VM_ERR_USAGE, "%s", err);
  vm->sequence++;
  uint32_t port = 0, value = 0;
  if (run_until_wait(vm, timeout_ms, &port, &value, e) < 0) return -1;
  if (port != VMM_PORT_RESULT) {
    vm->dead = 1;
    vm->idle = 0;
    return fail(e, VM_ERR_FAULT, "guest signalled READY again instead of returning a result");
  }
  if (mailbox_get_response(vm->mem.ram, value, response) < 0) {
    vm->dead = 1;
    vm->idle = 0;
    return fail(e, VM_ERR_FAULT, "guest result length %u is larger than the %llu-byte response mailbox", value, (unsigned long long)VMM_MAILBOX_SIZE);
  }
  *response_len = value;
  return 0;
}

int vm_snapshot(struct vm *vm, const char *path, struct snapshot_stats *stats, struct vm_error *e) {
  char err[320];
  if (vm->dead || !vm->idle) return fail(e, VM_ERR_USAGE, "a snapshot needs a VM waiting at READY or after a result");
  struct vmm_cpu_state cpu;
  if (vm->ops->get_state(vm->accel, &cpu, err, sizeof err) < 0) return accel_failed(vm, e, err);
  if (cpu.rip != VMM_HYPERCALL_RESUME_RIP) {
    snprintf(err, sizeof err, "vCPU is not at the hypercall return (RIP 0x%llx)", (unsigned long long)cpu.rip);
    return accel_failed(vm, e, err);
  }
  struct device_states dev;
  struct device_host host = {vm->mem.ram, vm->tsc_khz};
  devices_save(&host, &dev);
  /* The mailboxes are protocol pages, not guest state: a restored guest finds a new request
   * written before it runs, and the last response was already delivered. Clearing them keeps
   * the snapshot (and every clone's copy of it) free of a stale request of up to 512 KiB. */
  memset(vm->mem.ram + VMM_GPA_REQUEST, 0, VMM_MAILBOX_SIZE);
  memset(vm->mem.ram + VMM_GPA_RESPONSE, 0, VMM_MAILBOX_SIZE);
  uint8_t *touched = guest_memory_touched_pages(&vm->mem);
  int rc = snapshot_write(path, vm->mem.ram, vm->mem.size, touched, &cpu, &dev, vm->ops->name, stats, err, sizeof err);
  free(touched);
  if (rc < 0) return fail(e, VM_ERR_IO, "%s", err);
  return 0;
}

void vm_destroy(struct vm *vm) {
  if (vm->accel) vm->ops->destroy(vm->accel);
  vm->accel = NULL;
  vm->reserved = 0;
  guest_memory_release(&vm->mem);
  vm->idle = 0;
  vm->dead = 0;
  vm->sequence = 0;
}
