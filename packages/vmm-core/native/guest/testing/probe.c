/*
 * A test guest that misbehaves on request, to check the monitor's security boundary and error
 * reporting: each request is a command word (and argument). Only for vmm-core's tests
 * (tests/faults.test.ts drives it); docs/vmm.md, "Security boundary", lists the error of each case.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../rt/rt.h"
#include "../rt/rt_internal.h"

static uint64_t init_random;
static double init_double;
static volatile uint64_t spin;

/* An address the compiler cannot see through, so deliberate bad accesses compile. */
static volatile uint64_t *address(uintptr_t a) {
  __asm__("" : "+r"(a));
  return (volatile uint64_t *)a;
}

static unsigned read_mxcsr(void) {
  unsigned v;
  __asm__ volatile("stmxcsr %0" : "=m"(v));
  return v;
}

int app_init(const uint8_t *init_data, size_t init_len) {
  init_random = rt_random_u64();
  volatile double one = 1.0, ten = 10.0;
  init_double = one / ten;
  /* Round-toward-zero in MXCSR: a restored vCPU must carry it over (checked by `mxcsr`). */
  unsigned m = (read_mxcsr() & ~0x6000u) | 0x6000u;
  __asm__ volatile("ldmxcsr %0" : : "m"(m));
  if (init_data && init_len >= 5 && memcmp(init_data, "hang!", 5) == 0)
    for (;;) spin++;
  if (init_data && init_len >= 6 && memcmp(init_data, "fault!", 6) == 0) *address(8) = 1;
  rt_printf("probe guest ready (init data %zu bytes)\n", init_len);
  return 0;
}

/* The faults suite's deliberate system call, kept in a function of its own so that the guest-image
 * test can tell it from an accidental one (tests/guest-image.test.ts). */
__attribute__((noinline)) static void hostile_syscall(void) { __asm__ volatile("syscall" ::: "rcx", "r11", "memory"); }

