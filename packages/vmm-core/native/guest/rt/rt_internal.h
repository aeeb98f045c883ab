#ifndef VMM_GUEST_RT_INTERNAL_H
#define VMM_GUEST_RT_INTERNAL_H

#include "../../abi/vmm_abi.h"

#define BOOT_INFO    ((const volatile struct vmm_boot_info *)VMM_GPA_BOOT_INFO)
#define CLOCK_PAGE   ((const volatile struct vmm_clock *)VMM_GPA_CLOCK)
#define VMGENID_PAGE ((const volatile struct vmm_vmgenid *)VMM_GPA_VMGENID)

void rt_heap_init(void);
void rt_rng_init(void);
void rt_console_flush(void);

#endif
