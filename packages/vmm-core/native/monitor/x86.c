/*
 * The guest's x86-64 machine: identity page tables with per-page permissions, GDT, TSS with its
 * I/O bitmap, IDT and exception stubs, the hypercall page, the vCPU state at entry, and the check
 * a snapshot's CPU state must pass before it is restored. Used by vm.c at boot and restore, and
 * by the tcg accelerator for descriptors. See docs/vmm.md, "Guest memory layout" and "Snapshot file".
 */
#include "x86.h"

#include <stdio.h>
#include <string.h>
#include "../abi/vmm_abi.h"

#define PTE_P  (1ull << 0)
#define PTE_RW (1ull << 1)
#define PTE_US (1ull << 2)
#define PTE_PS (1ull << 7)

static void put64(uint8_t *ram, uint64_t gpa, uint64_t v) { memcpy(ram + gpa, &v, sizeof v); }

/* Per-page permissions for the first 2 MiB. Page tables, GDT and TSS are supervisor-only, so a
 * CPL3 guest can neither remap memory nor edit its descriptors; device pages the monitor owns
 * are read-only to the guest. Everything else below 2 MiB is unmapped (page 0 catches NULL). */
static uint64_t low_page_flags(uint64_t gpa) {
  if (gpa == 0) return 0;
  if (gpa >= VMM_GPA_PML4 && gpa < VMM_GPA_BOOT_INFO) return PTE_P | PTE_RW; /* tables, GDT */
  if (gpa == VMM_GPA_BOOT_INFO || gpa == VMM_GPA_VMGENID || gpa == VMM_GPA_CLOCK) return PTE_P | PTE_US;
  if (gpa == VMM_GPA_TLS) return PTE_P | PTE_RW | PTE_US;
  if (gpa >= VMM_GPA_TSS && gpa < VMM_GPA_TSS + 3 * VMM_PAGE_SIZE) return PTE_P | PTE_RW; /* TSS + kernel stack */
  if (gpa == VMM_GPA_EXCEPTIONS || gpa == VMM_GPA_IDT) return PTE_P;
  if (gpa == VMM_GPA_HYPERCALL) return PTE_P | PTE_US;
  if (gpa >= VMM_GPA_CONSOLE && gpa < VMM_GPA_CONSOLE + VMM_CONSOLE_SIZE) return PTE_P | PTE_RW | PTE_US;
  if (gpa >= VMM_GPA_REQUEST && gpa < VMM_GPA_REQUEST + VMM_MAILBOX_SIZE) return PTE_P | PTE_US;
  if (gpa >= VMM_GPA_RESPONSE && gpa < VMM_GPA_RESPONSE + VMM_MAILBOX_SIZE) return PTE_P | PTE_RW | PTE_US;
  return 0;
}

/* The vectors for which the CPU pushes an error code. */
static int has_error_code(unsigned v) { return v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 || v == 30; }

/* Exception stubs and the IDT. Without them an exception under KVM is a triple fault with no
 * vector; with them the monitor reports vector, error code and faulting RIP. They run at CPL0,
 * which PVM emulates slowly, but only on the way to ending a faulted guest. */
