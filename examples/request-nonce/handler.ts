// Two per-request random values, both made inside the handler, so no linter can blame init:
// a nonce from the platform RNG (Web Crypto) and a sampling draw from Math.random().
//
// In a microVM restored from a snapshot (`--engine microvm`), the platform repairs one of them:
// the guest RNG reseeds on the new vmgenid, so the nonce is unique per clone, while the
// JavaScript engine's Math.random state came from the snapshot and repeats. Restore with
// `--vmgenid same` (a kernel without vmgenid) and the nonce repeats too. Node's own snapshots
// (`--engine node`) reseed Math.random on restore: there, both are unique.
export async function handler() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const nonce = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return { nonce, sample: Math.random() };
}
