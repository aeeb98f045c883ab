/* The CPU section of the snapshot file: the field list of struct vmm_cpu_state, in file order. */
#include "cpu_state.h"

#include "snapshot_fields.h"

#define CPU(name, member) SNAPSHOT_FIELD(struct vmm_cpu_state, name, member)
#define SEGMENT(seg)                                                                                                                \
  CPU(#seg ".base", seg.base), CPU(#seg ".limit", seg.limit), CPU(#seg ".attrib", seg.attrib), CPU(#seg ".selector", seg.selector), \
      SNAPSHOT_RESERVED(6)

static const struct snapshot_field cpu_fields[] = {
    CPU("gpr", gpr),
    CPU("rip", rip),
    CPU("rflags", rflags),
    SEGMENT(cs),
    SEGMENT(ds),
    SEGMENT(es),
    SEGMENT(fs),
    SEGMENT(gs),
    SEGMENT(ss),
    SEGMENT(tr),
    SEGMENT(ldt),
    CPU("gdt_base", gdt_base),
    CPU("idt_base", idt_base),
    CPU("gdt_limit", gdt_limit),
    CPU("idt_limit", idt_limit),
    SNAPSHOT_RESERVED(4),
    CPU("cr0", cr0),
    CPU("cr2", cr2),
    CPU("cr3", cr3),
    CPU("cr4", cr4),
    CPU("efer", efer),
    CPU("kernel_gs_base", kernel_gs_base),
    CPU("fpu.fcw", fpu.fcw),
    CPU("fpu.fsw", fpu.fsw),
    CPU("fpu.ftw", fpu.ftw),
    SNAPSHOT_RESERVED(1),
    CPU("fpu.fop", fpu.fop),
    CPU("fpu.fip", fpu.fip),
    CPU("fpu.fdp", fpu.fdp),
    CPU("fpu.mxcsr", fpu.mxcsr),
    SNAPSHOT_RESERVED(4),
    CPU("fpu.st", fpu.st),
    CPU("fpu.xmm", fpu.xmm),
};

const struct snapshot_section cpu_state_section = SNAPSHOT_SECTION("cpu", cpu_fields);
