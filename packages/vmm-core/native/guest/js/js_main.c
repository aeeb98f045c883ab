/*
 * The JavaScript guest: Duktape (Debian's duktape-dev sources, compiled into the image) on the
 * guest runtime. The boot-time init payload holds the scripts to run (a polyfill prelude, then the
 * function's bundle lowered to ES5); they define the function and its runtime. Each request is a
 * JSON envelope handed to `__snapstartHandle`, whose JSON answer is the response.
 *
 * A VM can also start from a base image (a snapshot taken after the preludes ran) and receive the
 * function's scripts afterwards: requests starting with "\0load\n" append a chunk of an init
 * payload, "\0run\n" runs it and finishes init (the answer is "" or the init error as JSON). That
 * lets every function boot skip the preludes; Math.random is reseeded first, so VMs started from
 * one base image do not share its stream.
 *
 * Native bindings live on `__guest`: console output, the guest RNG, the clock page, SHA-256 and
 * HMAC (request signing), and a Math.random that can be reseeded after a restore. Duktape's own
 * Math.random is seeded once, at heap creation, from the clock: a restored clone continues the
 * snapshot's stream unless the host asks for a reseed.
 * Used by the harness's microvm engine (packages/harness/src/engines/microvm); see docs/vmm.md.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../rt/rt.h"
#include "../rt/scrypt.h"
#include "../rt/sha256.h"
#include "duktape.h"

#define INIT_ERROR_MARKER "@@snapstart-init-error@@ "

static duk_context *ctx;

static void fatal(void *udata, const char *msg) {
  (void)udata;
  rt_panic("duktape fatal error: %s", msg ? msg : "(no message)");
}

static duk_ret_t js_print(duk_context *c) {
  duk_size_t len;
  const char *s = duk_safe_to_lstring(c, 0, &len);
  rt_console_write(s, len);
  return 0;
}

static void push_bytes(duk_context *c, const uint8_t *data, size_t len) {
  void *buf = duk_push_fixed_buffer(c, len);
  if (len) memcpy(buf, data, len);
  duk_push_buffer_object(c, -1, 0, len, DUK_BUFOBJ_UINT8ARRAY);
  duk_remove(c, -2);
}

static duk_ret_t js_random_bytes(duk_context *c) {
  duk_int_t n = duk_require_int(c, 0);
  if (n < 0 || n > (1 << 24)) return duk_range_error(c, "randomBytes: size %d out of range", (int)n);
  void *buf = duk_push_fixed_buffer(c, (duk_size_t)n);
  rt_random_bytes(buf, (size_t)n);
  duk_push_buffer_object(c, -1, 0, (duk_size_t)n, DUK_BUFOBJ_UINT8ARRAY);
  return 1;
}

static duk_ret_t js_now(duk_context *c) {
  duk_push_number(c, (double)rt_realtime_ns() / 1e6);
  return 1;
}

static duk_ret_t js_monotonic(duk_context *c) {
  duk_push_number(c, (double)rt_monotonic_ns() / 1e6);
  return 1;
}

/* Timers: the guest has no interrupts, so waiting for a timer is spinning on the clock page and
 * the TSC (no exit). The harness bounds every invocation with the monitor's watchdog. */
static duk_ret_t js_sleep_until(duk_context *c) {
  double until_ms = duk_require_number(c, 0);
  while ((double)rt_realtime_ns() / 1e6 < until_ms) __asm__ volatile("pause");
  return 0;
}

static duk_ret_t js_generation(duk_context *c) {
  duk_push_number(c, (double)rt_generation_count());
  return 1;
}

static duk_ret_t js_features(duk_context *c) {
  duk_push_object(c);
  duk_push_boolean(c, rt_has_rdrand());
  duk_put_prop_string(c, -2, "rdrand");
  duk_push_boolean(c, rt_has_vmgenid());
  duk_put_prop_string(c, -2, "vmgenid");
  duk_push_number(c, (double)rt_heap_used());
  duk_put_prop_string(c, -2, "heapUsed");
  duk_push_number(c, (double)rt_heap_size());
  duk_put_prop_string(c, -2, "heapSize");
  return 1;
}

