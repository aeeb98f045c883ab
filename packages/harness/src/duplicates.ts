import type { CloneResult, TracedValue } from './restore.js';
import type { SourceSite } from './sites.js';

export type DuplicateOrigin = 'init' | 'handler' | 'restore' | 'unknown';

/** A value seen in two or more clones that should have been unique to each. */
export interface Duplicate {
  readonly value: string;
  readonly category: string;
  /** Indices of the clones that produced it. */
  readonly clones: readonly number[];
  readonly origin: DuplicateOrigin;
  readonly api?: string;
  readonly site?: SourceSite;
  /** Where it shows up in the handlers' results, e.g. "result.logStream". */
  readonly paths: readonly string[];
  readonly explanation: string;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const HEX = /^[0-9a-f]{16,}$/i;
const TOKEN = /^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9_-]{21,}$/;

/** Values that are unique by construction when they are not constants: IDs, tokens, long hex. */
export function looksUnique(value: string): boolean {
  return UUID.test(value) || HEX.test(value) || TOKEN.test(value);
}

function leaves(value: unknown, path: string, out: Array<{ path: string; value: string }>, depth = 0): void {
  if (depth > 20 || value === null || value === undefined) return;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') {
    out.push({ path, value: String(value) });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => leaves(v, `${path}[${i}]`, out, depth + 1));
  } else if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) leaves(v, `${path}.${k}`, out, depth + 1);
  }
}

function where(site: SourceSite | undefined): string {
  return site ? `${site.file}:${site.line}` : 'an unknown site';
}

/** Whether a result leaf carries a traced value (equal, or containing it as text). */
function carries(leaf: string, traced: TracedValue): boolean {
  if (leaf === traced.value) return true;
  return traced.value.length >= 8 && leaf.includes(traced.value);
}

/**
 * Compares what the clones produced. Reported:
 * - a value a traced source produced *after* restore (in a hook or the handler) that two or more
 *   clones share: it should differ per clone (the cause is usually a captured cache or PRNG);
 * - a result value two or more clones share that carries a value created during init;
 * - a result value two or more clones share that looks unique (ID, token) but has no traced origin.
 * Clock readings taken after restore are never compared: clones that agree to the millisecond are
 * not duplicates. Init clock readings that reach the results are.
 */
export function findDuplicates(clones: readonly CloneResult[], initTrace: readonly TracedValue[]): Duplicate[] {
  const found = new Map<string, Duplicate & { clones: number[]; paths: string[] }>();
  const answered = clones.filter((c) => c.status === 'ok' || c.status === 'threw');

  // 1. Values generated after restore that repeat.
  const afterRestore = new Map<string, { entry: TracedValue; clones: Set<number> }>();
  for (const clone of answered) {
    for (const entry of clone.trace) {
      if (entry.category === 'time') continue;
      const slot = afterRestore.get(entry.value) ?? { entry, clones: new Set<number>() };
      slot.clones.add(clone.index);
      afterRestore.set(entry.value, slot);
    }
  }
  const cacheFill = initTrace.find((e) => e.api.startsWith('crypto.randomUUID') && e.cached);
  for (const [value, { entry, clones: ids }] of afterRestore) {
    if (ids.size < 2) continue;
    const phaseText = entry.phase === 'restore' ? 'in an after-restore hook' : 'in the handler';
    const because =
      entry.api.startsWith('crypto.randomUUID') && entry.cached && cacheFill
        ? `, repeated because init filled Node's randomUUID entropy cache (${cacheFill.api} at ${where(cacheFill.site)})`
        : ', yet identical across clones (its generator state was captured in the snapshot)';
    found.set(value, {
      value,
      category: entry.category,
      clones: [...ids].sort((a, b) => a - b),
      origin: entry.phase === 'restore' ? 'restore' : 'handler',
      api: entry.api,
      ...(entry.site ? { site: entry.site } : {}),
      paths: [],
      explanation: `generated ${phaseText} at ${where(entry.site)} (${entry.api})${because}`,
    });
  }

  // 2 and 3. Result values that repeat.
  const byLeaf = new Map<string, { paths: Set<string>; clones: Set<number> }>();
  for (const clone of answered) {
    const out: Array<{ path: string; value: string }> = [];
    leaves(clone.result, 'result', out);
    for (const leaf of out) {
      const slot = byLeaf.get(leaf.value) ?? { paths: new Set<string>(), clones: new Set<number>() };
      slot.paths.add(leaf.path);
      slot.clones.add(clone.index);
      byLeaf.set(leaf.value, slot);
    }
  }
  for (const [leaf, slot] of byLeaf) {
    if (slot.clones.size < 2) continue;
    const ids = [...slot.clones].sort((a, b) => a - b);
    const viaAfterRestore = [...found.values()].find((d) => d.origin !== 'init' && d.origin !== 'unknown' && leaf.includes(d.value));
    if (viaAfterRestore) {
      for (const p of slot.paths) if (!viaAfterRestore.paths.includes(p)) viaAfterRestore.paths.push(p);
      continue;
    }
    const fromInit = initTrace.find((e) => carries(leaf, e));
    if (fromInit) {
      const existing = found.get(fromInit.value);
      if (existing) {
        for (const p of slot.paths) if (!existing.paths.includes(p)) existing.paths.push(p);
        continue;
      }
      found.set(fromInit.value, {
        value: fromInit.value,
        category: fromInit.category,
        clones: ids,
        origin: 'init',
        api: fromInit.api,
        ...(fromInit.site ? { site: fromInit.site } : {}),
        paths: [...slot.paths],
        explanation: `created during init at ${where(fromInit.site)} (${fromInit.api})`,
      });
    } else if (looksUnique(leaf)) {
      const initSources = [...new Set(initTrace.filter((e) => e.category !== 'time').map((e) => `${e.api} at ${where(e.site)}`))];
      found.set(leaf, {
        value: leaf,
        category: 'other',
        clones: ids,
        origin: 'unknown',
        paths: [...slot.paths],
        explanation:
          'identical across clones but not produced by a traced source' +
          (initSources.length > 0 ? `; init created unique values that may feed it: ${initSources.slice(0, 3).join(', ')}` : ''),
      });
    }
  }
  return [...found.values()].sort((a, b) => b.clones.length - a.clones.length || a.value.localeCompare(b.value));
}
