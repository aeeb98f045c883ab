/*
 * The `kvm` accelerator: one VM, one vCPU, no in-kernel irqchip; guest exceptions go through the
 * IDT to the monitor's stubs. Written for PVM (the software nested virtualization on some of our
 * hosts) and correct on hardware-virtualization hosts: the guest runs at CPL3, the TSS has a real
 * I/O bitmap, and the snapshot point is made consistent with `immediate_exit`. Chosen through the
 * table in accel.c. See docs/vmm.md, "The two accelerators".
 */
#include "accel.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../abi/vmm_abi.h"

#define MSR_IA32_TSC       0x10u
#define MSR_KERNEL_GS_BASE 0xc0000102u
#define KICK_SIGNAL        SIGUSR1

struct vmm_accel {
  const uint8_t *ram;
  uint64_t ram_size;
  int vm_fd;
  int vcpu_fd;
  struct kvm_run *run;
  size_t run_size;
  pthread_t vcpu_thread;
  atomic_int kicked;
  int io_pending; /* a KVM_EXIT_IO whose instruction KVM completes on the next KVM_RUN */
};

/* The process-wide /dev/kvm handle and supported CPUID are cached: opening /dev/kvm and
 * KVM_GET_SUPPORTED_CPUID cost ~1.5 ms the first time (measured, docs/vmm.md). */
static int kvm_fd = -1;
static struct kvm_cpuid2 *supported_cpuid;
static int mmap_size;

static int xioctl(int fd, unsigned long req, void *arg) {
  int r;
  do r = ioctl(fd, req, arg);
  while (r < 0 && errno == EAGAIN);
  return r;
}

static int open_kvm(char *why, size_t n) {
  if (kvm_fd >= 0) return 0;
  int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    snprintf(why, n, "cannot open /dev/kvm: %s", strerror(errno));
    return -1;
  }
  int version = ioctl(fd, KVM_GET_API_VERSION, 0);
  if (version != KVM_API_VERSION) {
    snprintf(why, n, "/dev/kvm reports API version %d, expected %d", version, KVM_API_VERSION);
    close(fd);
    return -1;
  }
  int size = ioctl(fd, KVM_GET_VCPU_MMAP_SIZE, 0);
  if (size < (int)sizeof(struct kvm_run)) {
    snprintf(why, n, "KVM_GET_VCPU_MMAP_SIZE failed: %s", strerror(errno));
    close(fd);
    return -1;
  }
  int nent = 128;
  struct kvm_cpuid2 *cpuid = NULL;
  for (;;) {
    cpuid = calloc(1, sizeof *cpuid + (size_t)nent * sizeof(struct kvm_cpuid_entry2));
    if (!cpuid) {
      snprintf(why, n, "out of memory");
      close(fd);
      return -1;
    }
    cpuid->nent = (uint32_t)nent;
    if (ioctl(fd, KVM_GET_SUPPORTED_CPUID, cpuid) == 0) break;
    int err = errno;
    free(cpuid);
    if (err != E2BIG || nent >= 4096) {
      snprintf(why, n, "KVM_GET_SUPPORTED_CPUID failed: %s", strerror(err));
      close(fd);
      return -1;
    }
    nent *= 2;
  }
  kvm_fd = fd;
  supported_cpuid = cpuid;
  mmap_size = size;
  return 0;
}

static void on_kick(int sig) { (void)sig; }

static void kvm_prepare(void) {
  char ignored[200];
  (void)open_kvm(ignored, sizeof ignored);
}

static int kvm_probe(char *why, size_t n) {
  if (open_kvm(why, n) < 0) return -1;
  int vm = ioctl(kvm_fd, KVM_CREATE_VM, 0);
  if (vm < 0) {
    snprintf(why, n, "/dev/kvm opened but KVM_CREATE_VM failed: %s", strerror(errno));
    return -1;
  }
  close(vm);
  return 0;
}

static void kvm_destroy(struct vmm_accel *a) {
  if (!a) return;
  if (a->run) munmap(a->run, a->run_size);
  if (a->vcpu_fd >= 0) close(a->vcpu_fd);
  if (a->vm_fd >= 0) close(a->vm_fd);
  free(a);
}