static duk_ret_t js_sha256(duk_context *c) {
  duk_size_t len;
  const void *data = duk_require_buffer_data(c, 0, &len);
  struct sha256 s;
  uint8_t out[32];
  sha256_init(&s);
  sha256_update(&s, data, len);
  sha256_final(&s, out);
  push_bytes(c, out, sizeof out);
  return 1;
}

static duk_ret_t js_hmac_sha256(duk_context *c) {
  duk_size_t klen, dlen;
  const void *key = duk_require_buffer_data(c, 0, &klen);
  const void *data = duk_require_buffer_data(c, 1, &dlen);
  uint8_t out[32];
  hmac_sha256(key, klen, data, dlen, out);
  push_bytes(c, out, sizeof out);
  return 1;
}

/* scrypt(password, salt, N, r, p, keylen) -> Uint8Array, for crypto.scryptSync. */
static duk_ret_t js_scrypt(duk_context *c) {
  duk_size_t plen, slen;
  const uint8_t *pw = duk_require_buffer_data(c, 0, &plen);
  const uint8_t *salt = duk_require_buffer_data(c, 1, &slen);
  double n = duk_require_number(c, 2), r = duk_require_number(c, 3), p = duk_require_number(c, 4), keylen = duk_require_number(c, 5);
  if (keylen < 1 || keylen > 1 << 20 || n < 2 || n > 4294967296.0 || r < 1 || r > 65536 || p < 1 || p > 65536)
    return duk_range_error(c, "scrypt: parameters out of range");
  uint8_t *out = duk_push_fixed_buffer(c, (duk_size_t)keylen);
  if (scrypt(pw, plen, salt, slen, (uint64_t)n, (uint32_t)r, (uint32_t)p, out, (size_t)keylen) != 0)
    return duk_range_error(c, "scrypt: invalid parameters or not enough memory (it needs 128 * N * r bytes)");
  duk_push_buffer_object(c, -1, 0, (duk_size_t)keylen, DUK_BUFOBJ_UINT8ARRAY);
  return 1;
}

/* A reseedable Math.random (xoroshiro128+, like Duktape's own), used only when the host asks. */
static uint64_t xs[2];

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static duk_ret_t js_math_random(duk_context *c) {
  uint64_t s0 = xs[0], s1 = xs[1], r = s0 + s1;
  s1 ^= s0;
  xs[0] = rotl(s0, 24) ^ s1 ^ (s1 << 16);
  xs[1] = rotl(s1, 37);
  duk_push_number(c, (double)(r >> 11) * (1.0 / 9007199254740992.0));
  return 1;
}

static duk_ret_t js_reseed_math_random(duk_context *c) {
  do rt_random_bytes(xs, sizeof xs);
  while (xs[0] == 0 && xs[1] == 0);
  duk_get_global_string(c, "Math");
  duk_push_c_function(c, js_math_random, 0);
  duk_put_prop_string(c, -2, "random");
  duk_pop(c);
  return 0;
}

static void bind(const char *name, duk_c_function fn, duk_idx_t nargs) {
  duk_push_c_function(ctx, fn, nargs);
  duk_put_prop_string(ctx, -2, name);
}

/* The init payload:
 *   "snapstart-init 1\n", then one "<length> <name>\n" line per script, then "\n", then the
 *   scripts' bytes back to back. Names are what stack traces show (the host maps them back). */
static int compile_and_run(const char *name, const char *src, size_t len) {
  duk_push_string(ctx, name);
  if (duk_pcompile_lstring_filename(ctx, 0, src, len) != 0 || duk_pcall(ctx, 0) != 0) {
    duk_get_prop_string(ctx, -1, "stack");
    const char *stack = duk_safe_to_string(ctx, -1);
    duk_push_object(ctx);
    duk_push_string(ctx, stack);
    duk_put_prop_string(ctx, -2, "stack");
    duk_push_string(ctx, name);
    duk_put_prop_string(ctx, -2, "script");
    rt_printf(INIT_ERROR_MARKER "%s\n", duk_json_encode(ctx, -1));
    return 1;
  }
  duk_pop(ctx);
  return 0;
}

