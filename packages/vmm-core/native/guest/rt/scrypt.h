#ifndef VMM_GUEST_SCRYPT_H
#define VMM_GUEST_SCRYPT_H

#include <stddef.h>
#include <stdint.h>

void pbkdf2_hmac_sha256(const uint8_t *password, size_t password_len, const uint8_t *salt, size_t salt_len, uint32_t iterations, uint8_t *out,
                        size_t out_len);
/* scrypt (RFC 7914). Returns 0, or -1 when the parameters are invalid or memory runs out. */
int scrypt(const uint8_t *password, size_t password_len, const uint8_t *salt, size_t salt_len, uint64_t n, uint32_t r, uint32_t p, uint8_t *out,
           size_t out_len);

#endif
