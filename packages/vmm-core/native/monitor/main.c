/*
 * vmm-monitor: one process per microVM (as in Firecracker), driven over stdin/stdout by the
 * TypeScript API. A process hosts one VM at a time; after `destroy` it can boot or restore
 * another, which lets a host keep warm monitor processes and lets tests check for leaks.
 *
 *   vmm-monitor            the control protocol (protocol.h, docs/vmm.md)
 *   vmm-monitor --probe    one JSON line: which accelerators work here, and why not
 *   vmm-monitor --snapshot-layout   one JSON line: every snapshot field's offset and size
 *
 * Place in the pipeline: the TS API (src/monitor.ts, src/vm.ts) spawns it; vm.c does the work.
 * docs/vmm.md explains the protocol, the snapshot file and the accelerators.
 */
#include <errno.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../abi/vmm_abi.h"
#include "accel/accel.h"
#include "devices/devices.h"
#include "protocol.h"
#include "snapshot.h"
#include "vm.h"
#include "watchdog.h"

/* Set by the Makefile from package.json. */
#ifndef VMM_MONITOR_VERSION
#error "build with -DVMM_MONITOR_VERSION (native/Makefile reads it from package.json)"
#endif

static FILE *out;

static uint64_t now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000ull + (uint64_t)t.tv_nsec / 1000u;
}

static const char *u64s(char *buf, uint64_t v) {
  snprintf(buf, 24, "%llu", (unsigned long long)v);
  return buf;
}

static void json_string(FILE *f, const char *s) {
  fputc('"', f);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\')
      fprintf(f, "\\%c", *p);
    else if (*p < 0x20)
      fprintf(f, "\\u%04x", *p);
    else
      fputc(*p, f);
  }
  fputc('"', f);
}

/* One JSON line: versions, the TSC frequency, and per accelerator (the table in accel/accel.c)
 * whether it works here and why not. */
static int probe(void) {
  printf("{\"version\":\"%s\",\"abi\":%u,\"snapshotVersion\":%u,\"tscKhz\":%llu", VMM_MONITOR_VERSION, VMM_ABI_VERSION, SNAPSHOT_VERSION,
         (unsigned long long)clock_host_tsc_khz(20));
  for (const struct vmm_accel_ops *const *o = vmm_accelerators; *o; o++) {
    char why[200] = "";
    int usable = (*o)->probe(why, sizeof why) == 0;
    printf(",\"%s\":{\"usable\":%s", (*o)->name, usable ? "true" : "false");
    if (!usable) {
      printf(",\"reason\":");
      json_string(stdout, why);
    }
    printf("}");
  }
  printf("}\n");
  return 0;
}

static void console_to_host(const uint8_t *text, size_t len, void *ctx) {
  (void)ctx;
  proto_write(out, "console", text, len, NULL);
}

static const char *error_kind(enum vm_error_kind k) {
  switch (k) {
    case VM_ERR_USAGE: return "usage";
    case VM_ERR_ACCEL: return "accel";
    case VM_ERR_FORMAT: return "format";
    case VM_ERR_IO: return "io";
    case VM_ERR_FAULT: return "fault";
    case VM_ERR_TIMEOUT: return "timeout";
    case VM_ERR_EXIT: return "exit";
  }
  return "internal";
}

/* Every field a host needs to build its error without reading the message (docs/vmm.md). */
static void send_error(const struct vm_error *e) {
  char rip[24], cr2[24], vec[24], status[24], timeout[24];
  snprintf(rip, sizeof rip, "0x%llx", (unsigned long long)e->rip);
  snprintf(cr2, sizeof cr2, "0x%llx", (unsigned long long)e->cr2);
  snprintf(vec, sizeof vec, "%d", e->vector);
  snprintf(status, sizeof status, "%d", e->exit_status);
  snprintf(timeout, sizeof timeout, "%u", e->timeout_ms);
  proto_write(out, "error", NULL, 0, "kind", error_kind(e->kind), "rip", rip, "cr2", cr2, "vector", vec, "status", status, "timeout-ms", timeout,
              "accelerator", e->accelerator, "reason", e->reason, "message", e->message, NULL);
}

static void usage_error(const char *fmt, const char *arg) {
  struct vm_error e;
  memset(&e, 0, sizeof e);
  e.kind = VM_ERR_USAGE;
  e.vector = -1;
  snprintf(e.message, sizeof e.message, fmt, arg);
  snprintf(e.reason, sizeof e.reason, "%s", e.message);
  send_error(&e);
}

static uint64_t cached_tsc_khz;

static int tsc_khz_field(const struct proto_message *m, uint64_t *khz) {
  if (proto_get_u64(m, "tsc-khz", 0, 100000000ull, khz) < 0) return -1;
  if (*khz == 0) {
    if (!cached_tsc_khz) cached_tsc_khz = clock_host_tsc_khz(2);
    *khz = cached_tsc_khz;
  }
  return 0;
}

