// A handler with its own small PRNG, seeded once during init from the clock and Math.random().
// Nothing here looks like an ID, yet every clone restored from one snapshot continues the same
// stream and hands out the same "random" tokens.
let state = (Date.now() ^ Math.floor(Math.random() * 0xffffffff)) >>> 0 || 1;

function next(): number {
  // xorshift32
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
