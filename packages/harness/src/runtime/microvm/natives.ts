import type { StubRule } from '../protocol.js';

/** The JavaScript guest's native bindings (vmm-core native/guest/js/js_main.c). */
export interface GuestNatives {
  print(text: string): void;
  randomBytes(n: number): Uint8Array;
  /** Wall clock, epoch ms (fractional), from the clock page. */
  now(): number;
  /** Monotonic ms (fractional). */
  monotonic(): number;
  /** Spins until the wall clock reaches `ms` (no exit: the guest has no interrupts). */
  sleepUntil(ms: number): void;
  /** Generation changes seen so far (0 until the first restore with a fresh vmgenid). */
  generation(): number;
  features(): { rdrand: boolean; vmgenid: boolean; heapUsed: number; heapSize: number };
  sha256(data: Uint8Array): Uint8Array;
  hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array;
  scrypt(password: Uint8Array, salt: Uint8Array, n: number, r: number, p: number, keylen: number): Uint8Array;
  reseedMathRandom(): void;
}

export const guest = (globalThis as unknown as { __guest: GuestNatives }).__guest;

/** Set by the harness's boot script before anything else runs. */
export interface BootConfig {
  /** `snapshot`: this VM will be snapshotted at READY (clones run after-restore hooks); `cold`: a cold start. */
  readonly mode: 'snapshot' | 'cold';
  readonly env: Readonly<Record<string, string>>;
  readonly exportName: string;
  readonly hookTimeoutMs: number;
  /** `--responses`: answers for the requests init makes (invocations get them with each request). */
  readonly stubs?: readonly StubRule[];
}

export const boot = (globalThis as unknown as { __snapstartBoot: BootConfig }).__snapstartBoot;
