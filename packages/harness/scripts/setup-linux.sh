#!/bin/sh
# Installs what the harness's `linux` engine needs on a Debian 12/13 host (run as root, or with
# sudo available):
#   qemu-system-x86 (QEMU), busybox-static (the guest's shell and tools), musl-tools (builds the
#   in-guest relay), and a generic Debian kernel unpacked into the snapstart cache.
# The kernel is fetched with `apt-get download` and unpacked with `dpkg-deb` (only vmlinuz and the
# six virtio modules the guest loads): no kernel is installed on the host, nothing needs a reboot,
# and it works in containers. It must be the generic flavour: Debian's -cloud- kernels have no
# vmgenid driver.
# Cache: $SNAPSTART_CACHE_DIR, default ~/.cache/snapstart/linux.
set -eu

CACHE="${SNAPSTART_CACHE_DIR:-$HOME/.cache/snapstart/linux}"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

need=""
command -v qemu-system-x86_64 >/dev/null 2>&1 || need="$need qemu-system-x86"
command -v musl-gcc >/dev/null 2>&1 || need="$need musl-tools"
if ! ldd /bin/busybox 2>&1 | grep -q 'not a dynamic executable'; then need="$need busybox-static"; fi
if [ -n "$need" ]; then
  echo "setup-linux: installing$need" >&2
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need >/dev/null
fi

# The generic kernel package the metapackage currently names (e.g. linux-image-6.1.0-57-amd64).
pkg="$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -n1)"
if [ -z "$pkg" ]; then
  echo "setup-linux: apt knows no linux-image-amd64 (run apt-get update?)" >&2
  exit 1
fi
version="${pkg#linux-image-}"
dest="$CACHE/kernel/$version"
if [ -f "$dest/boot/vmlinuz-$version" ] && [ -f "$dest/lib/modules/$version/kernel/drivers/char/virtio_console.ko" ]; then
  echo "setup-linux: kernel $version already in $dest" >&2
else
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  echo "setup-linux: fetching $pkg into $dest" >&2
  # apt's sandbox user may not write to $work: download as the current user.
  (cd "$work" && apt-get download -q -o APT::Sandbox::User="$(id -un)" "$pkg" >/dev/null)
  mkdir -p "$dest.tmp"
  dpkg-deb --fsys-tarfile "$work"/"$pkg"_*.deb | tar -x -C "$dest.tmp" --wildcards \
    "./boot/vmlinuz-$version" "./boot/config-$version" \
    "./lib/modules/$version/kernel/drivers/virtio/*" \
    "./lib/modules/$version/kernel/drivers/char/virtio_console.ko"
  grep -q '^CONFIG_VMGENID=y' "$dest.tmp/boot/config-$version" || { echo "setup-linux: $pkg has no CONFIG_VMGENID" >&2; exit 1; }
  rm -rf "$dest"
  mv "$dest.tmp" "$dest"
  echo "setup-linux: kernel $version ready" >&2
fi

# ---------------------------------------------------------------------------------------------
# The Lambda runtime interface clients (AWS's own), into $CACHE/ric/<runtime>: the engine copies
# them into the guest image; nothing is downloaded at run time.
#   java:   aws-lambda-java-runtime-interface-client 2.10.1, aws-lambda-java-core 1.4.0,
#           org-crac 0.1.3 and their runtime dependencies (Maven Central, via mvn)
#   python: awslambdaric 4.2.2 + snapshot-restore-py 1.0.0, cp311 manylinux wheels for the guest's
#           CPython (Debian's /usr/bin/python3.11)
#   node:   aws-lambda-ric (only with --node: it compiles native code, ~2.5 min)
# A runtime whose tool is missing (no mvn, no python3.11) is skipped with one line.
# ---------------------------------------------------------------------------------------------
RIC="$CACHE/ric"
if command -v mvn >/dev/null 2>&1; then
  if ls "$RIC/java"/aws-lambda-java-runtime-interface-client-2.10.1.jar "$RIC/java"/org-crac-0.1.3.jar >/dev/null 2>&1; then
    echo "setup-linux: java RIC already in $RIC/java" >&2
  else
    pom="$(mktemp -d)"
    cat > "$pom/pom.xml" <<'POM'
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>snapstart</groupId><artifactId>linux-ric</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>com.amazonaws</groupId><artifactId>aws-lambda-java-runtime-interface-client</artifactId><version>2.10.1</version></dependency>
    <dependency><groupId>com.amazonaws</groupId><artifactId>aws-lambda-java-core</artifactId><version>1.4.0</version></dependency>
    <dependency><groupId>io.github.crac</groupId><artifactId>org-crac</artifactId><version>0.1.3</version></dependency>
  </dependencies>
</project>
POM
    echo "setup-linux: fetching the java RIC into $RIC/java" >&2
    rm -rf "$RIC/java.tmp"
    (cd "$pom" && mvn -q -B dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$RIC/java.tmp")
    rm -rf "$pom" "$RIC/java"
    mv "$RIC/java.tmp" "$RIC/java"
  fi
else
  echo "setup-linux: no mvn: java functions need it once (apt-get install maven)" >&2
fi

if [ -x /usr/bin/python3.11 ]; then
  if [ -f "$RIC/python/awslambdaric/bootstrap.py" ] && [ -f "$RIC/python/snapshot_restore_py.py" ]; then
    echo "setup-linux: python RIC already in $RIC/python" >&2
  else
    echo "setup-linux: fetching the python RIC into $RIC/python" >&2
    rm -rf "$RIC/python.tmp"
    if /usr/bin/python3.11 -m pip --version >/dev/null 2>&1; then
      /usr/bin/python3.11 -m pip install -q --disable-pip-version-check --root-user-action=ignore --target "$RIC/python.tmp" awslambdaric==4.2.2 snapshot-restore-py==1.0.0
    else
      # No pip for Debian's python: fetch the cp311 wheels with any pip and unpack them.
      wheels="$(mktemp -d)"
      python3 -m pip download -q --dest "$wheels" --only-binary=:all: --python-version 3.11 --implementation cp --platform manylinux2014_x86_64 awslambdaric==4.2.2 snapshot-restore-py==1.0.0
      mkdir -p "$RIC/python.tmp"
      for w in "$wheels"/*.whl; do python3 -m zipfile -e "$w" "$RIC/python.tmp"; done
      rm -rf "$wheels"
    fi
    rm -rf "$RIC/python"
    mv "$RIC/python.tmp" "$RIC/python"
  fi
  # Byte-compiled here (idempotent): the guest never writes .pyc files, and compiling the RIC at
  # every boot costs seconds under TCG.
  /usr/bin/python3.11 -m compileall -q "$RIC/python" >/dev/null
else
  echo "setup-linux: no /usr/bin/python3.11: python functions need it (apt-get install python3.11)" >&2
fi

if [ "${1:-}" = "--node" ]; then
  if [ -f "$RIC/node/node_modules/aws-lambda-ric/package.json" ]; then
    echo "setup-linux: node RIC already in $RIC/node" >&2
  else
    echo "setup-linux: building the node RIC into $RIC/node (compiles native code: ~2.5 min)" >&2
    mkdir -p "$RIC/node"
    (cd "$RIC/node" && npm install --no-audit --no-fund --no-save aws-lambda-ric@4.0.2 >/dev/null)
  fi
fi
