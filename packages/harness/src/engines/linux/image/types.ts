/** What goes into a guest image (an initramfs for a stock Debian kernel) and what comes out. */

/** A host file or directory copied into the guest at `guest` (an absolute guest path). */
export interface GuestTree {
  readonly host: string;
  readonly guest: string;
  /**
   * Path segments (file or directory names, matched anywhere below `host`) left out, e.g.
   * `['test', '__pycache__']`.
   */
  readonly exclude?: readonly string[];
}

export interface GuestImageSpec {
  /** A short label for the progress line and the cache folder (e.g. `java-handler`). */
  readonly name: string;
  /** Runtime, function artifact, RIC: everything the command needs, host path → guest path. */
  readonly trees: readonly GuestTree[];
  /**
   * Host ELF files whose shared libraries (as `ldd` lists them) are copied to the same paths in
   * the guest; e.g. the JRE's `bin/java` and `lib/server/libjvm.so`, `/usr/bin/python3.11`.
   */
  readonly elves?: readonly string[];
  /** Libraries loaded with dlopen that `ldd` cannot see, by soname (e.g. `librt.so.1`). */
  readonly extraLibraries?: readonly string[];
  /** argv of the process the guest runs (argv[0]: an absolute guest path). */
  readonly command: readonly string[];
  /** Its environment (per-boot additions are given to `LinuxVm.boot`, not here). */
  readonly env: Readonly<Record<string, string>>;
  /** Its working directory in the guest. */
  readonly cwd: string;
}

/** A built image: what `LinuxVm.boot` needs. */
export interface GuestImage {
  /** The kernel (bzImage) to boot. */
  readonly kernel: string;
  /** The newc initramfs (kernel modules, busybox, /init, relay, runtime, function). */
  readonly initrd: string;
  /** Content hash of every input: names the cache folder. */
  readonly hash: string;
  readonly cacheDir: string;
  /** Uncompressed size of the initramfs in bytes (the guest needs at least this much RAM, twice during unpacking). */
  readonly bytes: number;
}
