/* Builds the guest's x86-64 machine: page tables, GDT, TSS + I/O bitmap, the hypercall page, and
 * the vCPU state at the ELF entry point (long mode, CPL3). */
#ifndef VMM_X86_H
#define VMM_X86_H

#include <stddef.h>
#include <stdint.h>
#include "cpu_state.h"

#define X86_CR0_PE         (1ull << 0)
#define X86_CR0_MP         (1ull << 1)
#define X86_CR0_ET         (1ull << 4)
#define X86_CR0_NE         (1ull << 5)
#define X86_CR0_WP         (1ull << 16)
#define X86_CR0_AM         (1ull << 18)
#define X86_CR0_PG         (1ull << 31)
#define X86_CR4_PAE        (1ull << 5)
#define X86_CR4_OSFXSR     (1ull << 9)
#define X86_CR4_OSXMMEXCPT (1ull << 10)
#define X86_EFER_LME       (1ull << 8)
#define X86_EFER_LMA       (1ull << 10)

/* Writes page tables, GDT, TSS and the hypercall page into `ram`. */
void x86_build_machine(uint8_t *ram, uint64_t ram_size);

/* The vCPU state at `entry`, with the stack at `stack_top`. */
void x86_initial_state(struct vmm_cpu_state *s, uint64_t entry, uint64_t stack_top);

/* Reads the 8-byte descriptor for `selector` from the GDT in guest RAM (0 when out of range). */
uint64_t x86_gdt_descriptor(const uint8_t *ram, uint64_t ram_size, uint64_t gdt_base, uint16_t gdt_limit, uint16_t selector);

/* Whether `s` (a snapshot's CPU state) is a state this machine can be in: the hypercall return
 * RIP, CPL3 segments, the monitor's control registers and descriptor tables. -1 and why if not. */
int x86_check_restore_state(const struct vmm_cpu_state *s, char *why, size_t why_len);

#endif
