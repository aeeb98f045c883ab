/*
 * The SnapStart article's example as a vmm-core guest: a function that, during init, creates a
 * unique "sandbox id" for its log stream, here from a userspace PRNG seeded once (like
 * java.util.Random or Math.random). Each invocation also draws a request id from the guest
 * RNG, which the platform repairs through vmgenid.
 *
 * Restore N clones from one snapshot and compare: sandboxId and userspaceRandom are identical in
 * every clone (init state in the snapshot); requestId differs with vmgenid `fresh` and repeats
 * with `same` or `none`.
 */
#include <stdio.h>
#include <string.h>

#include "../rt/rt.h"

static uint64_t prng; /* xorshift64*: userspace state, captured by the snapshot */
static char sandbox_id[37];

static uint64_t prng_next(void) {
  prng ^= prng >> 12;
  prng ^= prng << 25;
  prng ^= prng >> 27;
  return prng * 0x2545f4914f6cdd1dull;
}

static void format_uuid(char out[37], uint64_t hi, uint64_t lo) {
  uint8_t b[16];
  memcpy(b, &hi, 8);
  memcpy(b + 8, &lo, 8);
  b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);
  b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);
  snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8],
           b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

int app_init(const uint8_t *init_data, size_t init_len) {
  (void)init_data;
  (void)init_len;
  /* "Homemade" seeding from the clock, as in the article's anti-pattern. */
  prng = rt_realtime_ns() ^ 0x9e3779b97f4a7c15ull;
  if (!prng) prng = 1;
  uint64_t hi = prng_next(), lo = prng_next();
  format_uuid(sandbox_id, hi, lo);
  rt_printf("init: sandbox id %s\n", sandbox_id);
  return 0;
}

size_t app_invoke(const uint8_t *request, size_t len, uint32_t sequence, uint8_t *out, size_t cap) {
  (void)request;
  (void)len;
  char request_id[37];
  format_uuid(request_id, rt_random_u64(), rt_random_u64());
  uint64_t user = prng_next();
  int n = snprintf((char *)out, cap,
                   "{\"sandboxId\":\"%s\",\"logStream\":\"%s.log9.txt\",\"userspaceRandom\":\"%016llx\",\"requestId\":\"%s\","
                   "\"generation\":%llu,\"sequence\":%u,\"rdrand\":%s,\"vmgenid\":%s,\"timeMs\":%llu}",
                   sandbox_id, sandbox_id, (unsigned long long)user, request_id, (unsigned long long)rt_generation_count(), sequence,
                   rt_has_rdrand() ? "true" : "false", rt_has_vmgenid() ? "true" : "false", (unsigned long long)(rt_realtime_ns() / 1000000u));
  rt_printf("invoke %u: request %s\n", sequence, request_id);
  return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap;
}
