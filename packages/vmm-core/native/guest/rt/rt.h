/*
 * The guest runtime: what a vmm-core guest program links against. A program provides
 * app_init() (runs before the snapshot point) and app_invoke() (runs for each request); the
 * runtime provides memory, console, time, the guest RNG and the hypercall loop.
 * No function here makes a system call: there is no kernel in the guest.
 */
#ifndef VMM_GUEST_RT_H
#define VMM_GUEST_RT_H

#include <stddef.h>
#include <stdint.h>

/* ---- provided by the program ---- */
/* Runs once, at boot, before READY (the snapshot point). Non-zero aborts the boot. */
int app_init(const uint8_t *init_data, size_t init_len);
/* Handles one request; returns the response length written to `out` (at most `cap`). */
size_t app_invoke(const uint8_t *request, size_t len, uint32_t sequence, uint8_t *out, size_t cap);
/* Optional: called once at the start of the first request after the generation ID changed
 * (i.e. after a restore with a fresh vmgenid), after the RNG has reseeded. */
void app_generation_changed(void) __attribute__((weak));

/* ---- provided by the runtime ---- */
void rt_hypercall(uint32_t port, uint32_t value);
void rt_console_write(const char *text, size_t len);
void rt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void rt_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Guest RNG: a ChaCha20 DRBG seeded from rdrand (when the CPU has it), the vmgenid and the
 * host seed; it reseeds whenever the generation ID changes. */
void rt_random_bytes(void *buf, size_t len);
uint64_t rt_random_u64(void);
/* Checks the vmgenid page; reseeds and returns 1 when the generation changed. */
int rt_generation_check(void);
/* How many generation changes this guest has seen (0 until its first fresh restore). */
uint64_t rt_generation_count(void);
int rt_has_rdrand(void);
int rt_has_vmgenid(void);

/* Time from the clock page plus the TSC: no exit. */
uint64_t rt_realtime_ns(void);
uint64_t rt_monotonic_ns(void);

/* Heap statistics. */
size_t rt_heap_used(void);
size_t rt_heap_size(void);

#endif
