/*
 * The monitor's control protocol on stdin/stdout. Every message is one header line,
 *   VERB key=value key=value ...\n
 * with values percent-encoded, followed by exactly `len` raw bytes when the header has len=N.
 * Text headers keep the protocol debuggable by hand; raw payloads keep events and results
 * binary-safe. See docs/vmm.md for every verb.
 */
#ifndef VMM_PROTOCOL_H
#define VMM_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PROTO_MAX_FIELDS  16
#define PROTO_MAX_LINE    8192
#define PROTO_MAX_PAYLOAD (64u << 20)

struct proto_message {
  char verb[32];
  int nfields;
  char *keys[PROTO_MAX_FIELDS];
  char *values[PROTO_MAX_FIELDS];
  char line[PROTO_MAX_LINE];
  uint8_t *payload;
  size_t payload_len;
};

/* 1 = a message, 0 = end of input, -1 = malformed (message in err). */
int proto_read(FILE *in, struct proto_message *m, char *err, size_t err_len);
void proto_free(struct proto_message *m);
const char *proto_get(const struct proto_message *m, const char *key);
/* Parses an unsigned decimal field; `def` when absent; -1 when present but malformed or > max. */
int proto_get_u64(const struct proto_message *m, const char *key, uint64_t def, uint64_t max, uint64_t *out);

/* Writes a header (fields as alternating key, value strings, NULL-terminated) and payload. */
void proto_write(FILE *out, const char *verb, const uint8_t *payload, size_t len, ...);

#endif
