// Memory of a process as the kernel accounts it (/proc/<pid>/smaps_rollup), for the benchmarks
// that measure what one VM clone costs (linux, linux-engine): Pss splits pages shared between
// clones (the snapshot's RAM file mapped privately, QEMU's binary) among them; Private_* is what
// the clone alone holds.
import { readFileSync, readdirSync } from 'node:fs';

/** Rss, Pss and private bytes (clean + dirty) of a live process. */
export function processMemory(pid) {
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0) * 1024;
  return { rss: kb('Rss'), pss: kb('Pss'), priv: kb('Private_Clean') + kb('Private_Dirty') };
}

/** Ids of this process's live children whose command name starts with `prefix` (e.g. `qemu-system`). */
export function childPids(prefix) {
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so split after its last ')'.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const ppid = Number(stat.slice(close + 2).split(' ')[1]);
    if (ppid === process.pid && comm.startsWith(prefix)) out.push(Number(name));
  }
  return out;
}
