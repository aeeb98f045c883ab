/**
 * Reports never print a secret of the host. Instances do not get the host's environment
 * (containment/environment.ts), but a function can still read a secret some other way (a
 * credentials file, a config file of the host) and send it in a request header or log it: every
 * value of a secret-looking host variable that appears anywhere in a run is replaced by
 * `[redacted: host NAME]` before the run is returned or printed (text and `--json`).
 */

/** Host variables whose values are secrets: AWS credentials, and anything named like a token, key or password. */
const SECRET_NAME = /^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|SECURITY_TOKEN|CONTAINER_AUTHORIZATION_TOKEN)$|TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|PRIVATE_?KEY|API_?KEY|ACCESS_?KEY|AUTH|COOKIE|SESSION/i;
/** Shorter values would redact ordinary words and numbers. */
const MIN_SECRET_LENGTH = 8;

export interface HostSecret {
  readonly name: string;
  readonly value: string;
}

/** The secret values of an environment (the host's by default), longest first. */
export function hostSecrets(env: NodeJS.ProcessEnv = process.env): HostSecret[] {
  const out: HostSecret[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value.length < MIN_SECRET_LENGTH || !SECRET_NAME.test(name)) continue;
    out.push({ name, value });
  }
  return out.sort((a, b) => b.value.length - a.value.length);
}

export function redactText(text: string, secrets: readonly HostSecret[]): string {
  let out = text;
  for (const s of secrets) if (out.includes(s.value)) out = out.split(s.value).join(`[redacted: host ${s.name}]`);
  return out;
}

/** A deep copy of `value` with every secret replaced, in strings and in object keys. */
export function redactDeep<T>(value: T, secrets: readonly HostSecret[] = hostSecrets()): T {
  if (secrets.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactText(v, secrets);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, inner] of Object.entries(v)) out[redactText(k, secrets)] = walk(inner);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}