static int run_scripts(const uint8_t *data, size_t len) {
  static const char magic[] = "snapstart-init 1\n";
  if (len < sizeof magic - 1 || memcmp(data, magic, sizeof magic - 1) != 0) {
    rt_printf(INIT_ERROR_MARKER "{\"message\":\"the init payload is not a snapstart guest payload\"}\n");
    return 1;
  }
  size_t pos = sizeof magic - 1;
  struct {
    size_t len;
    const char *name;
    size_t name_len;
  } scripts[16];
  int n = 0;
  while (pos < len && data[pos] != '\n') {
    const uint8_t *nl = memchr(data + pos, '\n', len - pos);
    if (!nl || n == 16) {
      rt_printf(INIT_ERROR_MARKER "{\"message\":\"malformed init payload header\"}\n");
      return 1;
    }
    char *end;
    scripts[n].len = strtoul((const char *)data + pos, &end, 10);
    if (*end != ' ') {
      rt_printf(INIT_ERROR_MARKER "{\"message\":\"malformed init payload header\"}\n");
      return 1;
    }
    scripts[n].name = end + 1;
    scripts[n].name_len = (size_t)((const char *)nl - (end + 1));
    n++;
    pos = (size_t)(nl - data) + 1;
  }
  pos++; /* the empty line */
  for (int i = 0; i < n; i++) {
    if (scripts[i].len > len - pos) {
      rt_printf(INIT_ERROR_MARKER "{\"message\":\"init payload is shorter than its header says\"}\n");
      return 1;
    }
    char name[512];
    size_t nl = scripts[i].name_len < sizeof name - 1 ? scripts[i].name_len : sizeof name - 1;
    memcpy(name, scripts[i].name, nl);
    name[nl] = 0;
    if (compile_and_run(name, (const char *)data + pos, scripts[i].len) != 0) return 1;
    pos += scripts[i].len;
  }
  return 0;
}

/* Calls a global JS function with one string argument; returns its string result (or NULL). */
static const char *call_global(const char *fn, const char *arg, size_t arg_len, duk_size_t *out_len) {
  duk_get_global_string(ctx, fn);
  if (!duk_is_function(ctx, -1)) {
    duk_pop(ctx);
    return NULL;
  }
  if (arg) duk_push_lstring(ctx, arg, arg_len);
  if (duk_pcall(ctx, arg ? 1 : 0) != 0) {
    duk_get_prop_string(ctx, -1, "stack");
    rt_printf("%s failed: %s\n", fn, duk_safe_to_string(ctx, -1));
    duk_pop_2(ctx);
    return NULL;
  }
  return duk_safe_to_lstring(ctx, -1, out_len);
}

int app_init(const uint8_t *init_data, size_t init_len) {
  ctx = duk_create_heap(NULL, NULL, NULL, NULL, fatal);
  if (!ctx) rt_panic("cannot create the Duktape heap");
  duk_push_object(ctx);
  bind("print", js_print, 1);
  bind("randomBytes", js_random_bytes, 1);
  bind("now", js_now, 0);
  bind("monotonic", js_monotonic, 0);
  bind("sleepUntil", js_sleep_until, 1);
  bind("generation", js_generation, 0);
  bind("features", js_features, 0);
  bind("sha256", js_sha256, 1);
  bind("hmacSha256", js_hmac_sha256, 2);
  bind("scrypt", js_scrypt, 6);
  bind("reseedMathRandom", js_reseed_math_random, 0);
  duk_put_global_string(ctx, "__guest");
  if (!init_data) {
    rt_printf(INIT_ERROR_MARKER "{\"message\":\"no init payload: boot the JavaScript guest with the bundle as init data\"}\n");
    return 1;
  }
  if (run_scripts(init_data, init_len) != 0) return 1;
  /* The scripts are compiled: their text is dead, and zero pages keep snapshots small. */
  memset((void *)(uintptr_t)init_data, 0, init_len);
  /* Init may be asynchronous (top-level await): the runtime drains it here, before READY. */
  duk_size_t len;
  const char *status = call_global("__snapstartFinishInit", NULL, 0, &len);
  if (!status) return 1;
  if (len > 0) {
    rt_printf(INIT_ERROR_MARKER "%s\n", status);
    duk_pop(ctx);
    return 1;
  }
  duk_pop(ctx);
  /* Everything init allocated and then dropped should not be in the snapshot. */
  duk_gc(ctx, 0);
  duk_gc(ctx, 0);
  return 0;
}

