/*
 * The monitor's control protocol: reads request frames from stdin and writes answer, console and
 * error frames to stdout (header line of percent-encoded key=value fields, then raw payload).
 * Place in the pipeline: src/monitor.ts on the host side, main.c's command loop on this side.
 * See protocol.h and docs/vmm.md, "Protocol".
 */
#include "protocol.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* In-place percent-decoding. -1 on a malformed escape or an embedded NUL. */
static int pct_decode(char *s) {
  char *w = s;
  for (char *r = s; *r; r++) {
    if (*r != '%') {
      *w++ = *r;
      continue;
    }
    int hi = hexval((unsigned char)r[1]), lo = hi < 0 ? -1 : hexval((unsigned char)r[2]);
    if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) return -1;
    *w++ = (char)(hi * 16 + lo);
    r += 2;
  }
  *w = 0;
  return 0;
}

int proto_read(FILE *in, struct proto_message *m, char *err, size_t n) {
  memset(m, 0, sizeof *m);
  if (!fgets(m->line, sizeof m->line, in)) return 0;
  size_t len = strlen(m->line);
  if (len == 0 || m->line[len - 1] != '\n') {
    snprintf(err, n, "header line longer than %d bytes or not terminated", PROTO_MAX_LINE - 1);
    /* Skip the rest of the line so the next message can still be read. */
    int c;
    while ((c = fgetc(in)) != EOF && c != '\n') {}
    return -1;
  }
  m->line[len - 1] = 0;
  char *save = NULL;
  char *tok = strtok_r(m->line, " ", &save);
  if (!tok || strlen(tok) >= sizeof m->verb) {
    snprintf(err, n, "missing or overlong verb");
    return -1;
  }
  strcpy(m->verb, tok);
  while ((tok = strtok_r(NULL, " ", &save))) {
    char *eq = strchr(tok, '=');
    if (!eq || eq == tok || m->nfields == PROTO_MAX_FIELDS) {
      snprintf(err, n, "malformed field '%.40s' (expected key=value, at most %d)", tok, PROTO_MAX_FIELDS);
      return -1;
    }
    *eq = 0;
    if (pct_decode(eq + 1) < 0) {
      snprintf(err, n, "bad percent-encoding in field '%.40s'", tok);
      return -1;
    }
    m->keys[m->nfields] = tok;
    m->values[m->nfields] = eq + 1;
    m->nfields++;
  }
  uint64_t plen = 0;
  if (proto_get_u64(m, "len", 0, PROTO_MAX_PAYLOAD, &plen) < 0) {
    snprintf(err, n, "len must be a byte count up to %u", PROTO_MAX_PAYLOAD);
    return -1;
  }
  if (plen) {
    m->payload = malloc(plen);
    if (!m->payload) {
      snprintf(err, n, "out of memory for a %llu-byte payload", (unsigned long long)plen);
      return -1;
    }
    if (fread(m->payload, 1, plen, in) != plen) {
      snprintf(err, n, "input ended inside a %llu-byte payload", (unsigned long long)plen);
      proto_free(m);
      return 0;
    }
    m->payload_len = plen;
  }
  return 1;
}

void proto_free(struct proto_message *m) {
  free(m->payload);
  m->payload = NULL;
  m->payload_len = 0;
}

const char *proto_get(const struct proto_message *m, const char *key) {
  for (int i = 0; i < m->nfields; i++)
    if (strcmp(m->keys[i], key) == 0) return m->values[i];
  return NULL;
}

int proto_get_u64(const struct proto_message *m, const char *key, uint64_t def, uint64_t max, uint64_t *out) {
  const char *v = proto_get(m, key);
  if (!v) {
    *out = def;
    return 0;
  }
  if (!*v) return -1;
  for (const char *p = v; *p; p++)
    if (!isdigit((unsigned char)*p)) return -1;
  errno = 0;
  unsigned long long x = strtoull(v, NULL, 10);
  if (errno || x > max) return -1;
  *out = x;
  return 0;
}

static void put_encoded(FILE *out, const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p <= 0x20 || *p == '%' || *p == '=' || *p >= 0x7f)
      fprintf(out, "%%%02X", *p);
    else
      fputc(*p, out);
  }
}

void proto_write(FILE *out, const char *verb, const uint8_t *payload, size_t len, ...) {
  fputs(verb, out);
  va_list ap;
  va_start(ap, len);
  for (;;) {
    const char *k = va_arg(ap, const char *);
    if (!k) break;
    const char *v = va_arg(ap, const char *);
    fputc(' ', out);
    fputs(k, out);
    fputc('=', out);
    put_encoded(out, v ? v : "");
  }
  va_end(ap);
  if (payload) fprintf(out, " len=%zu", len);
  fputc('\n', out);
  if (payload && len) fwrite(payload, 1, len, out);
  fflush(out);
}