static void cmd_boot(struct vm *vm, struct proto_message *m) {
  struct vm_boot_params p;
  memset(&p, 0, sizeof p);
  uint64_t ram_mib, timeout;
  p.accel = proto_get(m, "accel") ? proto_get(m, "accel") : "auto";
  p.elf_path = proto_get(m, "elf");
  if (!p.elf_path) return usage_error("boot needs elf=%s", "<path>");
  if (proto_get_u64(m, "ram-mib", 64, 1024, &ram_mib) < 0 || proto_get_u64(m, "timeout-ms", 10000, 3600000, &timeout) < 0 ||
      tsc_khz_field(m, &p.tsc_khz) < 0)
    return usage_error("boot: ram-mib, timeout-ms and tsc-khz must be numbers in range%s", "");
  p.ram_size = ram_mib << 20;
  p.timeout_ms = (uint32_t)timeout;
  p.init_data = m->payload;
  p.init_len = m->payload_len;
  struct vm_error e;
  uint64_t t0 = now_us();
  if (vm_boot(vm, &p, &e) < 0) {
    send_error(&e);
    vm_destroy(vm);
    return;
  }
  char us[24], exits[24], ram[24];
  snprintf(ram, sizeof ram, "%llx", (unsigned long long)(uintptr_t)vm->mem.ram);
  proto_write(out, "ready", NULL, 0, "accel", vm->ops->name, "accel-note", vm->accel_note, "boot-us", u64s(us, now_us() - t0), "exits",
              u64s(exits, vm->exits), "ram-addr", ram, NULL);
}

static void cmd_restore(struct vm *vm, struct proto_message *m) {
  struct vm_restore_params p;
  memset(&p, 0, sizeof p);
  p.accel = proto_get(m, "accel") ? proto_get(m, "accel") : "auto";
  p.path = proto_get(m, "path");
  if (!p.path) return usage_error("restore needs path=%s", "<snapshot>");
  const char *gen = proto_get(m, "vmgenid") ? proto_get(m, "vmgenid") : "fresh";
  if (vmgenid_parse_mode(gen, &p.vmgenid) < 0) return usage_error("vmgenid must be fresh, same or none, not '%s'", gen);
  const char *mem = proto_get(m, "memory") ? proto_get(m, "memory") : "cow";
  if (strcmp(mem, "cow") == 0)
    p.memory = GUEST_MEMORY_COW;
  else if (strcmp(mem, "copy") == 0)
    p.memory = GUEST_MEMORY_COPY;
  else
    return usage_error("memory must be cow or copy, not '%s'", mem);
  if (tsc_khz_field(m, &p.tsc_khz) < 0) return usage_error("tsc-khz must be a number%s", "");
  const char *verify = proto_get(m, "verify") ? proto_get(m, "verify") : "full";
  if (strcmp(verify, "full") == 0)
    p.verify_data = 1;
  else if (strcmp(verify, "header") == 0)
    p.verify_data = 0;
  else
    return usage_error("verify must be full or header, not '%s'", verify);
  struct vm_error e;
  uint64_t t0 = now_us();
  if (vm_restore(vm, &p, &e) < 0) {
    send_error(&e);
    vm_destroy(vm);
    return;
  }
  char us[24], ram[24], load[24], machine[24];
  snprintf(ram, sizeof ram, "%llx", (unsigned long long)(uintptr_t)vm->mem.ram);
  proto_write(out, "restored", NULL, 0, "accel", vm->ops->name, "accel-note", vm->accel_note, "restore-us", u64s(us, now_us() - t0), "load-us",
              u64s(load, vm->restore_load_ns / 1000), "machine-us", u64s(machine, vm->restore_machine_ns / 1000), "ram-addr", ram, NULL);
}

static void cmd_reserve(struct vm *vm, struct proto_message *m) {
  const char *path = proto_get(m, "path");
  if (!path) return usage_error("reserve needs path=%s", "<snapshot>");
  const char *accel = proto_get(m, "accel") ? proto_get(m, "accel") : "auto";
  struct vm_error e;
  uint64_t t0 = now_us(), bytes = 0;
  if (vm_reserve(vm, path, accel, &bytes, &e) < 0) {
    send_error(&e);
    vm_destroy(vm);
    return;
  }
  char us[24], b[24];
  proto_write(out, "reserved", NULL, 0, "accel", vm->ops->name, "accel-note", vm->accel_note, "reserve-us", u64s(us, now_us() - t0),
              "prefaulted-bytes", u64s(b, bytes), NULL);
}

