/*
 * Snapshot sections declared once. A section is a list of fields, each a member of a C struct;
 * the same list drives the writer, the reader, the section's size and the layout the monitor
 * prints for tests and docs (`vmm-monitor --snapshot-layout`). A field is stored as the
 * member's bytes in little-endian order (x86-64's own), so its width in the file is the
 * member's sizeof: nothing is summed by hand. See docs/vmm.md, "Snapshot file".
 */
#ifndef VMM_SNAPSHOT_FIELDS_H
#define VMM_SNAPSHOT_FIELDS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct snapshot_field {
  const char *name;
  size_t offset; /* in the section's struct; SNAPSHOT_PAD for reserved zero bytes */
  size_t size;   /* bytes in the file (= the member's size) */
};
#define SNAPSHOT_PAD ((size_t)-1)

/* A member of `type` stored under `name`; a run of `n` reserved zero bytes. */
#define SNAPSHOT_FIELD(type, name, member) \
  { name, offsetof(type, member), sizeof(((type *)0)->member) }
#define SNAPSHOT_RESERVED(n) \
  { "reserved", SNAPSHOT_PAD, (n) }

struct snapshot_section {
  const char *name;
  const struct snapshot_field *fields;
  size_t count;
};
#define SNAPSHOT_SECTION(name, fields) \
  { name, fields, sizeof fields / sizeof fields[0] }

/* A bounded little-endian buffer: writes past the end or reads past it set `overflow`. */
struct snapshot_buf {
  uint8_t *p;
  size_t len, pos;
  int overflow;
};

size_t snapshot_section_size(const struct snapshot_section *s);
/* The offset of field `name` in the section (the section's size when there is none). */
size_t snapshot_section_offset_of(const struct snapshot_section *s, const char *name);
void snapshot_section_put(struct snapshot_buf *b, const struct snapshot_section *s, const void *src);
/* Reads the section into `dst`; a reserved byte that is not zero sets *bad_reserved. */
void snapshot_section_get(struct snapshot_buf *b, const struct snapshot_section *s, void *dst, int *bad_reserved);
/* Appends the section's fields as JSON objects {"name","offset","size"} starting at `base`. */
void snapshot_section_json(FILE *out, const struct snapshot_section *s, const char *prefix, size_t base, int *first);

void snapshot_put_bytes(struct snapshot_buf *b, const void *v, size_t n);
void snapshot_get_bytes(struct snapshot_buf *b, void *v, size_t n);

#endif
