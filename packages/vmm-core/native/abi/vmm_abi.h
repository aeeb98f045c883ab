/*
 * The contract between the vmm-core monitor and a guest: guest-physical memory layout, the
 * hypercall ports, and the layout of every shared page. Both sides include this file, so the
 * numbers exist once. Guest physical memory is identity-mapped (GVA = GPA).
 *
 * Everything the guest can write is untrusted: the monitor bounds-checks every length and
 * address it reads from these pages.
 */
#ifndef VMM_ABI_H
#define VMM_ABI_H

#include <stdint.h>

#define VMM_ABI_VERSION 1u
#define VMM_PAGE_SIZE   0x1000ull

/* ---- Guest-physical layout (first 2 MiB use 4 KiB pages with per-page permissions). ---- */
#define VMM_GPA_PML4       0x1000ull /* supervisor only: the guest cannot edit its page tables */
#define VMM_GPA_PDPT       0x2000ull
#define VMM_GPA_PD         0x3000ull
#define VMM_GPA_PT0        0x4000ull  /* 4 KiB table for the first 2 MiB; page 0 not present */
#define VMM_GPA_GDT        0x5000ull  /* supervisor only */
#define VMM_GPA_BOOT_INFO  0x6000ull  /* user read-only: struct vmm_boot_info */
#define VMM_GPA_TLS        0x7000ull  /* user read-write; FS.base points here and [0] = self */
#define VMM_GPA_VMGENID    0x8000ull  /* user read-only: struct vmm_vmgenid */
#define VMM_GPA_CLOCK      0x9000ull  /* user read-only: struct vmm_clock */
#define VMM_GPA_TSS        0xA000ull  /* supervisor only: 64-bit TSS, I/O bitmap, terminator */
#define VMM_GPA_KSTACK_TOP 0xD000ull  /* supervisor stack (rest of the TSS's last page): TSS.RSP0 */
#define VMM_GPA_EXCEPTIONS 0xD000ull  /* supervisor execute: one stub per exception vector 0-31 */
#define VMM_GPA_HYPERCALL  0xE000ull  /* user read/execute: written by the monitor */
#define VMM_GPA_IDT        0xF000ull  /* supervisor only: 256 interrupt gates to the stubs */
#define VMM_GPA_CONSOLE    0x10000ull /* user read-write: struct vmm_console + text */
#define VMM_CONSOLE_SIZE   0x10000ull
#define VMM_GPA_REQUEST    0x100000ull /* user read-only: struct vmm_mailbox + request bytes */
#define VMM_GPA_RESPONSE   0x180000ull /* user read-write: response bytes (length via RESULT) */
#define VMM_MAILBOX_SIZE   0x80000ull  /* 512 KiB each */
#define VMM_GPA_IMAGE      0x200000ull /* the guest ELF is linked here; 2 MiB pages from here up */
#define VMM_STACK_SIZE     0x100000ull /* top 1 MiB of RAM */

#define VMM_TSS_IOMAP_OFFSET 0x68u
#define VMM_TSS_LIMIT        (VMM_TSS_IOMAP_OFFSET + 0x2000u) /* bitmap for 65536 ports + 0xff */

/* GDT selectors. The guest runs at CPL3 (the only fast mode under PVM). */
#define VMM_SEL_KERNEL_CODE 0x08
#define VMM_SEL_KERNEL_DATA 0x10
#define VMM_SEL_USER_CODE   0x1b
#define VMM_SEL_USER_DATA   0x23
#define VMM_SEL_TSS         0x28

/* ---- Hypercalls: a 32-bit `out` to one of these ports, made only from the hypercall page.
 * The guest loads EDX = port and EAX = argument and calls VMM_GPA_HYPERCALL, which holds
 * `out %eax,(%dx); ret`. Under KVM this is one exit; under tcg the monitor stops emulation on
 * the `ret`. Either way the vCPU state at an exit has RIP = VMM_HYPERCALL_RESUME_RIP.
 */
