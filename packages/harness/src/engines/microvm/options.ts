import type { AcceleratorChoice, VmgenidMode } from '@snapstart/vmm-core';

/** What the caller chooses for the microvm engine (and, where they apply, the linux engine). */
export interface MicrovmOptions {
  /** vmm-core accelerator: `auto` (default), `kvm` or `tcg`. */
  readonly accel?: AcceleratorChoice;
  /** vmgenid on restore: `fresh` (default), `same`, or `none`. */
  readonly vmgenid?: VmgenidMode;
  /** Reseed Duktape's Math.random from the guest RNG when the generation changes. */
  readonly reseedMathRandom?: boolean;
  /** Reserved monitors kept ready for clones (default 4 under kvm, 0 under tcg; 0 restores every clone into a new monitor). */
  readonly reservePool?: number;
}
