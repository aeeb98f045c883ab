/*
 * malloc for the guest: power-of-two size classes with free lists on a bump heap whose bounds
 * come from the boot-info page. Simple, deterministic (the same init allocates the same
 * addresses in every boot), and with no system call.
 *
 * Blocks over 1 MiB are page-granular (a 128 MiB scrypt buffer must not cost 256 MiB), reused
 * first-fit, and zeroed when freed: a guest kernel would hand such memory back to the host, and
 * zero pages keep a snapshot sparse instead of carrying a dead buffer.
 * Part of the guest runtime linked into every guest image; see docs/vmm.md, "The guest runtime".
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rt.h"
#include "rt_internal.h"

#define HEADER      16u /* keeps every block 16-byte aligned */
#define MIN_CLASS   5   /* 32 bytes */
#define MAX_CLASS   20  /* 1 MiB: larger blocks take the large path */
#define LARGE_CLASS 63u /* header tag of a large block; its size follows the tag */
#define PAGE        4096u

struct large_block {
  struct large_block *next;
  size_t size; /* whole block, header included, page multiple */
};
static struct large_block *large_free;

struct free_block {
  struct free_block *next;
};

static uintptr_t heap_next, heap_end, heap_start;
static struct free_block *free_lists[MAX_CLASS + 1];
static size_t in_use;

void rt_heap_init(void) {
  heap_start = heap_next = (uintptr_t)BOOT_INFO->heap_start;
  heap_end = (uintptr_t)BOOT_INFO->heap_end;
}

static unsigned size_class(size_t n) {
  size_t need = n + HEADER;
  unsigned c = MIN_CLASS;
  while (c < MAX_CLASS && ((size_t)1 << c) < need) c++;
  return c;
}

static void *large_malloc(size_t n) {
  if (n > SIZE_MAX - HEADER - PAGE) {
    errno = ENOMEM;
    return NULL;
  }
  size_t size = (n + HEADER + PAGE - 1) & ~(size_t)(PAGE - 1);
  struct large_block **link = &large_free;
  uint8_t *block = NULL;
  for (; *link; link = &(*link)->next) {
    if ((*link)->size >= size) {
      struct large_block *b = *link;
      *link = b->next;
      size = b->size;
      block = (uint8_t *)b;
      break;
    }
  }
  if (!block) {
    if (heap_end - heap_next < size) {
      errno = ENOMEM;
      return NULL;
    }
    block = (uint8_t *)heap_next;
    heap_next += size;
  }
  ((uint64_t *)(void *)block)[0] = LARGE_CLASS;
  ((uint64_t *)(void *)block)[1] = size;
  in_use += size;
  return block + HEADER;
}

void *malloc(size_t n) {
  if (n + HEADER > ((size_t)1 << MAX_CLASS)) return large_malloc(n);
  unsigned c = size_class(n);
  uint8_t *block;
  if (free_lists[c]) {
    block = (uint8_t *)free_lists[c];
    free_lists[c] = free_lists[c]->next;
  } else {
    size_t size = (size_t)1 << c;
    if (heap_end - heap_next < size) {
      errno = ENOMEM;
      return NULL;
    }
    block = (uint8_t *)heap_next;
    heap_next += size;
  }
  *(uint64_t *)(void *)block = c;
  in_use += (size_t)1 << c;
  return block + HEADER;
}

void free(void *p) {
  if (!p) return;
  uint8_t *block = (uint8_t *)p - HEADER;
  uint64_t c = *(uint64_t *)(void *)block;
  if ((uintptr_t)block < heap_start || (uintptr_t)block >= heap_next) rt_panic("free(%p): not a heap block", p);
  if (c == LARGE_CLASS) {
    size_t size = ((uint64_t *)(void *)block)[1];
    memset(block, 0, size);
    in_use -= size;
    struct large_block *b = (struct large_block *)(void *)block;
    b->size = size;
    b->next = large_free;
    large_free = b;
    return;
  }
  if (c < MIN_CLASS || c > MAX_CLASS) rt_panic("free(%p): not a heap block", p);
  in_use -= (size_t)1 << c;
  struct free_block *f = (struct free_block *)(void *)block;
  f->next = free_lists[c];
  free_lists[c] = f;
}

void *calloc(size_t count, size_t size) {
  if (size && count > SIZE_MAX / size) {
    errno = ENOMEM;
    return NULL;
  }
  void *p = malloc(count * size);
  if (p) memset(p, 0, count * size);
  return p;
}

void *realloc(void *p, size_t n) {
  if (!p) return malloc(n);
  if (n == 0) {
    free(p);
    return NULL;
  }
  uint64_t c = *(uint64_t *)(void *)((uint8_t *)p - HEADER);
  size_t capacity = c == LARGE_CLASS ? ((uint64_t *)(void *)((uint8_t *)p - HEADER))[1] - HEADER : ((size_t)1 << c) - HEADER;
  if (n <= capacity) return p;
  void *q = malloc(n);
  if (!q) return NULL;
  memcpy(q, p, capacity);
  free(p);
  return q;
}

void *aligned_alloc(size_t align, size_t n) {
  if (align > HEADER) {
    errno = EINVAL;
    return NULL;
  }
  return malloc(n);
}

int posix_memalign(void **out, size_t align, size_t n) {
  if (align > HEADER) return EINVAL;
  *out = malloc(n);
  return *out ? 0 : ENOMEM;
}

size_t rt_heap_used(void) { return in_use; }
size_t rt_heap_size(void) { return heap_end - heap_start; }
