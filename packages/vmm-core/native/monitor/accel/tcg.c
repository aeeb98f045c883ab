/*
 * The `tcg` accelerator: the same x86-64 guest emulated by Unicorn (Debian's libunicorn 2.0.x),
 * over the same guest RAM. It runs everywhere, including hosts without /dev/kvm. Chosen through
 * the table in accel.c; docs/vmm.md, "The two accelerators", has the Unicorn quirks handled here.
 *
 * Stopping at a hypercall: in Unicorn 2.0.1 uc_emu_stop() called from an `out` hook does not
 * stop emulation promptly, and RIP read inside that hook is the start of the translation block.
 * A code hook does stop exactly, so one is installed on the hypercall page only (no cost
 * elsewhere): the `out` at VMM_GPA_HYPERCALL records the hypercall, and the hook on the `ret`
 * that follows stops with RIP = VMM_HYPERCALL_RESUME_RIP, the same state KVM reports.
 */
#include "accel.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicorn/unicorn.h>

#include "../../abi/vmm_abi.h"
#include "../x86.h"

#define MSR_EFER           0xc0000080u
#define MSR_KERNEL_GS_BASE 0xc0000102u
/* Never a valid RIP (non-canonical), so uc_emu_start's `until` is never reached by accident. */
#define UNTIL_NEVER 0xdead000000000000ull

struct vmm_accel {
  uc_engine *uc;
  uint8_t *ram;
  uint64_t ram_size;
  uc_hook hooks[6];
  int nhooks;
  int at_hypercall_out; /* the code hook saw RIP = the hypercall page's `out` */
  int pending;          /* a hypercall was made; stop at the `ret` */
  uint32_t pending_port, pending_value;
  int faulted;
  int fault_vector;
  uint64_t fault_rip, fault_cr2;
  char fault_reason[160];
  atomic_int kicked;
};

/* Keeps the first fault of a run: later ones are consequences of it. */
static void record_fault(struct vmm_accel *a, int vector, uint64_t rip, uint64_t cr2, const char *reason) {
  if (a->faulted) return;
  a->faulted = 1;
  a->fault_vector = vector;
  a->fault_rip = rip;
  a->fault_cr2 = cr2;
  snprintf(a->fault_reason, sizeof a->fault_reason, "%s", reason);
}

static void on_hypercall_page(uc_engine *uc, uint64_t address, uint32_t size, void *user) {
  (void)size;
  struct vmm_accel *a = user;
  if (address == VMM_GPA_HYPERCALL) {
    a->at_hypercall_out = 1;
    return;
  }
  a->at_hypercall_out = 0;
  if (address == VMM_HYPERCALL_RESUME_RIP && (a->pending || a->faulted)) uc_emu_stop(uc);
}

static void on_out(uc_engine *uc, uint32_t port, int size, uint32_t value, void *user) {
  struct vmm_accel *a = user;
  /* FAULT is reported by the exception stubs, which tcg never runs: from the guest it is forged. */
  if (!a->at_hypercall_out || size != 4 || port < VMM_PORT_BASE || port > VMM_PORT_LAST || port == VMM_PORT_FAULT) {
    uint64_t rip = 0;
    uc_reg_read(uc, UC_X86_REG_RIP, &rip);
    /* RIP here is only the start of the translation block that holds the `out`. */
    char what[96];
    snprintf(what, sizeof what, "port I/O that is not a hypercall: out%d to port 0x%x", size * 8, port);
    record_fault(a, -1, rip, 0, what);
    uc_emu_stop(uc);
    return;
  }
  a->at_hypercall_out = 0;
  a->pending = 1;
  a->pending_port = port;
  a->pending_value = value;
}

static uint32_t on_in(uc_engine *uc, uint32_t port, int size, void *user) {
  struct vmm_accel *a = user;
  uint64_t rip = 0;
  uc_reg_read(uc, UC_X86_REG_RIP, &rip);
  char what[96];
  snprintf(what, sizeof what, "port I/O that is not a hypercall: in%d from port 0x%x", size * 8, port);
  record_fault(a, -1, rip, 0, what);
  uc_emu_stop(uc);
  return 0xffffffffu;
}

