// Fixed: the PRNG is reseeded from the platform's RNG after every restore (and at init for cold
// starts), so each clone gets its own stream.
import { randomBytes } from 'node:crypto';
import { registerAfterRestore } from '@snapstart/runtime-hooks';

let state = 1;
function reseed(): void {
  state = randomBytes(4).readUInt32LE(0) || 1;
}
reseed();
registerAfterRestore(reseed);

function next(): number {
  state ^= state << 13;
  state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5;
  state >>>= 0;
  return state;
}

export async function handler() {
  return { token: next().toString(16).padStart(8, '0') };
}
