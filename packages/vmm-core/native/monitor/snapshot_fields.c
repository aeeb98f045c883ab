/* The codec shared by every snapshot section (see snapshot_fields.h). */
#include "snapshot_fields.h"

#include <string.h>

void snapshot_put_bytes(struct snapshot_buf *b, const void *v, size_t n) {
  if (b->overflow || n > b->len - b->pos) {
    b->overflow = 1;
    return;
  }
  if (v)
    memcpy(b->p + b->pos, v, n); /* x86-64 is little-endian: the host order is the file order */
  else
    memset(b->p + b->pos, 0, n);
  b->pos += n;
}

void snapshot_get_bytes(struct snapshot_buf *b, void *v, size_t n) {
  if (b->overflow || n > b->len - b->pos) {
    b->overflow = 1;
    if (v) memset(v, 0, n);
    return;
  }
  if (v) memcpy(v, b->p + b->pos, n);
  b->pos += n;
}

size_t snapshot_section_size(const struct snapshot_section *s) {
  size_t total = 0;
  for (size_t i = 0; i < s->count; i++) total += s->fields[i].size;
  return total;
}

size_t snapshot_section_offset_of(const struct snapshot_section *s, const char *name) {
  size_t at = 0;
  for (size_t i = 0; i < s->count; i++) {
    if (s->fields[i].offset != SNAPSHOT_PAD && strcmp(s->fields[i].name, name) == 0) return at;
    at += s->fields[i].size;
  }
  return at;
}

void snapshot_section_put(struct snapshot_buf *b, const struct snapshot_section *s, const void *src) {
  for (size_t i = 0; i < s->count; i++) {
    const struct snapshot_field *f = &s->fields[i];
    snapshot_put_bytes(b, f->offset == SNAPSHOT_PAD ? NULL : (const uint8_t *)src + f->offset, f->size);
  }
}

void snapshot_section_get(struct snapshot_buf *b, const struct snapshot_section *s, void *dst, int *bad_reserved) {
  for (size_t i = 0; i < s->count; i++) {
    const struct snapshot_field *f = &s->fields[i];
    if (f->offset != SNAPSHOT_PAD) {
      snapshot_get_bytes(b, (uint8_t *)dst + f->offset, f->size);
      continue;
    }
    uint8_t pad[16] = {0};
    for (size_t left = f->size; left > 0;) {
      size_t n = left < sizeof pad ? left : sizeof pad;
      snapshot_get_bytes(b, pad, n);
      for (size_t k = 0; k < n; k++)
        if (pad[k] && bad_reserved) *bad_reserved = 1;
      left -= n;
    }
  }
}

void snapshot_section_json(FILE *out, const struct snapshot_section *s, const char *prefix, size_t base, int *first) {
  size_t at = base;
  for (size_t i = 0; i < s->count; i++) {
    const struct snapshot_field *f = &s->fields[i];
    if (f->offset != SNAPSHOT_PAD) {
      fprintf(out, "%s\"%s%s\":{\"offset\":%zu,\"size\":%zu}", *first ? "" : ",", prefix, f->name, at, f->size);
      *first = 0;
    }
    at += f->size;
  }
}