/* Whether the instruction at `rip` is a `div`/`idiv` (F6/F7 with ModRM.reg 6 or 7, after any
 * legacy and REX prefixes). */
static int is_divide(struct vmm_accel *a, uint64_t rip) {
  uint8_t b[16];
  if (rip >= a->ram_size || a->ram_size - rip < sizeof b) return 0;
  memcpy(b, a->ram + rip, sizeof b);
  size_t i = 0;
  while (i < 14 && (b[i] == 0x66 || b[i] == 0x67 || b[i] == 0xf2 || b[i] == 0xf3 || b[i] == 0xf0 || b[i] == 0x2e || b[i] == 0x36 || b[i] == 0x3e ||
                    b[i] == 0x26 || b[i] == 0x64 || b[i] == 0x65 || (b[i] & 0xf0) == 0x40))
    i++;
  return (b[i] == 0xf6 || b[i] == 0xf7) && ((b[i + 1] >> 3) & 7) >= 6;
}

static void on_interrupt(uc_engine *uc, uint32_t intno, void *user) {
  struct vmm_accel *a = user;
  uint64_t rip = 0, cr2 = 0;
  uc_reg_read(uc, UC_X86_REG_RIP, &rip);
  if (intno == 14) uc_reg_read(uc, UC_X86_REG_CR2, &cr2);
  char what[96];
  if (intno >= VMM_EXCEPTION_VECTORS) {
    /* `int n`: Unicorn reports the software interrupt itself (a CPU would raise #GP on the DPL0 gate). */
    snprintf(what, sizeof what, "guest executed int 0x%x (software interrupts are not allowed)", intno);
    record_fault(a, (int)intno, rip, 0, what);
    uc_emu_stop(uc);
    return;
  }
  if (intno == 8) {
    /* Unicorn 2.0 never delivers an exception (this hook stops the guest at the first one), so a
     * real double fault cannot happen here. It reports one because its reset leaves QEMU's
     * "previous exception" at 0 (#DE), which turns the first contributory exception into #DF.
     * The contributory exceptions this machine can raise are #DE (div/idiv) and #GP. */
    intno = is_divide(a, rip) ? 0 : 13;
  }
  snprintf(what, sizeof what, "guest exception %u (%s)", intno, vmm_exception_name((int)intno));
  record_fault(a, (int)intno, rip, cr2, what);
  uc_emu_stop(uc);
}

/* `syscall`/`sysenter`: EFER.SCE is clear and there is no kernel, so a CPU raises #UD; Unicorn
 * would skip the instruction unless hooked. */
static void on_syscall(uc_engine *uc, void *user) {
  struct vmm_accel *a = user;
  uint64_t rip = 0;
  uc_reg_read(uc, UC_X86_REG_RIP, &rip);
  record_fault(a, 6, rip, 0, "guest exception 6 (invalid opcode): syscall/sysenter with no kernel to enter");
  uc_emu_stop(uc);
}

static int tcg_probe(char *why, size_t n) {
  uc_engine *uc;
  uc_err e = uc_open(UC_ARCH_X86, UC_MODE_64, &uc);
  if (e != UC_ERR_OK) {
    snprintf(why, n, "uc_open: %s", uc_strerror(e));
    return -1;
  }
  uc_close(uc);
  return 0;
}

static void tcg_destroy(struct vmm_accel *a) {
  if (!a) return;
  if (a->uc) {
    for (int i = 0; i < a->nhooks; i++) uc_hook_del(a->uc, a->hooks[i]);
    uc_mem_unmap(a->uc, 0, a->ram_size);
    uc_close(a->uc);
  }
  free(a);
}