static void build_exception_stubs(uint8_t *ram) {
  uint8_t *page = ram + VMM_GPA_EXCEPTIONS;
  memset(page, 0xf4, VMM_PAGE_SIZE); /* hlt */
  for (unsigned v = 0; v < VMM_EXCEPTION_VECTORS; v++) {
    uint8_t *p = page + 16 * v;
    if (!has_error_code(v)) {
      *p++ = 0x6a; /* push $0 */
      *p++ = 0x00;
    }
    *p++ = 0x6a; /* push $v */
    *p++ = (uint8_t)v;
    *p++ = 0xe9; /* jmp rel32 to the common tail */
    int32_t rel = (int32_t)(VMM_EXCEPTION_COMMON - (VMM_GPA_EXCEPTIONS + (uint64_t)(p - page) + 4));
    memcpy(p, &rel, 4);
  }
  uint8_t *c = page + (VMM_EXCEPTION_COMMON - VMM_GPA_EXCEPTIONS);
  const uint8_t common[] = {
      0xba,
      (uint8_t)VMM_PORT_FAULT,
      (uint8_t)(VMM_PORT_FAULT >> 8),
      0,
      0, /* mov $FAULT, %edx */
      0x8b,
      0x04,
      0x24, /* mov (%rsp), %eax */
      0xef, /* out %eax, (%dx) */
      0xf4,
      0xeb,
      0xfd, /* 1: hlt; jmp 1b */
  };
  memcpy(c, common, sizeof common);
  page[VMM_GPA_IRET_TRAMPOLINE - VMM_GPA_EXCEPTIONS] = 0x48; /* iretq */
  page[VMM_GPA_IRET_TRAMPOLINE - VMM_GPA_EXCEPTIONS + 1] = 0xcf;

  memset(ram + VMM_GPA_IDT, 0, VMM_PAGE_SIZE);
  for (unsigned v = 0; v < 256; v++) {
    uint64_t target = v < VMM_EXCEPTION_VECTORS ? VMM_GPA_EXCEPTIONS + 16 * v : VMM_EXCEPTION_COMMON;
    /* 64-bit interrupt gate, DPL0 (so `int n` from the guest is a #GP), kernel code selector. */
    uint64_t lo = (target & 0xffff) | ((uint64_t)VMM_SEL_KERNEL_CODE << 16) | (0x8eull << 40) | (((target >> 16) & 0xffff) << 48);
    put64(ram, VMM_GPA_IDT + 16 * v, lo);
    put64(ram, VMM_GPA_IDT + 16 * v + 8, target >> 32);
  }
}

void x86_build_machine(uint8_t *ram, uint64_t ram_size) {
  /* Identity map: PML4[0] -> PDPT[0] -> PD; PD[0] -> 4 KiB table, PD[1..] -> 2 MiB pages. */
  put64(ram, VMM_GPA_PML4, VMM_GPA_PDPT | PTE_P | PTE_RW | PTE_US);
  put64(ram, VMM_GPA_PDPT, VMM_GPA_PD | PTE_P | PTE_RW | PTE_US);
  put64(ram, VMM_GPA_PD, VMM_GPA_PT0 | PTE_P | PTE_RW | PTE_US);
  for (uint64_t i = 1; i < 512 && (i << 21) < ram_size; i++) put64(ram, VMM_GPA_PD + i * 8, (i << 21) | PTE_P | PTE_RW | PTE_US | PTE_PS);
  for (uint64_t i = 0; i < 512; i++) {
    uint64_t gpa = i * VMM_PAGE_SIZE;
    uint64_t flags = low_page_flags(gpa);
    put64(ram, VMM_GPA_PT0 + i * 8, flags ? gpa | flags : 0);
  }

  /* GDT: null, kernel code/data (unused by the CPL3 guest, kept for completeness), user
   * code64 (DPL3, L=1), user data (DPL3), then a 16-byte available 64-bit TSS descriptor. */
  put64(ram, VMM_GPA_GDT + 0x00, 0);
  put64(ram, VMM_GPA_GDT + 0x08, 0x00af9b000000ffffull);
  put64(ram, VMM_GPA_GDT + 0x10, 0x00cf93000000ffffull);
  put64(ram, VMM_GPA_GDT + 0x18, 0x00affb000000ffffull);
  put64(ram, VMM_GPA_GDT + 0x20, 0x00cff3000000ffffull);
  uint64_t base = VMM_GPA_TSS, limit = VMM_TSS_LIMIT;
  uint64_t tss_lo = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) | (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
  put64(ram, VMM_GPA_GDT + 0x28, tss_lo);
  put64(ram, VMM_GPA_GDT + 0x30, base >> 32);

  /* TSS: I/O map base right after the 0x68-byte TSS, then an all-zero bitmap (every port
   * allowed: PVM checks the bitmap even with IOPL=3) and the 0xff terminator byte. */
  memset(ram + VMM_GPA_TSS, 0, VMM_TSS_LIMIT + 1);
  uint16_t iomap = VMM_TSS_IOMAP_OFFSET;
  memcpy(ram + VMM_GPA_TSS + 0x66, &iomap, sizeof iomap);
  ram[VMM_GPA_TSS + VMM_TSS_LIMIT] = 0xff;
  put64(ram, VMM_GPA_TSS + 4, VMM_GPA_KSTACK_TOP); /* RSP0: where exceptions from CPL3 land */

  build_exception_stubs(ram);

  /* Hypercall page: `out %eax,(%dx); ret`, the rest `ud2` so a stray jump here faults. */
  memset(ram + VMM_GPA_HYPERCALL, 0, VMM_PAGE_SIZE);
  for (uint64_t i = 0; i + 1 < VMM_PAGE_SIZE; i += 2) {
    ram[VMM_GPA_HYPERCALL + i] = 0x0f;
    ram[VMM_GPA_HYPERCALL + i + 1] = 0x0b;
  }
  ram[VMM_GPA_HYPERCALL + 0] = 0xef;
  ram[VMM_GPA_HYPERCALL + 1] = 0xc3;

  /* TLS: FS.base points here; musl reads the thread pointer from %fs:0. */
  put64(ram, VMM_GPA_TLS, VMM_GPA_TLS);
}

