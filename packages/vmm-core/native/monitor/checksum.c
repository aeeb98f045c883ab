#include "checksum.h"

#include <string.h>

/* Four independent multiply-rotate lanes over 64-bit words keep the CPU's multipliers busy
 * (several GB/s), then a final avalanche mixes the lanes and the length. */
#define K1 0x9e3779b185ebca87ull
#define K2 0xc2b2ae3d27d4eb4full
#define K3 0x165667b19e3779f9ull

static uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static uint64_t mix(uint64_t lane, uint64_t word) {
  lane += word * K2;
  lane = rotl(lane, 29);
  return lane * K1;
}

void checksum_init(struct checksum *c, uint64_t seed) {
  c->lane[0] = seed + K1 + K2;
  c->lane[1] = seed + K2;
  c->lane[2] = seed;
  c->lane[3] = seed - K1;
  c->total = 0;
}

void checksum_update(struct checksum *c, const void *data, size_t len) {
  const uint8_t *p = data;
  c->total += len;
  while (len >= 32) {
    uint64_t w[4];
    memcpy(w, p, sizeof w);
    c->lane[0] = mix(c->lane[0], w[0]);
    c->lane[1] = mix(c->lane[1], w[1]);
    c->lane[2] = mix(c->lane[2], w[2]);
    c->lane[3] = mix(c->lane[3], w[3]);
    p += 32;
    len -= 32;
  }
  /* A tail shorter than 32 bytes is folded into lane 0 a byte at a time. */
  for (size_t i = 0; i < len; i++) c->lane[0] = mix(c->lane[0], (uint64_t)p[i] + ((uint64_t)i << 8));
}

uint64_t checksum_final(const struct checksum *c) {
  uint64_t h = rotl(c->lane[0], 1) + rotl(c->lane[1], 7) + rotl(c->lane[2], 12) + rotl(c->lane[3], 18);
  for (int i = 0; i < 4; i++) h = (h ^ mix(0, c->lane[i])) * K1 + K3;
  h ^= c->total * K3;
  h ^= h >> 33;
  h *= K2;
  h ^= h >> 29;
  h *= K3;
  h ^= h >> 32;
  return h;
}

uint64_t checksum_bytes(const void *data, size_t len, uint64_t seed) {
  struct checksum c;
  checksum_init(&c, seed);
  checksum_update(&c, data, len);
  return checksum_final(&c);
}