static struct vmm_accel *tcg_create(uint8_t *ram, uint64_t ram_size, char *err, size_t n) {
  struct vmm_accel *a = calloc(1, sizeof *a);
  if (!a) {
    snprintf(err, n, "out of memory");
    return NULL;
  }
  a->ram = ram;
  a->ram_size = ram_size;
  uc_err e = uc_open(UC_ARCH_X86, UC_MODE_64, &a->uc);
  if (e != UC_ERR_OK) {
    a->uc = NULL;
    snprintf(err, n, "uc_open: %s", uc_strerror(e));
    goto fail;
  }
  /* Guest RAM is the caller's mapping (anonymous, or a MAP_PRIVATE snapshot file for
   * copy-on-write clones), so Unicorn reads and writes exactly the pages KVM would. */
  e = uc_mem_map_ptr(a->uc, 0, ram_size, UC_PROT_ALL, ram);
  if (e != UC_ERR_OK) {
    snprintf(err, n, "uc_mem_map_ptr: %s", uc_strerror(e));
    goto fail;
  }
  struct {
    int type;
    void *cb;
    uint64_t begin, end;
    int insn;
  } hooks[] = {
      {UC_HOOK_CODE, (void *)on_hypercall_page, VMM_GPA_HYPERCALL, VMM_GPA_HYPERCALL + VMM_PAGE_SIZE - 1, -1},
      {UC_HOOK_INSN, (void *)on_out, 1, 0, UC_X86_INS_OUT},
      {UC_HOOK_INSN, (void *)on_in, 1, 0, UC_X86_INS_IN},
      {UC_HOOK_INTR, (void *)on_interrupt, 1, 0, -1},
      {UC_HOOK_INSN, (void *)on_syscall, 1, 0, UC_X86_INS_SYSCALL},
      {UC_HOOK_INSN, (void *)on_syscall, 1, 0, UC_X86_INS_SYSENTER},
  };
  for (size_t i = 0; i < sizeof hooks / sizeof hooks[0]; i++) {
    e = hooks[i].insn >= 0 ? uc_hook_add(a->uc, &a->hooks[a->nhooks], hooks[i].type, hooks[i].cb, a, hooks[i].begin, hooks[i].end, hooks[i].insn)
                           : uc_hook_add(a->uc, &a->hooks[a->nhooks], hooks[i].type, hooks[i].cb, a, hooks[i].begin, hooks[i].end);
    if (e != UC_ERR_OK) {
      snprintf(err, n, "uc_hook_add: %s", uc_strerror(e));
      goto fail;
    }
    a->nhooks++;
  }
  return a;
fail:
  tcg_destroy(a);
  return NULL;
}

