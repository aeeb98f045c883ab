import type { AcceleratorChoice, VmgenidMode } from '@snapstart/vmm-core';

/** What the caller chooses for the linux engine (a real Linux guest under QEMU, the function's own runtime and AWS's runtime interface client). */
export type LinuxRuntime = 'java' | 'python' | 'node';

export const LINUX_RUNTIMES: readonly LinuxRuntime[] = ['java', 'python', 'node'];

export interface LinuxOptions {
  /** The function's runtime (required by the linux engine). */
  readonly runtime?: LinuxRuntime;
  /**
   * Lambda's handler string: `com.example.Handler::handleRequest` (Java), `app.handler` (Python),
   * `index.handler` (Node). Default for Python/Node: `<entry file stem>.handler`.
   */
  readonly handler?: string;
  /** QEMU accelerator: `auto` (default: KVM if it runs a stock kernel within a short deadline, else TCG), `kvm` or `tcg`. */
  readonly accel?: AcceleratorChoice;
  /** vmgenid of each clone: `fresh` (default: a new generation ID, as Lambda does), `same` (the snapshot's), `none` (no device). */
  readonly vmgenid?: VmgenidMode;
}
