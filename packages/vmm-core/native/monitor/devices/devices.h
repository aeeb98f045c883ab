/*
 * The guest's devices. Each lives in a page of guest RAM defined by ../../abi/vmm_abi.h, so its
 * state is in the snapshot with the rest of memory; these functions are the monitor's side.
 * Anything read back from the guest is bounds-checked here.
 */
#ifndef VMM_DEVICES_H
#define VMM_DEVICES_H

#include <stddef.h>
#include <stdint.h>

/* ---- vmgenid ---- */
enum vmgenid_mode { VMGENID_FRESH, VMGENID_SAME, VMGENID_NONE };
int vmgenid_parse_mode(const char *s, enum vmgenid_mode *mode);
/* Boot: device present, a random generation ID and host seed. */
int vmgenid_boot(uint8_t *ram, char *err, size_t err_len);
/* Restore: fresh = new ID and seed (before the first instruction runs); same = untouched;
 * none = the device is absent. */
int vmgenid_restore(uint8_t *ram, enum vmgenid_mode mode, char *err, size_t err_len);
void vmgenid_read(const uint8_t *ram, uint8_t id[16], uint32_t *present);

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
