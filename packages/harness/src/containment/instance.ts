/**
 * The in-instance half of containment (node engine), installed before any user code runs:
 * raw sockets refused and recorded (network.ts) and, where the system has no parent-death
 * signal, a watcher that ends the instance when the harness is gone (parent-watch.ts).
 */
import { refuseNetwork } from './network.js';
import { watchParent } from './parent-watch.js';

export function containInstance(): void {
  refuseNetwork();
  watchParent();
}
