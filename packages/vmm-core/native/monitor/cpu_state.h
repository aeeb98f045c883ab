/*
 * Architectural x86-64 vCPU state: what the snapshot file stores and what both accelerators
 * load and save. It names the architecture's registers, not a backend's structs, so a snapshot
 * taken under KVM restores under Unicorn and the other way round.
 */
#ifndef VMM_CPU_STATE_H
#define VMM_CPU_STATE_H

#include <stdint.h>

enum {
  GPR_RAX,
  GPR_RCX,
  GPR_RDX,
  GPR_RBX,
  GPR_RSP,
  GPR_RBP,
  GPR_RSI,
  GPR_RDI,
  GPR_R8,
  GPR_R9,
  GPR_R10,
  GPR_R11,
  GPR_R12,
  GPR_R13,
  GPR_R14,
  GPR_R15,
  GPR_COUNT
};

/* Segment attribute bits, in the layout of descriptor bits 40..55 (type, S, DPL, P, AVL, L, D/B, G). */
#define SEG_TYPE(a)  ((a)&0xf)
#define SEG_S(a)     (((a) >> 4) & 1)
#define SEG_DPL(a)   (((a) >> 5) & 3)
#define SEG_P(a)     (((a) >> 7) & 1)
#define SEG_AVL(a)   (((a) >> 12) & 1)
#define SEG_L(a)     (((a) >> 13) & 1)
#define SEG_DB(a)    (((a) >> 14) & 1)
#define SEG_G(a)     (((a) >> 15) & 1)
#define SEG_UNUSABLE 0x10000u

struct vmm_segment {
  uint64_t base;
  uint32_t limit;  /* byte-granular (already scaled when G = 1) */
  uint32_t attrib; /* descriptor bits 40..55 as above, plus SEG_UNUSABLE */
  uint16_t selector;
};

/* The FXSAVE view of the x87/SSE unit (abridged tag word, as in FXSAVE). */
struct vmm_fpu {
  uint16_t fcw, fsw;
  uint8_t ftw;
  uint16_t fop;
  uint64_t fip, fdp;
  uint32_t mxcsr;
  uint8_t st[8][16]; /* 80-bit registers in 16-byte slots */
  uint8_t xmm[16][16];
};

struct vmm_cpu_state {
  uint64_t gpr[GPR_COUNT];
  uint64_t rip, rflags;
  struct vmm_segment cs, ds, es, fs, gs, ss, tr, ldt;
  uint64_t gdt_base, idt_base;
  uint16_t gdt_limit, idt_limit;
  uint64_t cr0, cr2, cr3, cr4, efer;
  uint64_t kernel_gs_base;
  struct vmm_fpu fpu;
};

/* Its section of the snapshot file (cpu_state.c). */
struct snapshot_section;
extern const struct snapshot_section cpu_state_section;

/* Decodes a (non-system) 8-byte GDT descriptor into a segment. */
struct vmm_segment vmm_segment_from_descriptor(uint64_t descriptor, uint16_t selector);

#endif