#define W(reg, ptr)                                                    \
  do {                                                                 \
    uc_err e_ = uc_reg_write(a->uc, (reg), (ptr));                     \
    if (e_ != UC_ERR_OK) {                                             \
      snprintf(err, n, "uc_reg_write(%s): %s", #reg, uc_strerror(e_)); \
      return -1;                                                       \
    }                                                                  \
  } while (0)
#define R(reg, ptr)                                                   \
  do {                                                                \
    uc_err e_ = uc_reg_read(a->uc, (reg), (ptr));                     \
    if (e_ != UC_ERR_OK) {                                            \
      snprintf(err, n, "uc_reg_read(%s): %s", #reg, uc_strerror(e_)); \
      return -1;                                                      \
    }                                                                 \
  } while (0)

static const int gpr_ids[GPR_COUNT] = {UC_X86_REG_RAX, UC_X86_REG_RCX, UC_X86_REG_RDX, UC_X86_REG_RBX, UC_X86_REG_RSP, UC_X86_REG_RBP,
                                       UC_X86_REG_RSI, UC_X86_REG_RDI, UC_X86_REG_R8,  UC_X86_REG_R9,  UC_X86_REG_R10, UC_X86_REG_R11,
                                       UC_X86_REG_R12, UC_X86_REG_R13, UC_X86_REG_R14, UC_X86_REG_R15};

static uint32_t uc_flags_from_attrib(uint32_t attrib) { return (attrib & 0xf0ffu) << 8; }
static uint32_t attrib_from_uc_flags(uint32_t flags) { return (flags >> 8) & 0xf0ffu; }

static int tcg_set_state(struct vmm_accel *a, const struct vmm_cpu_state *s, char *err, size_t n) {
  uc_x86_mmr gdtr = {0, s->gdt_base, s->gdt_limit, 0};
  uc_x86_mmr idtr = {0, s->idt_base, s->idt_limit, 0};
  W(UC_X86_REG_GDTR, &gdtr);
  W(UC_X86_REG_IDTR, &idtr);
  uc_x86_msr efer = {MSR_EFER, s->efer};
  W(UC_X86_REG_CR3, &s->cr3);
  W(UC_X86_REG_CR4, &s->cr4);
  W(UC_X86_REG_MSR, &efer);
  W(UC_X86_REG_CR0, &s->cr0);
  W(UC_X86_REG_CR2, &s->cr2);
  /* Segment selectors load their descriptors from the GDT in guest RAM (which the guest cannot
   * write), so the cached attributes match what KVM was given. CS before SS: QEMU derives the
   * CPL from SS, and loading SS checks it against the new CS. */
  /* Unicorn loads the selectors but keeps CPL 0 when they are written from outside, and a
   * CPL0 guest could write its page tables. So a CPL3 state is entered the architectural way:
   * kernel CS/SS and RIP at an `iretq` whose frame (on the supervisor stack) holds the real
   * RIP, CS, RFLAGS, RSP and SS. The first run() executes it and continues in the guest. */
  int to_user = SEG_DPL(s->cs.attrib) == 3;
  uint64_t sel;
  sel = to_user ? VMM_SEL_KERNEL_CODE : s->cs.selector;
  W(UC_X86_REG_CS, &sel);
  sel = to_user ? VMM_SEL_KERNEL_DATA : s->ss.selector;
  W(UC_X86_REG_SS, &sel);
  sel = s->ds.selector;
  W(UC_X86_REG_DS, &sel);
  sel = s->es.selector;
  W(UC_X86_REG_ES, &sel);
  sel = s->fs.selector;
  W(UC_X86_REG_FS, &sel);
  sel = s->gs.selector;
  W(UC_X86_REG_GS, &sel);
  W(UC_X86_REG_FS_BASE, &s->fs.base);
  W(UC_X86_REG_GS_BASE, &s->gs.base);
  uc_x86_mmr tr = {s->tr.selector, s->tr.base, s->tr.limit, uc_flags_from_attrib(s->tr.attrib)};
  W(UC_X86_REG_TR, &tr);
  uc_x86_mmr ldtr = {s->ldt.selector, s->ldt.base, s->ldt.limit, uc_flags_from_attrib(s->ldt.attrib & 0xffffu)};
  W(UC_X86_REG_LDTR, &ldtr);
  uc_x86_msr kgs = {MSR_KERNEL_GS_BASE, s->kernel_gs_base};
  W(UC_X86_REG_MSR, &kgs);
  for (int i = 0; i < GPR_COUNT; i++) W(gpr_ids[i], &s->gpr[i]);
  if (to_user) {
    uint64_t frame[5] = {s->rip, s->cs.selector, s->rflags, s->gpr[GPR_RSP], s->ss.selector};
    uint64_t sp = VMM_GPA_KSTACK_TOP - 64;
    memcpy(a->ram + sp, frame, sizeof frame);
    uint64_t kflags = 0x2, rip = VMM_GPA_IRET_TRAMPOLINE;
    W(UC_X86_REG_RSP, &sp);
    W(UC_X86_REG_RFLAGS, &kflags);
    W(UC_X86_REG_RIP, &rip);
  } else {
    W(UC_X86_REG_RFLAGS, &s->rflags);
    W(UC_X86_REG_RIP, &s->rip);
  }
  uint64_t v;
  v = s->fpu.fcw;
  W(UC_X86_REG_FPCW, &v);
  v = s->fpu.fsw;
  W(UC_X86_REG_FPSW, &v);
  uint64_t tag = 0; /* full tag word: 3 = empty, 0 = valid (Unicorn only keeps empty/non-empty) */
  for (int i = 7; i >= 0; i--) tag = (tag << 2) | ((s->fpu.ftw >> i) & 1 ? 0u : 3u);
  W(UC_X86_REG_FPTAG, &tag);
  v = s->fpu.fop;
  W(UC_X86_REG_FOP, &v);
  W(UC_X86_REG_FIP, &s->fpu.fip);
  W(UC_X86_REG_FDP, &s->fpu.fdp);
  v = s->fpu.mxcsr;
  W(UC_X86_REG_MXCSR, &v);
  for (int i = 0; i < 8; i++) {
    uint8_t st[16];
    memcpy(st, s->fpu.st[i], sizeof st);
    W(UC_X86_REG_ST0 + i, st);
  }
  for (int i = 0; i < 16; i++) {
    uint8_t x[16];
    memcpy(x, s->fpu.xmm[i], sizeof x);
    W(UC_X86_REG_XMM0 + i, x);
  }
  return 0;
}

static int read_segment(struct vmm_accel *a, int reg, const struct vmm_cpu_state *s, struct vmm_segment *out, char *err, size_t n) {
  uint64_t sel = 0;
  R(reg, &sel);
  *out = vmm_segment_from_descriptor(x86_gdt_descriptor(a->ram, a->ram_size, s->gdt_base, s->gdt_limit, (uint16_t)sel), (uint16_t)sel);
  return 0;
}

static int tcg_get_state(struct vmm_accel *a, struct vmm_cpu_state *s, char *err, size_t n) {
  memset(s, 0, sizeof *s);
  for (int i = 0; i < GPR_COUNT; i++) R(gpr_ids[i], &s->gpr[i]);
  R(UC_X86_REG_RIP, &s->rip);
  R(UC_X86_REG_RFLAGS, &s->rflags);
  uc_x86_mmr gdtr, idtr, tr, ldtr;
  R(UC_X86_REG_GDTR, &gdtr);
  R(UC_X86_REG_IDTR, &idtr);
  s->gdt_base = gdtr.base;
  s->gdt_limit = (uint16_t)gdtr.limit;
  s->idt_base = idtr.base;
  s->idt_limit = (uint16_t)idtr.limit;
  if (read_segment(a, UC_X86_REG_CS, s, &s->cs, err, n) < 0 || read_segment(a, UC_X86_REG_SS, s, &s->ss, err, n) < 0 ||
      read_segment(a, UC_X86_REG_DS, s, &s->ds, err, n) < 0 || read_segment(a, UC_X86_REG_ES, s, &s->es, err, n) < 0 ||
      read_segment(a, UC_X86_REG_FS, s, &s->fs, err, n) < 0 || read_segment(a, UC_X86_REG_GS, s, &s->gs, err, n) < 0)
    return -1;
  R(UC_X86_REG_FS_BASE, &s->fs.base);
  R(UC_X86_REG_GS_BASE, &s->gs.base);
  R(UC_X86_REG_TR, &tr);
  s->tr.selector = tr.selector;
  s->tr.base = tr.base;
  s->tr.limit = tr.limit;
  s->tr.attrib = attrib_from_uc_flags(tr.flags);
  R(UC_X86_REG_LDTR, &ldtr);
  s->ldt.selector = ldtr.selector;
  s->ldt.base = ldtr.base;
  s->ldt.limit = ldtr.limit;
  s->ldt.attrib = ldtr.selector ? attrib_from_uc_flags(ldtr.flags) : SEG_UNUSABLE;
  R(UC_X86_REG_CR0, &s->cr0);
  R(UC_X86_REG_CR2, &s->cr2);
  R(UC_X86_REG_CR3, &s->cr3);
  R(UC_X86_REG_CR4, &s->cr4);
  uc_x86_msr msr = {MSR_EFER, 0};
  R(UC_X86_REG_MSR, &msr);
  s->efer = msr.value;
  msr.rid = MSR_KERNEL_GS_BASE;
  msr.value = 0;
  R(UC_X86_REG_MSR, &msr);
  s->kernel_gs_base = msr.value;
  uint64_t v = 0;
  R(UC_X86_REG_FPCW, &v);
  s->fpu.fcw = (uint16_t)v;
  v = 0;
  R(UC_X86_REG_FPSW, &v);
  s->fpu.fsw = (uint16_t)v;
  v = 0;
  R(UC_X86_REG_FPTAG, &v);
  s->fpu.ftw = 0;
  for (int i = 0; i < 8; i++)
    if (((v >> (2 * i)) & 3) != 3) s->fpu.ftw |= (uint8_t)(1u << i);
  v = 0;
  R(UC_X86_REG_FOP, &v);
  s->fpu.fop = (uint16_t)v;
  R(UC_X86_REG_FIP, &s->fpu.fip);
  R(UC_X86_REG_FDP, &s->fpu.fdp);
  v = 0;
  R(UC_X86_REG_MXCSR, &v);
  s->fpu.mxcsr = (uint32_t)v;
  for (int i = 0; i < 8; i++) {
    uint8_t st[16] = {0};
    R(UC_X86_REG_ST0 + i, st);
    memset(s->fpu.st[i], 0, 16);
    memcpy(s->fpu.st[i], st, 10);
  }
  for (int i = 0; i < 16; i++) R(UC_X86_REG_XMM0 + i, s->fpu.xmm[i]);
  return 0;
}

static void tcg_run(struct vmm_accel *a, struct vmm_exit *x) {
  memset(x, 0, sizeof *x);
  x->vector = -1;
  a->pending = 0;
  a->faulted = 0;
  a->at_hypercall_out = 0;
  if (atomic_exchange(&a->kicked, 0)) {
    x->kind = VMM_EXIT_KICKED;
    return;
  }
  uint64_t rip = 0, now_rip = 0;
  uc_reg_read(a->uc, UC_X86_REG_RIP, &rip);
  uc_err e;
  for (int attempt = 0;; attempt++) {
    e = uc_emu_start(a->uc, rip, UNTIL_NEVER, 0, 0);
    uc_reg_read(a->uc, UC_X86_REG_RIP, &now_rip);
    /* A stop request left over from an earlier kick ends the run before the first instruction:
     * nothing happened, so run again (a real `hlt` moves RIP past itself). */
    if (e == UC_ERR_OK && !a->pending && !a->faulted && now_rip == rip && !atomic_load(&a->kicked) && attempt < 3) continue;
    break;
  }
  if (a->pending && !a->faulted && now_rip == VMM_HYPERCALL_RESUME_RIP) {
    x->kind = VMM_EXIT_HYPERCALL;
    x->port = a->pending_port;
    x->value = a->pending_value;
    x->rip = now_rip;
    atomic_store(&a->kicked, 0); /* the run ended at a consistent point either way */
    return;
  }
  if (atomic_exchange(&a->kicked, 0) && !a->faulted) {
    x->kind = VMM_EXIT_KICKED;
    x->rip = now_rip;
    return;
  }
  x->kind = VMM_EXIT_FAULT;
  if (a->faulted) {
    x->vector = a->fault_vector;
    x->rip = a->fault_rip;
    x->cr2 = a->fault_cr2;
    snprintf(x->reason, sizeof x->reason, "%s", a->fault_reason);
  } else if (e != UC_ERR_OK) {
    x->rip = now_rip;
    if (e == UC_ERR_INSN_INVALID) {
      x->vector = 6;
      snprintf(x->reason, sizeof x->reason, "guest exception 6 (%s)", vmm_exception_name(6));
    } else {
      snprintf(x->reason, sizeof x->reason, "guest stopped: %s", uc_strerror(e));
    }
  } else {
    x->rip = now_rip;
    snprintf(x->reason, sizeof x->reason, "guest executed hlt");
  }
}

static void tcg_kick(struct vmm_accel *a) {
  atomic_store(&a->kicked, 1);
  /* Safe from another thread: it only requests an exit at the next translation-block boundary. */
  uc_emu_stop(a->uc);
}

static uint64_t tcg_guest_tsc(struct vmm_accel *a) {
  (void)a;
  /* Unicorn's rdtsc returns the host TSC (no offset is configured). */
  uint32_t lo, hi;
  __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
  return ((uint64_t)hi << 32) | lo;
}

const struct vmm_accel_ops vmm_accel_tcg = {
    .name = "tcg",
    .prepare = NULL,
    .probe = tcg_probe,
    .create = tcg_create,
    .set_state = tcg_set_state,
    .get_state = tcg_get_state,
    .run = tcg_run,
    .kick = tcg_kick,
    .guest_tsc = tcg_guest_tsc,
    .destroy = tcg_destroy,
};