static void cmd_invoke(struct vm *vm, struct proto_message *m) {
  uint64_t timeout;
  if (proto_get_u64(m, "timeout-ms", 10000, 3600000, &timeout) < 0) return usage_error("timeout-ms must be a number%s", "");
  const uint8_t *resp = NULL;
  uint32_t resp_len = 0;
  struct vm_error e;
  uint64_t t0 = now_us();
  static const uint8_t empty[1];
  if (vm_invoke(vm, m->payload ? m->payload : empty, m->payload_len, (uint32_t)timeout, &resp, &resp_len, &e) < 0) {
    send_error(&e);
    return;
  }
  char us[24], exits[24];
  proto_write(out, "result", resp_len ? resp : empty, resp_len, "run-us", u64s(us, now_us() - t0), "exits", u64s(exits, vm->exits), NULL);
}

static void cmd_snapshot(struct vm *vm, struct proto_message *m) {
  const char *path = proto_get(m, "path");
  if (!path) return usage_error("snapshot needs path=%s", "<file>");
  struct snapshot_stats st;
  struct vm_error e;
  uint64_t t0 = now_us();
  if (vm_snapshot(vm, path, &st, &e) < 0) {
    send_error(&e);
    return;
  }
  char a[24], b[24], c[24], d[24];
  proto_write(out, "snapshot-done", NULL, 0, "file-bytes", u64s(a, st.file_bytes), "data-bytes", u64s(b, st.data_bytes), "extents",
              u64s(c, st.extents), "write-us", u64s(d, now_us() - t0), NULL);
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--probe") == 0) return probe();
  if (argc > 1 && strcmp(argv[1], "--snapshot-layout") == 0) {
    snapshot_layout_json(stdout);
    return 0;
  }
  if (argc > 1 && strcmp(argv[1], "--version") == 0) {
    printf("vmm-monitor %s (guest ABI %u, snapshot format %u)\n", VMM_MONITOR_VERSION, VMM_ABI_VERSION, SNAPSHOT_VERSION);
    return 0;
  }
  if (argc > 1) {
    fprintf(stderr, "usage: vmm-monitor [--probe | --version | --snapshot-layout]\n");
    return 2;
  }
  /* The host reads our stdout; a closed pipe must end us with an error, not a signal. */
  signal(SIGPIPE, SIG_IGN);
  out = stdout;
  /* Per-process setup before the first command, off the restore path. */
  char err0[200];
  if (watchdog_start(err0, sizeof err0) < 0) {
    fprintf(stderr, "vmm-monitor: %s\n", err0);
    return 1;
  }
  for (const struct vmm_accel_ops *const *o = vmm_accelerators; *o; o++)
    if ((*o)->prepare) (*o)->prepare();
  /* Tells the host this monitor is set up and waiting: a host can keep started monitors and
   * restore into one without paying for process start. */
  char abi[24];
  proto_write(out, "hello", NULL, 0, "version", VMM_MONITOR_VERSION, "abi", u64s(abi, VMM_ABI_VERSION), NULL);
  struct vm vm;
  memset(&vm, 0, sizeof vm);
  vm.console = console_to_host;
  for (;;) {
    struct proto_message m;
    char err[200];
    int r = proto_read(stdin, &m, err, sizeof err);
    if (r == 0) break;
    if (r < 0) {
      usage_error("%s", err);
      continue;
    }
    /* A reservation is not a running VM: only `restore` (or `destroy`) uses it. */
    int has_vm = vm.accel != NULL && !vm.reserved;
    if (strcmp(m.verb, "boot") == 0 || strcmp(m.verb, "restore") == 0 || strcmp(m.verb, "reserve") == 0) {
      if (has_vm)
        usage_error("a VM is already running in this monitor; destroy it first%s", "");
      else if (m.verb[0] == 'b' && vm.reserved)
        usage_error("this monitor is reserved for a restore; destroy it first%s", "");
      else if (m.verb[0] == 'b')
        cmd_boot(&vm, &m);
      else if (strcmp(m.verb, "reserve") == 0 && vm.reserved)
        usage_error("this monitor is already reserved%s", "");
      else if (strcmp(m.verb, "reserve") == 0)
        cmd_reserve(&vm, &m);
      else
        cmd_restore(&vm, &m);
    } else if (strcmp(m.verb, "invoke") == 0) {
      if (!has_vm)
        usage_error("no VM: boot or restore first%s", "");
      else
        cmd_invoke(&vm, &m);
    } else if (strcmp(m.verb, "snapshot") == 0) {
      if (!has_vm)
        usage_error("no VM: boot or restore first%s", "");
      else
        cmd_snapshot(&vm, &m);
    } else if (strcmp(m.verb, "destroy") == 0) {
      vm_destroy(&vm);
      proto_write(out, "destroyed", NULL, 0, NULL);
    } else if (strcmp(m.verb, "quit") == 0) {
      proto_free(&m);
      break;
    } else {
      usage_error("unknown command '%s' (boot, reserve, restore, invoke, snapshot, destroy, quit)", m.verb);
    }
    proto_free(&m);
  }
  vm_destroy(&vm);
  watchdog_stop();
  return 0;
}