static struct vmm_accel *kvm_create(uint8_t *ram, uint64_t ram_size, char *err, size_t n) {
  if (open_kvm(err, n) < 0) return NULL;
  struct vmm_accel *a = calloc(1, sizeof *a);
  if (!a) {
    snprintf(err, n, "out of memory");
    return NULL;
  }
  a->vm_fd = a->vcpu_fd = -1;
  a->ram = ram;
  a->ram_size = ram_size;
  a->vcpu_thread = pthread_self();

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_kick; /* no SA_RESTART: KVM_RUN must return EINTR */
  sigemptyset(&sa.sa_mask);
  if (sigaction(KICK_SIGNAL, &sa, NULL) < 0) {
    snprintf(err, n, "sigaction: %s", strerror(errno));
    goto fail;
  }
  a->vm_fd = xioctl(kvm_fd, KVM_CREATE_VM, 0);
  if (a->vm_fd < 0) {
    snprintf(err, n, "KVM_CREATE_VM: %s", strerror(errno));
    goto fail;
  }
  /* Intel hosts need a TSS region for real-mode emulation even though we never use real mode;
   * put it above guest RAM. PVM does not implement it, so ENOTTY/EINVAL there is expected. */
  if (ioctl(a->vm_fd, KVM_SET_TSS_ADDR, 0xfffbd000ul) < 0 && errno != ENOTTY && errno != EINVAL) {
    snprintf(err, n, "KVM_SET_TSS_ADDR: %s", strerror(errno));
    goto fail;
  }
  struct kvm_userspace_memory_region region = {
      .slot = 0, .flags = 0, .guest_phys_addr = 0, .memory_size = ram_size, .userspace_addr = (uint64_t)(uintptr_t)ram};
  if (xioctl(a->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0) {
    snprintf(err, n, "KVM_SET_USER_MEMORY_REGION: %s", strerror(errno));
    goto fail;
  }
  a->vcpu_fd = xioctl(a->vm_fd, KVM_CREATE_VCPU, 0);
  if (a->vcpu_fd < 0) {
    snprintf(err, n, "KVM_CREATE_VCPU: %s", strerror(errno));
    goto fail;
  }
  a->run_size = (size_t)mmap_size;
  a->run = mmap(NULL, a->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, a->vcpu_fd, 0);
  if (a->run == MAP_FAILED) {
    a->run = NULL;
    snprintf(err, n, "mmap kvm_run: %s", strerror(errno));
    goto fail;
  }
  if (xioctl(a->vcpu_fd, KVM_SET_CPUID2, supported_cpuid) < 0) {
    snprintf(err, n, "KVM_SET_CPUID2: %s", strerror(errno));
    goto fail;
  }
  return a;
fail:
  kvm_destroy(a);
  return NULL;
}

static void to_kvm_segment(const struct vmm_segment *s, struct kvm_segment *k) {
  memset(k, 0, sizeof *k);
  k->base = s->base;
  k->limit = s->limit;
  k->selector = s->selector;
  k->type = (uint8_t)SEG_TYPE(s->attrib);
  k->s = (uint8_t)SEG_S(s->attrib);
  k->dpl = (uint8_t)SEG_DPL(s->attrib);
  k->present = (uint8_t)SEG_P(s->attrib);
  k->avl = (uint8_t)SEG_AVL(s->attrib);
  k->l = (uint8_t)SEG_L(s->attrib);
  k->db = (uint8_t)SEG_DB(s->attrib);
  k->g = (uint8_t)SEG_G(s->attrib);
  k->unusable = (s->attrib & SEG_UNUSABLE) ? 1 : 0;
}

static void from_kvm_segment(const struct kvm_segment *k, struct vmm_segment *s) {
  memset(s, 0, sizeof *s);
  s->base = k->base;
  s->limit = k->limit;
  s->selector = k->selector;
  s->attrib = (uint32_t)(k->type & 0xf) | (uint32_t)(k->s & 1) << 4 | (uint32_t)(k->dpl & 3) << 5 | (uint32_t)(k->present & 1) << 7 |
              (uint32_t)(k->avl & 1) << 12 | (uint32_t)(k->l & 1) << 13 | (uint32_t)(k->db & 1) << 14 | (uint32_t)(k->g & 1) << 15 |
              (k->unusable ? SEG_UNUSABLE : 0u);
}

/* x87/SSE state goes through the XSAVE area's legacy (FXSAVE-format) region: under PVM,
 * KVM_GET_FPU/KVM_SET_FPU do not carry MXCSR (measured: a round-toward-zero MXCSR came back as
 * the default after kvm -> kvm and as 0 after kvm -> tcg), while KVM_GET/SET_XSAVE do. */
#define XSAVE_XSTATE_BV 512
#define XFEATURE_X87    1ull
#define XFEATURE_SSE    2ull

static int get_fpu_state(struct vmm_accel *a, struct vmm_fpu *f, char *err, size_t n) {
  struct kvm_xsave xs;
  if (xioctl(a->vcpu_fd, KVM_GET_XSAVE, &xs) < 0) {
    snprintf(err, n, "KVM_GET_XSAVE: %s", strerror(errno));
    return -1;
  }
  const uint8_t *r = (const uint8_t *)xs.region;
  uint64_t bv;
  memcpy(&bv, r + XSAVE_XSTATE_BV, 8);
  memset(f, 0, sizeof *f);
  if (bv & XFEATURE_X87) {
    memcpy(&f->fcw, r + 0, 2);
    memcpy(&f->fsw, r + 2, 2);
    f->ftw = r[4];
    memcpy(&f->fop, r + 6, 2);
    memcpy(&f->fip, r + 8, 8);
    memcpy(&f->fdp, r + 16, 8);
    memcpy(f->st, r + 32, sizeof f->st);
  } else {
    f->fcw = 0x37f; /* x87 in its initial state */
  }
  memcpy(&f->mxcsr, r + 24, 4);
  if (bv & XFEATURE_SSE) memcpy(f->xmm, r + 160, sizeof f->xmm);
  return 0;
}

static int set_fpu_state(struct vmm_accel *a, const struct vmm_fpu *f, char *err, size_t n) {
  struct kvm_xsave xs;
  if (xioctl(a->vcpu_fd, KVM_GET_XSAVE, &xs) < 0) {
    snprintf(err, n, "KVM_GET_XSAVE: %s", strerror(errno));
    return -1;
  }
  uint8_t *r = (uint8_t *)xs.region;
  memset(r, 0, 512);
  memcpy(r + 0, &f->fcw, 2);
  memcpy(r + 2, &f->fsw, 2);
  r[4] = f->ftw;
  memcpy(r + 6, &f->fop, 2);
  memcpy(r + 8, &f->fip, 8);
  memcpy(r + 16, &f->fdp, 8);
  memcpy(r + 24, &f->mxcsr, 4);
  uint32_t mxcsr_mask = 0xffff;
  memcpy(r + 28, &mxcsr_mask, 4);
  memcpy(r + 32, f->st, sizeof f->st);
  memcpy(r + 160, f->xmm, sizeof f->xmm);
  uint64_t bv;
  memcpy(&bv, r + XSAVE_XSTATE_BV, 8);
  bv |= XFEATURE_X87 | XFEATURE_SSE;
  memcpy(r + XSAVE_XSTATE_BV, &bv, 8);
  if (xioctl(a->vcpu_fd, KVM_SET_XSAVE, &xs) < 0) {
    snprintf(err, n, "KVM_SET_XSAVE: %s", strerror(errno));
    return -1;
  }
  return 0;
}

static int kvm_set_state(struct vmm_accel *a, const struct vmm_cpu_state *s, char *err, size_t n) {
  struct kvm_sregs sregs;
  if (xioctl(a->vcpu_fd, KVM_GET_SREGS, &sregs) < 0) {
    snprintf(err, n, "KVM_GET_SREGS: %s", strerror(errno));
    return -1;
  }
  to_kvm_segment(&s->cs, &sregs.cs);
  to_kvm_segment(&s->ds, &sregs.ds);
  to_kvm_segment(&s->es, &sregs.es);
  to_kvm_segment(&s->fs, &sregs.fs);
  to_kvm_segment(&s->gs, &sregs.gs);
  to_kvm_segment(&s->ss, &sregs.ss);
  to_kvm_segment(&s->tr, &sregs.tr);
  to_kvm_segment(&s->ldt, &sregs.ldt);
  sregs.gdt.base = s->gdt_base;
  sregs.gdt.limit = s->gdt_limit;
  sregs.idt.base = s->idt_base;
  sregs.idt.limit = s->idt_limit;
  sregs.cr0 = s->cr0;
  sregs.cr2 = s->cr2;
  sregs.cr3 = s->cr3;
  sregs.cr4 = s->cr4;
  sregs.efer = s->efer;
  memset(sregs.interrupt_bitmap, 0, sizeof sregs.interrupt_bitmap);
  if (xioctl(a->vcpu_fd, KVM_SET_SREGS, &sregs) < 0) {
    snprintf(err, n, "KVM_SET_SREGS: %s", strerror(errno));
    return -1;
  }
  struct kvm_regs regs = {.rax = s->gpr[GPR_RAX],
                          .rbx = s->gpr[GPR_RBX],
                          .rcx = s->gpr[GPR_RCX],
                          .rdx = s->gpr[GPR_RDX],
                          .rsi = s->gpr[GPR_RSI],
                          .rdi = s->gpr[GPR_RDI],
                          .rsp = s->gpr[GPR_RSP],
                          .rbp = s->gpr[GPR_RBP],
                          .r8 = s->gpr[GPR_R8],
                          .r9 = s->gpr[GPR_R9],
                          .r10 = s->gpr[GPR_R10],
                          .r11 = s->gpr[GPR_R11],
                          .r12 = s->gpr[GPR_R12],
                          .r13 = s->gpr[GPR_R13],
                          .r14 = s->gpr[GPR_R14],
                          .r15 = s->gpr[GPR_R15],
                          .rip = s->rip,
                          .rflags = s->rflags};
  if (xioctl(a->vcpu_fd, KVM_SET_REGS, &regs) < 0) {
    snprintf(err, n, "KVM_SET_REGS: %s", strerror(errno));
    return -1;
  }
  if (set_fpu_state(a, &s->fpu, err, n) < 0) return -1;
  struct {
    struct kvm_msrs h;
    struct kvm_msr_entry e[1];
  } msrs;
  memset(&msrs, 0, sizeof msrs);
  msrs.h.nmsrs = 1;
  msrs.e[0].index = MSR_KERNEL_GS_BASE;
  msrs.e[0].data = s->kernel_gs_base;
  if (xioctl(a->vcpu_fd, KVM_SET_MSRS, &msrs) != 1) {
    snprintf(err, n, "KVM_SET_MSRS: %s", strerror(errno));
    return -1;
  }
  a->io_pending = 0;
  return 0;
}

/* Lets KVM finish the `out` of the last exit without running guest code, so RIP is after it. */
static int complete_pending_io(struct vmm_accel *a, char *err, size_t n) {
  if (!a->io_pending) return 0;
  a->run->immediate_exit = 1;
  int r = ioctl(a->vcpu_fd, KVM_RUN, 0);
  int e = errno;
  a->run->immediate_exit = 0;
  if (r == 0 || e != EINTR) {
    snprintf(err, n, "KVM_RUN with immediate_exit returned %d (%s), expected EINTR", r, strerror(e));
    return -1;
  }
  a->io_pending = 0;
  return 0;
}

static int kvm_get_state(struct vmm_accel *a, struct vmm_cpu_state *s, char *err, size_t n) {
  if (complete_pending_io(a, err, n) < 0) return -1;
  memset(s, 0, sizeof *s);
  struct kvm_regs regs;
  if (xioctl(a->vcpu_fd, KVM_GET_REGS, &regs) < 0) {
    snprintf(err, n, "KVM_GET_REGS: %s", strerror(errno));
    return -1;
  }
  s->gpr[GPR_RAX] = regs.rax;
  s->gpr[GPR_RBX] = regs.rbx;
  s->gpr[GPR_RCX] = regs.rcx;
  s->gpr[GPR_RDX] = regs.rdx;
  s->gpr[GPR_RSI] = regs.rsi;
  s->gpr[GPR_RDI] = regs.rdi;
  s->gpr[GPR_RSP] = regs.rsp;
  s->gpr[GPR_RBP] = regs.rbp;
  s->gpr[GPR_R8] = regs.r8;
  s->gpr[GPR_R9] = regs.r9;
  s->gpr[GPR_R10] = regs.r10;
  s->gpr[GPR_R11] = regs.r11;
  s->gpr[GPR_R12] = regs.r12;
  s->gpr[GPR_R13] = regs.r13;
  s->gpr[GPR_R14] = regs.r14;
  s->gpr[GPR_R15] = regs.r15;
  s->rip = regs.rip;
  s->rflags = regs.rflags;
  struct kvm_sregs sregs;
  if (xioctl(a->vcpu_fd, KVM_GET_SREGS, &sregs) < 0) {
    snprintf(err, n, "KVM_GET_SREGS: %s", strerror(errno));
    return -1;
  }
  from_kvm_segment(&sregs.cs, &s->cs);
  from_kvm_segment(&sregs.ds, &s->ds);
  from_kvm_segment(&sregs.es, &s->es);
  from_kvm_segment(&sregs.fs, &s->fs);
  from_kvm_segment(&sregs.gs, &s->gs);
  from_kvm_segment(&sregs.ss, &s->ss);
  from_kvm_segment(&sregs.tr, &s->tr);
  from_kvm_segment(&sregs.ldt, &s->ldt);
  s->gdt_base = sregs.gdt.base;
  s->gdt_limit = sregs.gdt.limit;
  s->idt_base = sregs.idt.base;
  s->idt_limit = sregs.idt.limit;
  s->cr0 = sregs.cr0;
  s->cr2 = sregs.cr2;
  s->cr3 = sregs.cr3;
  s->cr4 = sregs.cr4;
  s->efer = sregs.efer;
  if (get_fpu_state(a, &s->fpu, err, n) < 0) return -1;
  struct {
    struct kvm_msrs h;
    struct kvm_msr_entry e[1];
  } msrs;
  memset(&msrs, 0, sizeof msrs);
  msrs.h.nmsrs = 1;
  msrs.e[0].index = MSR_KERNEL_GS_BASE;
  if (xioctl(a->vcpu_fd, KVM_GET_MSRS, &msrs) != 1) {
    snprintf(err, n, "KVM_GET_MSRS: %s", strerror(errno));
    return -1;
  }
  s->kernel_gs_base = msrs.e[0].data;
  return 0;
}

static void fault_with_regs(struct vmm_accel *a, struct vmm_exit *x, const char *what) {
  x->kind = VMM_EXIT_FAULT;
  x->vector = -1;
  struct kvm_regs regs;
  struct kvm_sregs sregs;
  if (xioctl(a->vcpu_fd, KVM_GET_REGS, &regs) == 0) x->rip = regs.rip;
  if (xioctl(a->vcpu_fd, KVM_GET_SREGS, &sregs) == 0) x->cr2 = sregs.cr2;
  snprintf(x->reason, sizeof x->reason, "%s", what);
}

/* The exception stubs pushed the vector and error code on the supervisor stack, above the
 * frame the CPU pushed (RIP, CS, RFLAGS, RSP, SS). */
static void exception_exit(struct vmm_accel *a, uint64_t rsp, struct vmm_exit *x) {
  x->kind = VMM_EXIT_FAULT;
  x->vector = -1;
  uint64_t frame[7];
  if (rsp < VMM_GPA_KSTACK_TOP - VMM_PAGE_SIZE || rsp > VMM_GPA_KSTACK_TOP - sizeof frame || rsp + sizeof frame > a->ram_size) {
    snprintf(x->reason, sizeof x->reason, "guest exception with a corrupt exception stack");
    return;
  }
  memcpy(frame, a->ram + rsp, sizeof frame);
  struct kvm_sregs sregs;
  if (frame[0] == 14 && xioctl(a->vcpu_fd, KVM_GET_SREGS, &sregs) == 0) x->cr2 = sregs.cr2;
  x->vector = (int)frame[0];
  x->rip = frame[2];
  snprintf(x->reason, sizeof x->reason, "guest exception %d (%s), error code 0x%llx", x->vector, vmm_exception_name(x->vector),
           (unsigned long long)frame[1]);
}

static void kvm_run(struct vmm_accel *a, struct vmm_exit *x) {
  memset(x, 0, sizeof *x);
  x->vector = -1;
  for (;;) {
    if (atomic_exchange(&a->kicked, 0)) {
      x->kind = VMM_EXIT_KICKED;
      a->run->immediate_exit = 0;
      struct kvm_regs regs;
      if (xioctl(a->vcpu_fd, KVM_GET_REGS, &regs) == 0) x->rip = regs.rip;
      return;
    }
    int r = ioctl(a->vcpu_fd, KVM_RUN, 0);
    if (r < 0) {
      if (errno == EINTR || errno == EAGAIN) {
        /* Kicked (handled at the top) or a signal that was not ours: clear a stale
         * immediate_exit so the next KVM_RUN really runs. */
        if (!atomic_load(&a->kicked)) a->run->immediate_exit = 0;
        continue;
      }
      x->kind = VMM_EXIT_INTERNAL;
      snprintf(x->reason, sizeof x->reason, "KVM_RUN: %s", strerror(errno));
      return;
    }
    a->io_pending = 0;
    struct kvm_run *run = a->run;
    switch (run->exit_reason) {
      case KVM_EXIT_IO: {
        a->io_pending = 1;
        struct kvm_regs regs;
        if (xioctl(a->vcpu_fd, KVM_GET_REGS, &regs) < 0) {
          x->kind = VMM_EXIT_INTERNAL;
          snprintf(x->reason, sizeof x->reason, "KVM_GET_REGS: %s", strerror(errno));
          return;
        }
        x->rip = regs.rip;
        int from_stubs = regs.rip >= VMM_GPA_EXCEPTIONS && regs.rip < VMM_GPA_EXCEPTIONS + VMM_PAGE_SIZE;
        if (from_stubs && run->io.direction == KVM_EXIT_IO_OUT && run->io.port == VMM_PORT_FAULT) {
          exception_exit(a, regs.rsp, x);
          return;
        }
        if (run->io.direction != KVM_EXIT_IO_OUT || run->io.size != 4 || run->io.count != 1 || run->io.port < VMM_PORT_BASE ||
            run->io.port > VMM_PORT_LAST || run->io.port == VMM_PORT_FAULT ||
            (regs.rip != VMM_GPA_HYPERCALL && regs.rip != VMM_HYPERCALL_RESUME_RIP)) {
          x->kind = VMM_EXIT_FAULT;
          int out = run->io.direction == KVM_EXIT_IO_OUT;
          snprintf(x->reason, sizeof x->reason, "port I/O that is not a hypercall: %s%u %s port 0x%x", out ? "out" : "in", run->io.size * 8u,
                   out ? "to" : "from", run->io.port);
          return;
        }
        uint32_t value;
        memcpy(&value, (const uint8_t *)run + run->io.data_offset, sizeof value);
        x->kind = VMM_EXIT_HYPERCALL;
        x->port = run->io.port;
        x->value = value;
        x->rip = VMM_HYPERCALL_RESUME_RIP;
        return;
      }
      case KVM_EXIT_SHUTDOWN: fault_with_regs(a, x, "guest triple fault (an exception while delivering an exception)"); return;
      case KVM_EXIT_HLT: fault_with_regs(a, x, "guest executed hlt"); return;
      case KVM_EXIT_MMIO:
        fault_with_regs(a, x, "guest accessed memory outside its RAM");
        x->cr2 = run->mmio.phys_addr;
        return;
      case KVM_EXIT_FAIL_ENTRY:
        x->kind = VMM_EXIT_INTERNAL;
        snprintf(x->reason, sizeof x->reason, "VM entry failed (hardware reason 0x%llx)",
                 (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
        return;
      case KVM_EXIT_INTERNAL_ERROR:
        fault_with_regs(a, x, "KVM internal error (emulation failure)");
        snprintf(x->reason, sizeof x->reason, "KVM internal error, suberror %u", run->internal.suberror);
        return;
      case KVM_EXIT_INTR: continue;
      default: {
        char what[64];
        snprintf(what, sizeof what, "unexpected KVM exit %u", run->exit_reason);
        fault_with_regs(a, x, what);
        return;
      }
    }
  }
}

static void kvm_kick(struct vmm_accel *a) {
  atomic_store(&a->kicked, 1);
  a->run->immediate_exit = 1;
  pthread_kill(a->vcpu_thread, KICK_SIGNAL);
}

static uint64_t kvm_guest_tsc(struct vmm_accel *a) {
  struct {
    struct kvm_msrs h;
    struct kvm_msr_entry e[1];
  } msrs;
  memset(&msrs, 0, sizeof msrs);
  msrs.h.nmsrs = 1;
  msrs.e[0].index = MSR_IA32_TSC;
  if (xioctl(a->vcpu_fd, KVM_GET_MSRS, &msrs) != 1) return 0;
  return msrs.e[0].data;
}

const struct vmm_accel_ops vmm_accel_kvm = {
    .name = "kvm",
    .prepare = kvm_prepare,
    .probe = kvm_probe,
    .create = kvm_create,
    .set_state = kvm_set_state,
    .get_state = kvm_get_state,
    .run = kvm_run,
    .kick = kvm_kick,
    .guest_tsc = kvm_guest_tsc,
    .destroy = kvm_destroy,
};
