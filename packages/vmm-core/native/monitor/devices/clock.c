#include <cpuid.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../../abi/vmm_abi.h"
#include "devices.h"

static uint64_t ns(clockid_t id) {
  struct timespec t;
  clock_gettime(id, &t);
  return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static uint64_t host_tsc(void) {
  uint32_t lo, hi;
  __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
  return ((uint64_t)hi << 32) | lo;
}

void clock_refresh(uint8_t *ram, uint64_t guest_tsc, uint64_t tsc_khz) {
  struct vmm_clock c;
  memcpy(&c, ram + VMM_GPA_CLOCK, sizeof c);
  c.realtime_ns = ns(CLOCK_REALTIME);
  c.monotonic_ns = ns(CLOCK_MONOTONIC);
  c.tsc = guest_tsc;
  c.tsc_khz = tsc_khz;
  c.resume_count++;
  memcpy(ram + VMM_GPA_CLOCK, &c, sizeof c);
}

uint64_t clock_host_tsc_khz(unsigned calibrate_ms) {
  unsigned a, b, c, d;
  /* Leaf 0x15: TSC = crystal * EBX / EAX; hypervisor leaf 0x40000010: EAX = TSC kHz. */
  if (__get_cpuid_max(0, NULL) >= 0x15) {
    __cpuid_count(0x15, 0, a, b, c, d);
    if (a && b && c) return (uint64_t)c * b / a / 1000u;
  }
  __cpuid(0x40000000, a, b, c, d);
  if (a >= 0x40000010) {
    __cpuid(0x40000010, a, b, c, d);
    if (a) return a;
  }
  uint64_t t0 = ns(CLOCK_MONOTONIC_RAW), c0 = host_tsc();
  uint64_t t1;
  do t1 = ns(CLOCK_MONOTONIC_RAW);
  while (t1 - t0 < (uint64_t)calibrate_ms * 1000000ull);
  uint64_t c1 = host_tsc();
  return (c1 - c0) * 1000000ull / (t1 - t0);
}

/* The TSC frequency the snapshot ran with, for the record: a restore gets the host's. */
static void save(const struct device_host *h, void *state) {
  struct clock_state *s = state;
  s->tsc_khz = h->tsc_khz;
}

static int check(const void *state, char *why, size_t n) {
  (void)state;
  (void)why;
  (void)n;
  return 0;
}

static const struct snapshot_field fields[] = {
    SNAPSHOT_FIELD(struct clock_state, "tsc_khz", tsc_khz),
};
static const struct snapshot_section section = SNAPSHOT_SECTION("clock", fields);
const struct device_snapshot clock_snapshot = {&section, save, check};
