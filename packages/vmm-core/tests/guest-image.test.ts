import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { guests } from '../src/index.js';

// There is no kernel in the guest: a `syscall` would land in an emulated LSTAR path under PVM
// and fault under tcg. musl's libc.a links a few functions that contain one; none of them may be
// reachable. These two are musl's stdio lock helpers, only called for FILEs with a lock, and the
// guest never touches a real FILE (vsnprintf uses one with lock = -1).
const UNREACHABLE_SYSCALL_FUNCTIONS = new Set(['__lockfile', '__unlockfile']);
// The probe guest's `syscall` command runs one on purpose, to check the monitor ends the VM.
const DELIBERATE: Record<string, ReadonlySet<string>> = { probe: new Set(['hostile_syscall']) };

function functionsWithSyscall(elf: string): string[] {
  const asm = execFileSync('objdump', ['-d', '--no-show-raw-insn', elf], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const found = new Set<string>();
  let current = '';
  for (const line of asm.split('\n')) {
    const fn = /^[0-9a-f]+ <([^>]+)>:$/.exec(line);
    if (fn) current = fn[1]!;
    else if (/\ssyscall\s*$/.test(line)) found.add(current);
  }
  return [...found].sort();
}

describe('guest images', () => {
  it.each(Object.entries(guests))('%s makes no reachable system call', (name, elf) => {
    const unexpected = functionsWithSyscall(elf).filter((f) => !UNREACHABLE_SYSCALL_FUNCTIONS.has(f) && !DELIBERATE[name]?.has(f));
    expect(unexpected).toEqual([]);
  });
});
