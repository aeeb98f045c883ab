export type { BootOptions, GuestLog, GuestVm, LinuxAccel, RestoreOptions, SnapshotInfo, VmgenidMode, VmHandlers } from './types.js';
