#!/bin/bash
# Stage 2 of the test VM, pid 1 on the overlay of the host's root: finishes the system (the
# kernel's modules, private run directories), runs the VM suite and powers the VM off. Its
# output goes to the serial console, which scripts/vm-test.sh reads.
set -u
cd "$(dirname "$0")/../.."
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 FORCE_COLOR=0
# a moment for the serial line to carry the last lines out, then a synchronous power-off
off() { sleep 1; busybox poweroff -f; }
trap off EXIT
# kernel messages would cut into the suite's lines on the console; errors are listed at the end
echo 1 > /proc/sys/kernel/printk
mount -t tmpfs -o mode=755 tmpfs /run
# /tmp stays the overlay's (writable already): a tmpfs would hide a checkout under /tmp, where
# CI may clone the project
mkdir -p /run/netns /run/pont /var/lib/pont /etc/netns
# The kernel's modules are those of the extracted package; the kernel loads them on demand
# (ipvlan, 8021q, dummy, nf_tables...) through busybox's modprobe.
kver=$(uname -r)
mkdir -p /lib/modules && ln -sfn "$PONT_VM_MODULES" "/lib/modules/$kver"
ln -sf /usr/bin/busybox /usr/sbin/modprobe
echo /usr/sbin/modprobe > /proc/sys/kernel/modprobe
ip link set lo up
echo "pont-vm: kernel $kver"
if [ -n "${PONT_VM_RUN_FILE:-}" ]; then
  bash "$PONT_VM_RUN_FILE"
else
  node node_modules/ava/entrypoints/cli.mjs --config scripts/vm/ava.config.mjs --tap 2>&1
fi
status=$?
dmesg --level=emerg,alert,crit,err 2>/dev/null | sed 's/^/# dmesg: /'
echo "pont-vm: exit $status"