void app_generation_changed(void) {
  duk_size_t len;
  if (call_global("__snapstartGenerationChanged", NULL, 0, &len)) duk_pop(ctx);
}

static uint8_t *pending;
static size_t pending_len, pending_cap;

static size_t reply(uint8_t *out, size_t cap, const char *text, size_t n) {
  if (n > cap) n = cap;
  memcpy(out, text, n);
  return n;
}

#define REPLY(literal) reply(out, cap, literal, sizeof(literal) - 1)

/* "\0load\n" + bytes: append to the pending init payload. "\0run\n": run it. */
static size_t load_request(const uint8_t *request, size_t len, uint8_t *out, size_t cap) {
  static const char load[] = "\0load\n", run[] = "\0run\n";
  if (len >= sizeof load - 1 && memcmp(request, load, sizeof load - 1) == 0) {
    size_t n = len - (sizeof load - 1);
    if (pending_len + n > pending_cap) {
      size_t want = (pending_len + n) * 2;
      uint8_t *grown = realloc(pending, want);
      if (!grown) return REPLY("{\"message\":\"out of memory while loading the function\"}");
      pending = grown;
      pending_cap = want;
    }
    memcpy(pending + pending_len, request + sizeof load - 1, n);
    pending_len += n;
    return 0;
  }
  if (len != sizeof run - 1 || memcmp(request, run, sizeof run - 1) != 0) return (size_t)-1;
  js_reseed_math_random(ctx);
  int rc = pending ? run_scripts(pending, pending_len) : 1;
  if (pending) memset(pending, 0, pending_len);
  free(pending);
  pending = NULL;
  pending_len = pending_cap = 0;
  if (rc != 0) return REPLY("{\"message\":\"the function's scripts failed to load (see the console)\",\"console\":true}");
  duk_size_t slen;
  const char *status = call_global("__snapstartFinishInit", NULL, 0, &slen);
  if (!status) return REPLY("{\"message\":\"the guest runtime did not start\"}");
  size_t n = reply(out, cap, status, slen);
  duk_pop(ctx);
  duk_gc(ctx, 0);
  duk_gc(ctx, 0);
  return n;
}

size_t app_invoke(const uint8_t *request, size_t len, uint32_t sequence, uint8_t *out, size_t cap) {
  (void)sequence;
  if (len > 0 && request[0] == 0) {
    size_t n = load_request(request, len, out, cap);
    if (n != (size_t)-1) return n;
  }
  duk_size_t n = 0;
  const char *response = call_global("__snapstartHandle", (const char *)request, len, &n);
  if (!response) {
    static const char failed[] = "{\"fatal\":\"the guest runtime failed to handle the request (see the console)\"}";
    memcpy(out, failed, sizeof failed - 1);
    return sizeof failed - 1;
  }
  if (n > cap) {
    duk_pop(ctx);
    int m = snprintf((char *)out, cap, "{\"fatal\":\"the response (%lu bytes) is larger than the %lu-byte mailbox\"}", (unsigned long)n,
                     (unsigned long)cap);
    return m > 0 ? (size_t)m : 0;
  }
  memcpy(out, response, n);
  duk_pop(ctx);
  return n;
}
