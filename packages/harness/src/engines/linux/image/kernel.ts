import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { linuxCacheRoot } from './cache.js';
import { MissingRequirementError } from './missing.js';

/** The virtio-serial driver stack, in load order (Debian builds them as modules). */
export const VIRTIO_MODULES = ['virtio_ring', 'virtio', 'virtio_pci_legacy_dev', 'virtio_pci_modern_dev', 'virtio_pci', 'virtio_console'] as const;

export interface GuestKernel {
  readonly vmlinuz: string;
  readonly version: string;
  /** Host paths of VIRTIO_MODULES, in order. */
  readonly modules: readonly string[];
}

const MODULE_DIRS: Record<string, string> = { virtio_console: 'drivers/char' };

function fromRoot(root: string): GuestKernel | undefined {
  const boot = join(root, 'boot');
  if (!existsSync(boot)) return undefined;
  // The generic flavour only: Debian's -cloud- kernels have no vmgenid driver.
  const versions = readdirSync(boot)
    .filter((f) => /^vmlinuz-.*-amd64$/.test(f) && !f.includes('-cloud-'))
    .map((f) => f.slice('vmlinuz-'.length))
    .sort((a, b) => b.localeCompare(a, undefined, { numeric: true }));
  for (const version of versions) {
    const base = join(root, 'lib/modules', version, 'kernel');
    const modules = VIRTIO_MODULES.map((m) => join(base, MODULE_DIRS[m] ?? 'drivers/virtio', `${m}.ko`));
    if (modules.every((m) => existsSync(m))) return { vmlinuz: join(boot, `vmlinuz-${version}`), version, modules };
  }
  return undefined;
}

/**
 * The guest kernel: the one setup-linux.sh unpacked into the cache (newest first), else an
 * installed generic Debian kernel in /boot with its modules in /lib/modules (`systemRoot`: "/";
 * tests point it elsewhere).
 */
export function findKernel(systemRoot = '/'): GuestKernel {
  const cached = join(linuxCacheRoot(), 'kernel');
  const roots = existsSync(cached) ? readdirSync(cached).sort().reverse().map((d) => join(cached, d)) : [];
  for (const root of [...roots, systemRoot]) {
    const k = fromRoot(root);
    if (k) return k;
  }
  throw new MissingRequirementError(
    `a generic Debian kernel with its virtio modules (none in ${cached} or /boot; the -cloud- flavour has no vmgenid)`,
    'apt-get install -y --no-install-recommends linux-image-amd64',
  );
}
