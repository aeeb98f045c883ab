// A heavy init that leaves almost nothing in the heap: the data key is derived from a configured
// passphrase with scrypt (deliberately expensive: ~0.3 s of CPU or more), leaving 32 bytes of state.
// Compare with handler.ts, whose init leaves a large object graph (the TypeScript compiler) that
// costs more to deserialize than it saves.
import { createHmac, scryptSync } from 'node:crypto';

const passphrase = process.env.DATA_KEY_PASSPHRASE ?? 'correct horse battery staple';
// A fixed salt: the same key everywhere is intended (it is configuration, not a unique value).
const dataKey = scryptSync(passphrase, 'snapstart-example-salt', 32, { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 });

interface SignEvent {
  payload?: string;
}

export async function handler(event: SignEvent) {
  const payload = event.payload ?? 'hello';
  return { payload, mac: createHmac('sha256', dataKey).update(payload).digest('hex') };
}
