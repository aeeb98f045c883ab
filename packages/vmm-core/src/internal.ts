/**
 * `@snapstart/vmm-core/internal`: the pieces under the public API, for vmm-core's own tests,
 * benches and `vmm-demo` — the raw monitor process and its frames, the ASan+UBSan build's path,
 * the demo. Not part of the public API (src/index.ts is): these may change in any release.
 */
export { runDemo, type DemoOptions } from './demo.js';
export { MonitorProcess, type Frame } from './monitor.js';
export { asanMonitorPath } from './native.js';
