export type { GuestImage, GuestImageSpec, GuestTree } from './types.js';
export { buildGuestImage } from './build.js';
export { linuxCacheRoot } from './cache.js';
export { findKernel } from './kernel.js';
export { MissingRequirementError, requireQemu } from './missing.js';
