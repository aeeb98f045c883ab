/*
 * The guest RNG, modelled on Linux's: a ChaCha20 DRBG with fast key erasure (each request ends
 * by replacing the key with fresh keystream, so a captured state cannot replay past output).
 * Seeded at boot from rdrand (when CPUID says the CPU has it; Unicorn does not), the vmgenid
 * page and the host seed. Like Linux with vmgenid, it reseeds as soon as it sees a new
 * generation ID: checked at the start of every request and on every draw. Without vmgenid
 * (or with the same ID) a restored clone continues the snapshot's stream: that is the bug
 * class this project demonstrates.
 */
#include <cpuid.h>
#include <string.h>

#include "chacha20.h"
#include "rt.h"
#include "rt_internal.h"

static uint8_t key[32];
static uint32_t counter;
static uint8_t last_generation[16];
static uint64_t generations;
static int rdrand_ok = -1;

int rt_has_rdrand(void) {
  if (rdrand_ok < 0) {
    unsigned a, b, c, d;
    rdrand_ok = __get_cpuid(1, &a, &b, &c, &d) && (c & bit_RDRND) ? 1 : 0;
  }
  return rdrand_ok;
}

int rt_has_vmgenid(void) { return VMGENID_PAGE->present != 0; }

static int rdrand64(uint64_t *v) {
  for (int i = 0; i < 10; i++) {
    unsigned char ok;
    __asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
    if (ok) return 1;
  }
  return 0;
}

/* Mixes 32-byte chunks of seed material into the key, then derives a new key from it. */
static void mix(const uint8_t *material, size_t len) {
  for (size_t i = 0; i < len; i++) key[i % 32] ^= material[i];
  static const uint8_t nonce[12] = {'r', 'e', 's', 'e', 'e', 'd', 0, 0, 0, 0, 0, 0};
  uint8_t block[64];
  chacha20_block(key, 0, nonce, block);
  memcpy(key, block, 32);
  memset(block, 0, sizeof block);
  counter = 0;
}

static void reseed(void) {
  /* A restored clone may run on another CPU (a snapshot taken under kvm restores under tcg,
   * which has no rdrand): probe the CPU again instead of trusting what init saw. */
  rdrand_ok = -1;
  uint8_t material[16 + 32 + 32 + 8];
  memset(material, 0, sizeof material);
  for (int i = 0; i < 16; i++) material[i] = VMGENID_PAGE->generation_id[i];
  for (int i = 0; i < 32; i++) material[16 + i] = VMGENID_PAGE->host_seed[i];
  if (rt_has_rdrand()) {
    for (int i = 0; i < 4; i++) {
      uint64_t v = 0;
      if (rdrand64(&v)) memcpy(material + 48 + 8 * i, &v, 8);
    }
  }
  uint64_t t = rt_monotonic_ns();
  memcpy(material + 80, &t, 8);
  mix(material, sizeof material);
  memset(material, 0, sizeof material);
}

void rt_rng_init(void) {
  for (int i = 0; i < 16; i++) last_generation[i] = VMGENID_PAGE->generation_id[i];
  reseed();
}

int rt_generation_check(void) {
  if (!VMGENID_PAGE->present) return 0;
  uint8_t now[16];
  for (int i = 0; i < 16; i++) now[i] = VMGENID_PAGE->generation_id[i];
  if (memcmp(now, last_generation, 16) == 0) return 0;
  memcpy(last_generation, now, 16);
  generations++;
  reseed();
  return 1;
}

uint64_t rt_generation_count(void) { return generations; }

void rt_random_bytes(void *buf, size_t len) {
  rt_generation_check();
  static const uint8_t nonce[12] = {'d', 'r', 'b', 'g', 0, 0, 0, 0, 0, 0, 0, 0};
  uint8_t block[64];
  uint8_t *out = buf;
  while (len > 0) {
    chacha20_block(key, counter++, nonce, block);
    size_t n = len < sizeof block ? len : sizeof block;
    memcpy(out, block, n);
    out += n;
    len -= n;
  }
  /* Fast key erasure. */
  chacha20_block(key, counter++, nonce, block);
  memcpy(key, block, 32);
  counter = 0;
  memset(block, 0, sizeof block);
}

uint64_t rt_random_u64(void) {
  uint64_t v;
  rt_random_bytes(&v, sizeof v);
  return v;
}