#define VMM_PORT_BASE            0x500u
#define VMM_PORT_CONSOLE         0x500u /* arg: unused. Flush the console page. */
#define VMM_PORT_READY           0x501u /* arg: 0. Init is done: the snapshot point. Next: a request. */
#define VMM_PORT_RESULT          0x502u /* arg: response length. Next: a request. */
#define VMM_PORT_EXIT            0x503u /* arg: exit status. The guest stops for good. */
#define VMM_PORT_ABORT           0x504u /* arg: unused. The guest hit a fatal error (message on console). */
#define VMM_PORT_FAULT           0x505u /* made only by the exception stubs: arg = vector; frame on the stack */
#define VMM_PORT_LAST            0x505u
#define VMM_HYPERCALL_RESUME_RIP (VMM_GPA_HYPERCALL + 1u)

/* Exception stubs: stub N at VMM_GPA_EXCEPTIONS + 16 * N pushes (error code or 0) and N, then
 * reports VMM_PORT_FAULT. The monitor reads vector, error code and the CPU's frame from the
 * supervisor stack. Under tcg, Unicorn reports exceptions before delivery, so they are unused. */
#define VMM_EXCEPTION_VECTORS 32u
#define VMM_EXCEPTION_COMMON  (VMM_GPA_EXCEPTIONS + 0x400u)
/* `iretq` in the supervisor stub page: how the tcg accelerator enters CPL3 (Unicorn does not
 * derive the CPL from segment registers written from outside). */
#define VMM_GPA_IRET_TRAMPOLINE (VMM_GPA_EXCEPTIONS + 0xf00u)

/* ---- Shared pages ---- */
#define VMM_BOOT_MAGIC 0x544f4f424d4d5656ull /* "VVMMBOOT" */

struct vmm_boot_info {
  uint64_t magic;
  uint32_t abi_version;
  uint32_t features; /* VMM_FEATURE_* */
  uint64_t ram_size;
  uint64_t heap_start; /* first free byte after the image and init data */
  uint64_t heap_end;   /* heap grows up to here; the stack is above */
  uint64_t stack_top;
  uint64_t init_data; /* GPA of the boot-time init payload (e.g. a JS bundle), or 0 */
  uint64_t init_len;
  uint64_t request_gpa, request_size;
  uint64_t response_gpa, response_size;
  uint64_t console_gpa, console_size;
};

#define VMM_FEATURE_VMGENID 1u /* the vmgenid page is present */

/* vmgenid: the monitor writes a fresh 128-bit generation ID on every restore (mode `fresh`),
 * before the vCPU runs. `host_seed` is extra host entropy for guests whose CPU has no rdrand
 * (Unicorn does not emulate it); the guest mixes it in only when the generation changes. */
struct vmm_vmgenid {
  uint8_t generation_id[16];
  uint32_t present; /* 0 = no vmgenid device (a kernel without vmgenid support) */
  uint32_t reserved;
  uint8_t host_seed[32];
};

/* Clock page, refreshed by the monitor before every resume (no time hypercall on the hot path).
 * now_ns = realtime_ns + (rdtsc() - tsc) * 1e6 / tsc_khz. */
struct vmm_clock {
  uint64_t realtime_ns;  /* CLOCK_REALTIME at `tsc` */
  uint64_t monotonic_ns; /* CLOCK_MONOTONIC at `tsc` */
  uint64_t tsc;          /* guest TSC when the page was written */
  uint64_t tsc_khz;      /* guest TSC frequency; 0 = unknown (time frozen per resume) */
  uint64_t resume_count; /* bumped on every resume */
};

/* Console: the guest appends text and flushes when full; the monitor drains it at every exit. */
struct vmm_console {
  uint32_t len; /* bytes used in data[] */
  uint32_t reserved;
  /* followed by data[VMM_CONSOLE_SIZE - 8] */
};
#define VMM_CONSOLE_CAPACITY (VMM_CONSOLE_SIZE - 8u)

/* Request mailbox: the monitor writes one request before each resume. */
struct vmm_mailbox {
  uint32_t len;
  uint32_t sequence; /* 1 for the first request a VM (or clone) receives */
  /* followed by data[VMM_MAILBOX_SIZE - 8] */
};
#define VMM_MAILBOX_CAPACITY (VMM_MAILBOX_SIZE - 8u)

#endif
