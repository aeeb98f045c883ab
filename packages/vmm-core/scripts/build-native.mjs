// Builds vmm-core's native parts from source: the monitor (C + Debian's libunicorn-dev), its
// ASan+UBSan twin for the test suite, and the guest images (musl-gcc, static, no syscalls).
// Runs at `npm ci` (the package's install script) and before `npm test`; make rebuilds only
// what changed. When a build dependency is missing it explains exactly what to install and
// exits 0, so the JavaScript packages still install; vmm-core then reports the same reason at
// run time (nativeStatus(), AcceleratorUnavailableError).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = join(root, 'build');
const statusFile = join(buildDir, 'status.json');

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

const requirements = [
  { what: 'a C compiler (cc)', ok: () => onPath('cc'), pkg: 'gcc' },
  { what: 'make', ok: () => onPath('make'), pkg: 'make' },
  { what: 'musl-gcc', ok: () => onPath('musl-gcc'), pkg: 'musl-tools' },
  { what: "musl's static libc", ok: () => existsSync('/usr/lib/x86_64-linux-musl/libc.a'), pkg: 'musl-dev' },
  { what: 'Unicorn (headers and library)', ok: () => existsSync('/usr/include/unicorn/unicorn.h'), pkg: 'libunicorn-dev' },
  { what: "Duktape's sources", ok: () => existsSync('/usr/share/duktape/duktape.c'), pkg: 'duktape-dev' },
];

mkdirSync(buildDir, { recursive: true });
if (process.platform !== 'linux' || process.arch !== 'x64') {
  const reason = `vmm-core runs on Linux x86-64 only (this is ${process.platform}/${process.arch})`;
  writeFileSync(statusFile, JSON.stringify({ built: false, reason }, null, 2));
  console.log(`vmm-core: not built: ${reason}`);
  process.exit(0);
}
const missing = requirements.filter((r) => !r.ok());
if (missing.length > 0) {
  const packages = [...new Set(missing.map((m) => m.pkg))];
  const install = `apt-get update && apt-get install -y ${packages.join(' ')}`;
  const reason = `missing ${missing.map((m) => m.what).join(', ')}; install them with: ${install}`;
  writeFileSync(statusFile, JSON.stringify({ built: false, reason, packages }, null, 2));
  console.log(`vmm-core: native parts not built: ${reason}`);
  process.exit(0);
}
try {
  execFileSync('make', ['-s', '-C', join(root, 'native'), `-j${Math.max(2, (await import('node:os')).availableParallelism())}`, 'all', 'asan'], {
    stdio: 'inherit',
  });
} catch {
  writeFileSync(statusFile, JSON.stringify({ built: false, reason: 'the native build failed (see the compiler output above)' }, null, 2));
  console.error('vmm-core: the native build failed');
  process.exit(1);
}
writeFileSync(statusFile, JSON.stringify({ built: true }, null, 2));
