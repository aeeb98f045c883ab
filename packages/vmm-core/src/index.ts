export { accelerators, hostInfo, resolveAccelerator, type AcceleratorChoice, type AcceleratorInfo, type AcceleratorName, type HostInfo } from './accelerators.js';
export {
  AcceleratorUnavailableError,
  GuestExitError,
  GuestFaultError,
  GuestTimeoutError,
  SnapshotFormatError,
  VmmError,
  type GuestStop,
} from './errors.js';
export { snapshotField, snapshotLayout, type SnapshotField, type SnapshotLayout } from './snapshot-layout.js';
export { killAllMonitors } from './monitor.js';
export { guests, monitorPath, nativeStatus, type NativeStatus } from './native.js';
export {
  bootVm,
  MicroVm,
  ReservedVm,
  reserve,
  restore,
  restoreClones,
  snapshot,
  type BootOptions,
  type InvokeOptions,
  type InvokeResult,
  type MemoryMode,
  type RestoreOptions,
  type SnapshotInfo,
  type VmgenidMode,
  type VmMemory,
  type VmOptions,
} from './vm.js';