static size_t reply(uint8_t *out, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#include <stdarg.h>
static size_t reply(uint8_t *out, size_t cap, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf((char *)out, cap, fmt, ap);
  va_end(ap);
  return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap;
}

static int is(const char *cmd, size_t len, const char *word) {
  size_t w = strlen(word);
  return len >= w && memcmp(cmd, word, w) == 0 && (len == w || cmd[w] == ':');
}

size_t app_invoke(const uint8_t *request, size_t len, uint32_t sequence, uint8_t *out, size_t cap) {
  const char *cmd = (const char *)request;
  const char *arg = memchr(cmd, ':', len) ? (const char *)memchr(cmd, ':', len) + 1 : "";
  if (len == 0 || is(cmd, len, "state")) {
    uint64_t r = rt_random_u64();
    return reply(out, cap, "{\"initRandom\":\"%016llx\",\"random\":\"%016llx\",\"generation\":%llu,\"sequence\":%u,\"heapUsed\":%zu}",
                 (unsigned long long)init_random, (unsigned long long)r, (unsigned long long)rt_generation_count(), sequence, rt_heap_used());
  }
  if (is(cmd, len, "echo")) {
    size_t n = len - (size_t)(arg - cmd);
    if (n > cap) n = cap;
    memcpy(out, arg, n);
    return n;
  }
  if (is(cmd, len, "mxcsr")) {
    /* 1/10 is 0x1.999999999999ap-4 rounded to nearest, 0x1.9999999999999p-4 toward zero. */
    volatile double one = 1.0, ten = 10.0;
    double q = one / ten;
    return reply(out, cap, "{\"mxcsr\":%u,\"tenth\":\"%a\",\"initTenth\":\"%a\"}", read_mxcsr(), q, init_double);
  }
  if (is(cmd, len, "time")) return reply(out, cap, "{\"realtimeMs\":%llu}", (unsigned long long)(rt_realtime_ns() / 1000000u));
  if (is(cmd, len, "log")) {
    int lines = atoi(arg);
    for (int i = 0; i < lines; i++) rt_printf("line %d of %d: the quick brown fox jumps over the lazy dog\n", i + 1, lines);
    return reply(out, cap, "logged %d", lines);
  }
  if (is(cmd, len, "alloc")) {
    size_t mib = (size_t)atoi(arg);
    uint8_t *p = malloc(mib << 20);
    if (!p) return reply(out, cap, "out of memory");
    for (size_t i = 0; i < (mib << 20); i += 4096) p[i] = 1;
    free(p);
    return reply(out, cap, "allocated %zu MiB", mib);
  }
  if (is(cmd, len, "big")) {
    size_t n = (size_t)atoi(arg);
    if (n > cap) n = cap;
    memset(out, 'x', n);
    return n;
  }
  /* ---- misbehaviour ---- */
  if (is(cmd, len, "null")) return (size_t)*address(0);
  if (is(cmd, len, "ud2")) __builtin_trap();
  if (is(cmd, len, "hang"))
    for (;;) spin++;
  if (is(cmd, len, "write-vmgenid")) {
    *(volatile uint8_t *)VMM_GPA_VMGENID = 1;
    return 0;
  }
  if (is(cmd, len, "write-pagetable")) {
    *(volatile uint64_t *)VMM_GPA_PML4 = 0;
    return 0;
  }
  if (is(cmd, len, "jump-wild")) {
    void (*f)(void) = (void (*)(void))(uintptr_t)0x7ff00000ull;
    f();
    return 0;
  }
  if (is(cmd, len, "result-too-long")) {
    rt_hypercall(VMM_PORT_RESULT, 0xffffffffu);
    return 0;
  }
  if (is(cmd, len, "console-too-long")) {
    *(volatile uint32_t *)VMM_GPA_CONSOLE = 0x7fffffffu;
    rt_hypercall(VMM_PORT_CONSOLE, 0);
    return 0;
  }
  if (is(cmd, len, "bad-port")) {
    rt_hypercall(0x5ff, 0);
    return 0;
  }
  if (is(cmd, len, "unknown-hypercall")) {
    rt_hypercall(0x50f, 0);
    return 0;
  }
  if (is(cmd, len, "stray-out")) {
    __asm__ volatile("mov $0x501, %%dx; mov $0, %%eax; out %%eax, (%%dx)" ::: "rax", "rdx");
    return reply(out, cap, "stray out returned");
  }
  if (is(cmd, len, "stray-in")) {
    uint32_t v;
    __asm__ volatile("mov $0x501, %%dx; in (%%dx), %%eax" : "=a"(v)::"rdx");
    return reply(out, cap, "stray in returned %u", v);
  }
  if (is(cmd, len, "ready-again")) {
    rt_hypercall(VMM_PORT_READY, 0);
    return 0;
  }
  /* ---- privileged instructions: each is a #GP (or #UD) at CPL3 ---- */
  if (is(cmd, len, "hlt")) __asm__ volatile("hlt");
  if (is(cmd, len, "cli")) __asm__ volatile("cli");
  if (is(cmd, len, "lgdt")) {
    static const struct __attribute__((packed)) {
      uint16_t limit;
      uint64_t base;
    } gdtr = {0xfff, 0x200000};
    __asm__ volatile("lgdt %0" : : "m"(gdtr));
  }
  if (is(cmd, len, "mov-cr3")) __asm__ volatile("mov %0, %%cr3" : : "r"((uint64_t)VMM_GPA_IMAGE));
  if (is(cmd, len, "wrmsr")) __asm__ volatile("wrmsr" : : "c"(0xc0000082u), "a"(0x200000u), "d"(0u)); /* LSTAR */
  if (is(cmd, len, "int")) __asm__ volatile("int $0x80");
  if (is(cmd, len, "syscall")) hostile_syscall();
  if (is(cmd, len, "divide")) {
    volatile uint32_t zero = 0;
    uint32_t q = 1;
    __asm__ volatile("xor %%edx, %%edx; divl %1" : "+a"(q) : "r"(zero) : "rdx");
    return reply(out, cap, "1/0 = %u", q);
  }
  /* ---- writes to pages the monitor owns (supervisor-only or user read-only) ---- */
  static const struct {
    const char *name;
    uint64_t gpa;
  } owned[] = {
      {"write-gdt", VMM_GPA_GDT},
      {"write-idt", VMM_GPA_IDT},
      {"write-tss", VMM_GPA_TSS},
      {"write-clock", VMM_GPA_CLOCK},
      {"write-hypercall", VMM_GPA_HYPERCALL},
      {"write-mailbox", VMM_GPA_REQUEST},
      {"write-bootinfo", VMM_GPA_BOOT_INFO},
      {"write-stubs", VMM_GPA_EXCEPTIONS},
  };
  for (size_t i = 0; i < sizeof owned / sizeof owned[0]; i++) {
    if (is(cmd, len, owned[i].name)) {
      *address(owned[i].gpa + 8) = 0x4141414141414141ull;
      return reply(out, cap, "wrote to 0x%llx", (unsigned long long)owned[i].gpa);
    }
  }
  /* ---- forged fault reports: only the monitor's exception stubs may report a fault ---- */
  if (is(cmd, len, "forge-fault")) {
    rt_hypercall(VMM_PORT_FAULT, 14);
    return reply(out, cap, "forged fault returned");
  }
  if (is(cmd, len, "forge-fault-out")) {
    __asm__ volatile("mov %0, %%dx; mov $14, %%eax; out %%eax, (%%dx)" : : "i"(VMM_PORT_FAULT) : "rax", "rdx");
    return reply(out, cap, "forged fault returned");
  }
  /* ---- port I/O of other widths, and string I/O ---- */
  if (is(cmd, len, "out8")) __asm__ volatile("mov $0x501, %%dx; mov $0, %%al; outb %%al, (%%dx)" ::: "rax", "rdx");
  if (is(cmd, len, "out16")) __asm__ volatile("mov $0x501, %%dx; mov $0, %%ax; outw %%ax, (%%dx)" ::: "rax", "rdx");
  if (is(cmd, len, "in8")) __asm__ volatile("mov $0x501, %%dx; inb (%%dx), %%al" ::: "rax", "rdx");
  if (is(cmd, len, "in16")) __asm__ volatile("mov $0x501, %%dx; inw (%%dx), %%ax" ::: "rax", "rdx");
  if (is(cmd, len, "outs")) {
    static const uint8_t bytes[4] = {1, 2, 3, 4};
    __asm__ volatile("mov $0x501, %%dx; cld; rep outsb" : : "S"(bytes), "c"(4) : "rdx", "memory");
  }
  if (is(cmd, len, "ins")) {
    static uint8_t bytes[4];
    __asm__ volatile("mov $0x501, %%dx; cld; rep insb" : : "D"(bytes), "c"(4) : "rdx", "memory");
  }
  if (is(cmd, len, "hlt") || is(cmd, len, "cli") || is(cmd, len, "lgdt") || is(cmd, len, "mov-cr3") || is(cmd, len, "wrmsr") || is(cmd, len, "int") ||
      is(cmd, len, "syscall") || is(cmd, len, "out8") || is(cmd, len, "out16") || is(cmd, len, "in8") || is(cmd, len, "in16") ||
      is(cmd, len, "outs") || is(cmd, len, "ins"))
    return reply(out, cap, "%.*s returned to the guest", (int)len, cmd);
  if (is(cmd, len, "exit")) exit(atoi(arg));
  if (is(cmd, len, "abort")) rt_panic("asked to abort");
  return reply(out, cap, "unknown command");
}
