/* Guest entry and the one hypercall primitive. */
#define VMM_GPA_HYPERCALL 0xE000
#define VMM_PORT_EXIT 0x503

  .section .text.start, "ax"
  .globl _start
_start:
  and $-16, %rsp          /* the monitor starts us with RSP = RAM - 64; keep the ABI's alignment */
  call rt_main
  mov %eax, %esi
  mov $VMM_PORT_EXIT, %edi
  call rt_hypercall
1:
  jmp 1b

/* void rt_hypercall(uint32_t port, uint32_t value): jumps into the monitor's hypercall page
 * (`out %eax,(%dx); ret`), whose `ret` returns straight to our caller. */
  .text
  .globl rt_hypercall
rt_hypercall:
  mov %esi, %eax
  mov %edi, %edx
  mov $VMM_GPA_HYPERCALL, %ecx
  jmp *%rcx

  .section .note.GNU-stack, "", @progbits
