/* One watchdog thread per monitor process: a run is armed with a deadline, and when it passes
 * the accelerator is kicked out of the guest. Persistent (no thread per run) so arming is cheap. */
#ifndef VMM_WATCHDOG_H
#define VMM_WATCHDOG_H

#include <stdint.h>
#include "accel/accel.h"

int watchdog_start(char *err, size_t err_len);
void watchdog_arm(const struct vmm_accel_ops *ops, struct vmm_accel *accel, uint64_t deadline_ns);
/* After disarm returns, the watchdog will not kick this accelerator any more. */
void watchdog_disarm(void);
uint64_t watchdog_now_ns(void);
void watchdog_stop(void);

#endif