struct vmm_segment vmm_segment_from_descriptor(uint64_t d, uint16_t selector) {
  struct vmm_segment s;
  memset(&s, 0, sizeof s);
  s.selector = selector;
  s.base = ((d >> 16) & 0xffffff) | (((d >> 56) & 0xff) << 24);
  uint32_t limit = (uint32_t)((d & 0xffff) | (((d >> 48) & 0xf) << 16));
  s.attrib = (uint32_t)((d >> 40) & 0xf0ff);
  if (SEG_G(s.attrib)) limit = (limit << 12) | 0xfff;
  s.limit = limit;
  if (!SEG_P(s.attrib)) s.attrib |= SEG_UNUSABLE;
  return s;
}

uint64_t x86_gdt_descriptor(const uint8_t *ram, uint64_t ram_size, uint64_t gdt_base, uint16_t gdt_limit, uint16_t selector) {
  uint64_t off = selector & ~7u;
  if (off + 7 > gdt_limit || gdt_base + off + 8 > ram_size || gdt_base + off + 8 < gdt_base) return 0;
  uint64_t d;
  memcpy(&d, ram + gdt_base + off, sizeof d);
  return d;
}

void x86_initial_state(struct vmm_cpu_state *s, uint64_t entry, uint64_t stack_top) {
  memset(s, 0, sizeof *s);
  s->rip = entry;
  s->gpr[GPR_RSP] = stack_top;
  /* IOPL 0: `cli`, `sti` and `popf` cannot touch IF, and port I/O is allowed by the TSS's
   * all-zero I/O bitmap instead (PVM reports IOPL 0 whatever is set and always checks the bitmap). */
  s->rflags = 0x0002;
  s->cr0 = X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE | X86_CR0_WP | X86_CR0_AM | X86_CR0_PG;
  s->cr3 = VMM_GPA_PML4;
  /* OSFXSR: compilers emit SSE for doubles everywhere. No OSXSAVE: the guest is built without AVX. */
  s->cr4 = X86_CR4_PAE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;
  s->efer = X86_EFER_LME | X86_EFER_LMA;
  s->gdt_base = VMM_GPA_GDT;
  s->gdt_limit = 0x37;
  s->idt_base = VMM_GPA_IDT;
  s->idt_limit = 0xfff;
  s->cs = vmm_segment_from_descriptor(0x00affb000000ffffull, VMM_SEL_USER_CODE);
  struct vmm_segment data = vmm_segment_from_descriptor(0x00cff3000000ffffull, VMM_SEL_USER_DATA);
  s->ds = s->es = s->ss = s->gs = s->fs = data;
  s->fs.base = VMM_GPA_TLS;
  s->tr.selector = VMM_SEL_TSS;
  s->tr.base = VMM_GPA_TSS;
  s->tr.limit = VMM_TSS_LIMIT;
  s->tr.attrib = 0x8b; /* present, 64-bit TSS (busy) */
  s->ldt.attrib = SEG_UNUSABLE;
  s->fpu.fcw = 0x37f;
  s->fpu.mxcsr = 0x1f80;
}

/* What a restored vCPU may look like: the guest's own registers are free, but everything that
 * decides its privilege and its view of memory must be exactly what x86_initial_state and
 * x86_build_machine set up, as a CPL3 guest cannot change any of it. The header checksum only
 * proves the file is intact, not that whoever wrote it was the monitor. */
#define CHECK(cond, ...)             \
  do {                               \
    if (!(cond)) {                   \
      snprintf(why, n, __VA_ARGS__); \
      return -1;                     \
    }                                \
  } while (0)

