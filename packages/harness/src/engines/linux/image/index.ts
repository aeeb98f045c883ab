export type { GuestImage, GuestImageSpec, GuestTree } from './types.js';
