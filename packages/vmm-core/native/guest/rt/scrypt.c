/* PBKDF2-HMAC-SHA-256 (RFC 8018) and scrypt (RFC 7914), for guests that derive keys at init. */
#include "scrypt.h"

#include <stdlib.h>
#include <string.h>

#include "sha256.h"

void pbkdf2_hmac_sha256(const uint8_t *password, size_t password_len, const uint8_t *salt, size_t salt_len, uint32_t iterations, uint8_t *out,
                        size_t out_len) {
  uint8_t *msg = malloc(salt_len + 4);
  if (!msg) return;
  memcpy(msg, salt, salt_len);
  for (uint32_t block = 1; out_len > 0; block++) {
    msg[salt_len] = (uint8_t)(block >> 24);
    msg[salt_len + 1] = (uint8_t)(block >> 16);
    msg[salt_len + 2] = (uint8_t)(block >> 8);
    msg[salt_len + 3] = (uint8_t)block;
    uint8_t u[32], t[32];
    hmac_sha256(password, password_len, msg, salt_len + 4, u);
    memcpy(t, u, 32);
    for (uint32_t i = 1; i < iterations; i++) {
      hmac_sha256(password, password_len, u, 32, u);
      for (int k = 0; k < 32; k++) t[k] ^= u[k];
    }
    size_t n = out_len < 32 ? out_len : 32;
    memcpy(out, t, n);
    out += n;
    out_len -= n;
  }
  free(msg);
}

#define R(a, b) (((a) << (b)) | ((a) >> (32 - (b))))

static void salsa20_8(uint32_t b[16]) {
  uint32_t x[16];
  memcpy(x, b, sizeof x);
  for (int i = 0; i < 8; i += 2) {
    x[4] ^= R(x[0] + x[12], 7);
    x[8] ^= R(x[4] + x[0], 9);
    x[12] ^= R(x[8] + x[4], 13);
    x[0] ^= R(x[12] + x[8], 18);
    x[9] ^= R(x[5] + x[1], 7);
    x[13] ^= R(x[9] + x[5], 9);
    x[1] ^= R(x[13] + x[9], 13);
    x[5] ^= R(x[1] + x[13], 18);
    x[14] ^= R(x[10] + x[6], 7);
    x[2] ^= R(x[14] + x[10], 9);
    x[6] ^= R(x[2] + x[14], 13);
    x[10] ^= R(x[6] + x[2], 18);
    x[3] ^= R(x[15] + x[11], 7);
    x[7] ^= R(x[3] + x[15], 9);
    x[11] ^= R(x[7] + x[3], 13);
    x[15] ^= R(x[11] + x[7], 18);
    x[1] ^= R(x[0] + x[3], 7);
    x[2] ^= R(x[1] + x[0], 9);
    x[3] ^= R(x[2] + x[1], 13);
    x[0] ^= R(x[3] + x[2], 18);
    x[6] ^= R(x[5] + x[4], 7);
    x[7] ^= R(x[6] + x[5], 9);
    x[4] ^= R(x[7] + x[6], 13);
    x[5] ^= R(x[4] + x[7], 18);
    x[11] ^= R(x[10] + x[9], 7);
    x[8] ^= R(x[11] + x[10], 9);
    x[9] ^= R(x[8] + x[11], 13);
    x[10] ^= R(x[9] + x[8], 18);
    x[12] ^= R(x[15] + x[14], 7);
    x[13] ^= R(x[12] + x[15], 9);
    x[14] ^= R(x[13] + x[12], 13);
    x[15] ^= R(x[14] + x[13], 18);
  }
  for (int i = 0; i < 16; i++) b[i] += x[i];
}

/* BlockMix with Salsa20/8: b is 2r 64-byte blocks; y is scratch of the same size. */
static void block_mix(uint32_t *b, uint32_t *y, uint32_t r) {
  uint32_t x[16];
  memcpy(x, &b[(2 * r - 1) * 16], 64);
  for (uint32_t i = 0; i < 2 * r; i++) {
    for (int k = 0; k < 16; k++) x[k] ^= b[i * 16 + k];
    salsa20_8(x);
    memcpy(&y[((i & 1) * r + i / 2) * 16], x, 64);
  }
  memcpy(b, y, 128 * (size_t)r);
}

static uint32_t le32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
static void put_le32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}

int scrypt(const uint8_t *password, size_t password_len, const uint8_t *salt, size_t salt_len, uint64_t n, uint32_t r, uint32_t p, uint8_t *out,
           size_t out_len) {
  if (n < 2 || (n & (n - 1)) != 0 || r == 0 || p == 0 || (uint64_t)r * p >= (1u << 30) || n > (1ull << 32) / r) return -1;
  size_t block = 128 * (size_t)r;
  uint8_t *bytes = malloc(block * p);
  uint32_t *v = malloc(block * (size_t)n);
  uint32_t *x = malloc(block);
  uint32_t *y = malloc(block);
  if (!bytes || !v || !x || !y) {
    free(bytes);
    free(v);
    free(x);
    free(y);
    return -1;
  }
  pbkdf2_hmac_sha256(password, password_len, salt, salt_len, 1, bytes, block * p);
  size_t words = block / 4;
  for (uint32_t i = 0; i < p; i++) {
    uint8_t *bi = bytes + (size_t)i * block;
    for (size_t k = 0; k < words; k++) x[k] = le32(bi + 4 * k);
    for (uint64_t j = 0; j < n; j++) {
      memcpy(&v[j * words], x, block);
      block_mix(x, y, r);
    }
    for (uint64_t j = 0; j < n; j++) {
      uint64_t idx = x[(2 * r - 1) * 16] & (n - 1);
      for (size_t k = 0; k < words; k++) x[k] ^= v[idx * words + k];
      block_mix(x, y, r);
    }
    for (size_t k = 0; k < words; k++) put_le32(bi + 4 * k, x[k]);
  }
  pbkdf2_hmac_sha256(password, password_len, bytes, block * p, 1, out, out_len);
  free(bytes);
  free(v);
  free(x);
  free(y);
  return 0;
}