static int user_data_segment(const struct vmm_segment *s) {
  if (s->selector == 0) return 1; /* a null selector is loadable at CPL3 in 64-bit mode */
  return s->selector == VMM_SEL_USER_DATA && SEG_DPL(s->attrib) == 3 && SEG_S(s->attrib) && !(SEG_TYPE(s->attrib) & 8);
}

int x86_check_restore_state(const struct vmm_cpu_state *s, char *why, size_t n) {
  struct vmm_cpu_state want;
  x86_initial_state(&want, 0, 0);
  CHECK(s->rip == VMM_HYPERCALL_RESUME_RIP, "RIP 0x%llx is not the hypercall return 0x%llx (a snapshot is taken only at a hypercall)",
        (unsigned long long)s->rip, (unsigned long long)VMM_HYPERCALL_RESUME_RIP);
  CHECK(s->cs.selector == VMM_SEL_USER_CODE && SEG_DPL(s->cs.attrib) == 3 && SEG_L(s->cs.attrib) && SEG_S(s->cs.attrib) &&
            (SEG_TYPE(s->cs.attrib) & 8) && SEG_P(s->cs.attrib),
        "CS selector 0x%x (DPL %u) is not the CPL3 64-bit user code segment 0x%x", s->cs.selector, SEG_DPL(s->cs.attrib), VMM_SEL_USER_CODE);
  CHECK(s->ss.selector == VMM_SEL_USER_DATA && SEG_DPL(s->ss.attrib) == 3, "SS selector 0x%x (DPL %u) is not the CPL3 user data segment 0x%x",
        s->ss.selector, SEG_DPL(s->ss.attrib), VMM_SEL_USER_DATA);
  const struct vmm_segment *data[] = {&s->ds, &s->es, &s->fs, &s->gs};
  const char *names[] = {"DS", "ES", "FS", "GS"};
  for (int i = 0; i < 4; i++)
    CHECK(user_data_segment(data[i]), "%s selector 0x%x (DPL %u) is neither null nor the user data segment 0x%x", names[i], data[i]->selector,
          SEG_DPL(data[i]->attrib), VMM_SEL_USER_DATA);
  CHECK(s->cr0 == want.cr0, "CR0 0x%llx is not 0x%llx", (unsigned long long)s->cr0, (unsigned long long)want.cr0);
  CHECK(s->cr3 == want.cr3, "CR3 0x%llx is not the monitor's page tables at 0x%llx", (unsigned long long)s->cr3, (unsigned long long)want.cr3);
  CHECK(s->cr4 == want.cr4, "CR4 0x%llx is not 0x%llx", (unsigned long long)s->cr4, (unsigned long long)want.cr4);
  CHECK(s->efer == want.efer, "EFER 0x%llx is not 0x%llx", (unsigned long long)s->efer, (unsigned long long)want.efer);
  CHECK(s->gdt_base == want.gdt_base && s->gdt_limit == want.gdt_limit, "GDT 0x%llx+0x%x is not the monitor's 0x%llx+0x%x",
        (unsigned long long)s->gdt_base, s->gdt_limit, (unsigned long long)want.gdt_base, want.gdt_limit);
  CHECK(s->idt_base == want.idt_base && s->idt_limit == want.idt_limit, "IDT 0x%llx+0x%x is not the monitor's 0x%llx+0x%x",
        (unsigned long long)s->idt_base, s->idt_limit, (unsigned long long)want.idt_base, want.idt_limit);
  CHECK(s->tr.selector == want.tr.selector && s->tr.base == want.tr.base && s->tr.limit == want.tr.limit && SEG_TYPE(s->tr.attrib) == 0xb,
        "TR 0x%x at 0x%llx+0x%x is not the monitor's TSS", s->tr.selector, (unsigned long long)s->tr.base, s->tr.limit);
  CHECK(s->ldt.selector == 0, "LDTR selector 0x%x: the machine has no LDT", s->ldt.selector);
  /* IOPL: 0 from this monitor on; 3 in snapshots of earlier ones (harmless: every port I/O exit
   * is checked by the monitor, and no interrupt exists for cli to hold off). */
  uint64_t iopl = (s->rflags >> 12) & 3;
  CHECK((s->rflags & 2) && !(s->rflags & (1ull << 17)) && (iopl == 0 || iopl == 3) && (s->rflags >> 22) == 0,
        "RFLAGS 0x%llx has reserved, virtual-8086 or IOPL 1-2 bits set", (unsigned long long)s->rflags);
  return 0;
}
