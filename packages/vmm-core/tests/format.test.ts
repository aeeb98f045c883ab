import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The C sources follow packages/vmm-core/.clang-format. The check needs clang-format (Debian's
// `clang-format`, installed by .ci/run); without it this suite says so in one line and skips.
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const clangFormat = spawnSync('clang-format', ['--version'], { encoding: 'utf8' });
const available = clangFormat.status === 0;
if (!available) console.log('vmm-core format check skipped: clang-format is not installed (apt-get install clang-format)');

function cSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? cSources(join(dir, e.name)) : /\.[ch]$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

describe.skipIf(!available)('C formatting', () => {
  it('every file under native/ is formatted with .clang-format', () => {
    const files = cSources(join(root, 'native'));
    expect(files.length).toBeGreaterThan(20);
    const run = spawnSync('clang-format', ['--dry-run', '-Werror', `--style=file:${join(root, '.clang-format')}`, ...files], {
      cwd: root,
      encoding: 'utf8',
    });
    const report = run.stderr.replaceAll(`${root}/`, '');
    expect(run.status, `run \`clang-format -i\` on: ${[...new Set([...report.matchAll(/^(\S+\.[ch]):\d+/gm)].map((m) => m[1]))].join(', ')}\n${report.slice(0, 2000)}`).toBe(0);
    expect(relative(root, files[0]!)).toMatch(/^native\//);
  });
});
