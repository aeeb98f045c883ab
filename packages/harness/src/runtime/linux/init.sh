#!/bin/busybox sh
# /init of the snapstart linux guest: mount what a runtime expects, load the virtio-serial driver
# (the Debian kernel has it as modules), bring up loopback (the relay listens on 127.0.0.1:9001),
# then hand pid 1 to the relay, which starts the image's command when the host says so.
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
/bin/busybox mkdir -p /dev/pts /dev/shm /tmp
/bin/busybox mount -t devpts devpts /dev/pts
/bin/busybox mount -t tmpfs -o mode=1777 tmpfs /dev/shm
/bin/busybox chmod 1777 /tmp
for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_console; do
  /bin/busybox insmod /snapstart/modules/$m.ko || echo "snapstart init: insmod $m failed" >/dev/ttyS0
done
/bin/busybox ip link set lo up
exec /snapstart/relay /snapstart/argv /snapstart/env /snapstart/cwd
