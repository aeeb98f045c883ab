/*
 * The guest's devices. Each lives in a page of guest RAM defined by ../../abi/vmm_abi.h, so its
 * memory is in the snapshot with the rest of RAM; these functions are the monitor's side.
 * Anything read back from the guest is bounds-checked here. Each device also declares, in its
 * own file, the state it saves in the snapshot's device section (field list, save, check);
 * devices.c lists them in file order. See docs/vmm.md, "Hypercalls and devices" and "Snapshot file".
 */
#ifndef VMM_DEVICES_H
#define VMM_DEVICES_H

#include <stddef.h>
#include <stdint.h>

#include "../snapshot_fields.h"

/* ---- snapshot state ---- */
/* What a device may read when it saves its state. */
struct device_host {
  const uint8_t *ram;
  uint64_t tsc_khz;
};

struct device_snapshot {
  const struct snapshot_section *section;
  void (*save)(const struct device_host *host, void *state);
  /* 0 when this monitor can restore `state`; else -1 and why. */
  int (*check)(const void *state, char *why, size_t why_len);
};

struct abi_state {
  uint32_t version;
}; /* devices.c */
struct vmgenid_state {
  uint32_t present;
  uint8_t generation_id[16];
}; /* vmgenid.c */
struct mailbox_state {
  uint64_t request_gpa, response_gpa, size;
}; /* mailbox.c */
struct console_state {
  uint64_t gpa, size;
}; /* console.c */
struct clock_state {
  uint64_t tsc_khz;
}; /* clock.c */

/* The device section: every device's state, in file order (the table in devices.c). */
struct device_states {
  struct abi_state abi;
  struct vmgenid_state vmgenid;
  struct mailbox_state mailbox;
  struct console_state console;
  struct clock_state clock;
};

extern const struct device_snapshot abi_snapshot, vmgenid_snapshot, mailbox_snapshot, console_snapshot, clock_snapshot;

void devices_save(const struct device_host *host, struct device_states *states);
int devices_check(const struct device_states *states, char *why, size_t why_len);
size_t devices_section_size(void);
void devices_put(struct snapshot_buf *b, const struct device_states *states);
void devices_get(struct snapshot_buf *b, struct device_states *states, int *bad_reserved);
void devices_json(FILE *out, size_t base, int *first);

/* ---- vmgenid ---- */
enum vmgenid_mode { VMGENID_FRESH, VMGENID_SAME, VMGENID_NONE };
int vmgenid_parse_mode(const char *s, enum vmgenid_mode *mode);
/* Boot: device present, a random generation ID and host seed. */
int vmgenid_boot(uint8_t *ram, char *err, size_t err_len);
/* Restore: fresh = new ID and seed (before the first instruction runs); same = untouched;
 * none = the device is absent. */
int vmgenid_restore(uint8_t *ram, enum vmgenid_mode mode, char *err, size_t err_len);

/* ---- clock page ---- */
void clock_refresh(uint8_t *ram, uint64_t guest_tsc, uint64_t tsc_khz);
/* Host TSC frequency in kHz: CPUID when the CPU reports it, else measured over `calibrate_ms`. */
uint64_t clock_host_tsc_khz(unsigned calibrate_ms);

/* ---- console ---- */
/* Hands the guest's buffered console text to `sink` and empties the buffer. -1 when the guest
 * corrupted the length (the caller ends the VM). */
typedef void (*console_sink)(const uint8_t *text, size_t len, void *ctx);
int console_drain(uint8_t *ram, console_sink sink, void *ctx);

/* ---- mailboxes ---- */
int mailbox_put_request(uint8_t *ram, const uint8_t *data, size_t len, uint32_t sequence, char *err, size_t err_len);
/* Points at the guest's response; -1 when `len` (from the RESULT hypercall) is out of bounds. */
int mailbox_get_response(const uint8_t *ram, uint32_t len, const uint8_t **data);

#endif
