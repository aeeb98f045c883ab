/*
 * libc functions whose musl versions would make a system call, replaced by ones that use the
 * monitor's pages instead. Everything else (strings, math, printf to buffers, strftime,
 * setjmp) comes unchanged from musl's libc.a.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "rt.h"
#include "rt_internal.h"

static uint64_t rdtsc(void) {
  uint32_t lo, hi;
  __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
  return ((uint64_t)hi << 32) | lo;
}

/* The monitor refreshes the clock page before every resume; the TSC measures time since. */
static uint64_t since_refresh_ns(uint64_t tsc_then, uint64_t khz) {
  if (!khz) return 0;
  uint64_t delta = rdtsc() - tsc_then;
  return (uint64_t)((unsigned __int128)delta * 1000000u / khz);
}

uint64_t rt_realtime_ns(void) { return CLOCK_PAGE->realtime_ns + since_refresh_ns(CLOCK_PAGE->tsc, CLOCK_PAGE->tsc_khz); }

uint64_t rt_monotonic_ns(void) { return CLOCK_PAGE->monotonic_ns + since_refresh_ns(CLOCK_PAGE->tsc, CLOCK_PAGE->tsc_khz); }

int clock_gettime(clockid_t id, struct timespec *ts) {
  uint64_t ns;
  switch (id) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE: ns = rt_realtime_ns(); break;
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME: ns = rt_monotonic_ns(); break;
    default: errno = EINVAL; return -1;
  }
  ts->tv_sec = (time_t)(ns / 1000000000u);
  ts->tv_nsec = (long)(ns % 1000000000u);
  return 0;
}

/* musl's own callers use the internal name; define it so its syscall version is never linked. */
int __clock_gettime(clockid_t id, struct timespec *ts) { return clock_gettime(id, ts); }

int gettimeofday(struct timeval *restrict tv, void *restrict tz) {
  (void)tz;
  if (tv) {
    uint64_t ns = rt_realtime_ns();
    tv->tv_sec = (time_t)(ns / 1000000000u);
    tv->tv_usec = (suseconds_t)(ns % 1000000000u / 1000u);
  }
  return 0;
}

time_t time(time_t *t) {
  time_t now = (time_t)(rt_realtime_ns() / 1000000000u);
  if (t) *t = now;
  return now;
}

/* The guest has no time zone database: local time is UTC (musl's would open /etc/localtime). */
struct tm *localtime_r(const time_t *restrict t, struct tm *restrict tm) {
  return gmtime_r(t, tm);
}
struct tm *localtime(const time_t *t) {
  static struct tm tm;
  return gmtime_r(t, &tm);
}
time_t mktime(struct tm *tm) { return timegm(tm); }

/* musl keeps its time-zone state in one object whose other parts open /etc/localtime, lock and
 * allocate (all system calls). gmtime_r needs only the zone name and strftime's %Z only the name
 * of a tm's zone: defined here, in UTC, so that object is never linked. */
const char __utc[] = "UTC";
const char *__tm_to_tzname(const struct tm *tm) {
  (void)tm;
  return __utc;
}

_Noreturn void abort(void) {
  rt_console_write("abort()\n", 8);
  for (;;) rt_hypercall(VMM_PORT_ABORT, 0);
}

_Noreturn void exit(int status) {
  for (;;) rt_hypercall(VMM_PORT_EXIT, (uint32_t)status);
}

_Noreturn void _Exit(int status) { exit(status); }
