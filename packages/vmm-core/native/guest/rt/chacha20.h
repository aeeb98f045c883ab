#ifndef VMM_GUEST_CHACHA20_H
#define VMM_GUEST_CHACHA20_H

#include <stdint.h>

/* One 64-byte ChaCha20 block (RFC 8439 layout: 256-bit key, 32-bit counter, 96-bit nonce). */
void chacha20_block(const uint8_t key[32], uint32_t counter, const uint8_t nonce[12], uint8_t out[64]);

#endif
