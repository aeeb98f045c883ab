import type { SourceFile } from './files.js';

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly total: number;
}

/** `2/5` → { index: 2, total: 5 }, or an error message. */
export function parseShard(text: string): Shard | string {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return `--shard must look like K/N (e.g. 2/4), got "${text}"`;
  const index = Number(m[1]);
  const total = Number(m[2]);
  if (total < 1 || index < 1 || index > total) return `--shard ${text}: K must be between 1 and N`;
  return { index, total };
}

/**
 * A unit of sharding: one TypeScript/JavaScript file, or one Java build or Python project
 * (analysed together, so never split across shards).
 */
interface Unit {
  readonly key: string;
  readonly files: SourceFile[];
  readonly weight: number;
}

function unitsOf(files: readonly SourceFile[]): Unit[] {
  const builds = new Map<string, SourceFile[]>();
  const units: Unit[] = [];
  for (const f of files) {
    if (f.language === 'java' || f.language === 'python') {
      const key = f.language === 'java' ? `java:${f.build ?? ''}` : `python:${f.base}`;
      const list = builds.get(key);
      if (list) list.push(f);
      else builds.set(key, [f]);
    } else {
      units.push({ key: f.path, files: [f], weight: f.size + 1 });
    }
  }
  for (const [key, list] of builds) units.push({ key, files: list, weight: list.reduce((n, f) => n + f.size + 1, 0) });
  return units;
}

/**
 * The files of shard `shard`: units sorted by weight (bytes), heaviest first, each given to the
 * lightest shard so far. The result depends only on relative paths and sizes, so every machine
 * of a CI matrix computes the same split from the same checkout.
 */
export function selectShard(files: readonly SourceFile[], shard: Shard): SourceFile[] {
  if (shard.total === 1) return [...files];
  const units = unitsOf(files).sort((a, b) => b.weight - a.weight || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const load = new Array<number>(shard.total).fill(0);
  const mine: SourceFile[] = [];
  for (const unit of units) {
    let target = 0;
    for (let i = 1; i < load.length; i++) if (load[i]! < load[target]!) target = i;
    load[target]! += unit.weight;
    if (target === shard.index - 1) mine.push(...unit.files);
  }
  return mine.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
