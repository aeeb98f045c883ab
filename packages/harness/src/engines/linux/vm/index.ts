export type { BootOptions, GuestLog, GuestVm, LinuxAccel, RestoreOptions, SnapshotInfo, VmgenidMode, VmHandlers } from './types.js';
export { LinuxVm, removeSnapshot, type RestoreTimings } from './qemu.js';
export { GuestStream } from './channel.js';
export { chooseAccel } from './accel.js';
