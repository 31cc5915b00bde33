#!/usr/bin/env bash
# The VM suite: boots a throwaway VM on Debian's stock kernel (linux-image-amd64, which has the
# ipvlan, 802.1q, dummy and vxlan link types this host's kernel may lack) and runs test/vm in it.
#
# The VM has no disk and no network device: it sees the host's root read-only over virtio-9p,
# under an overlay whose upper layer is a tmpfs (scripts/vm/init), so nothing it does reaches the
# host; its tests build their own namespaces inside it, as the integration tests do. Everything
# comes from Debian's packages: qemu-system-x86, the kernel's .deb (extracted into the cache, never
# installed) and busybox-static for the initramfs. `scripts/setup.sh --for-tests` fetches them.
#
# Prints the suite's TAP lines, then the kernel it ran on, the times, and the last line
# "N passed, N failed". Exits non-zero on any failure, including a VM that never reports.
#   PONT_VM_ACCEL=kvm|tcg   skip the KVM probe       PONT_VM_BUILD=0  dist/ is already built
#   PONT_VM_RUN='cmd'       run cmd in the VM instead of the suite (a shell: PONT_VM_RUN=bash)
#   PONT_VM_CACHE=dir       where the kernel is (/var/cache/pont-vm)
#   PONT_VM_TIMEOUT=s       the VM's whole life, 900 s by default
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 && exec sudo -- "$0" "$@"
  echo "$0: run as root (the VM reads the checkout and node through the host's root)" >&2
  exit 1
fi
cd "$(dirname "$0")/.."
repo=$PWD
cache=${PONT_VM_CACHE:-/var/cache/pont-vm}
timeout_s=${PONT_VM_TIMEOUT:-900}
die() { echo "not ok 1 - vm: $*"; echo "0 passed, 1 failed"; exit 1; }
# Only for what scripts/setup.sh cannot change; the reason is in the TAP line.
skip() { echo "ok 1 - vm: the VM suite # SKIP $*"; echo "0 passed, 0 failed, 1 skipped"; exit 0; }

[ "$(uname -m)" = x86_64 ] || skip "the VM runs this machine's own programs (node, ip...) over 9p, and they are not x86_64 ($(uname -m))"

command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 is missing: run scripts/setup.sh --for-tests"
deb=$(ls "$cache"/linux-image-*-amd64_*_amd64.deb 2>/dev/null | sort -V | tail -n 1) || true
if [ -z "$deb" ]; then
  apt-cache show linux-image-amd64 >/dev/null 2>&1 ||
    skip "apt knows no linux-image-amd64: this machine's package archive is not Debian's, whose stock kernel the VM boots"
  die "no Debian kernel package in $cache: run scripts/setup.sh --for-tests"
fi
pkg=$(dpkg-deb -f "$deb" Package)
kver=${pkg#linux-image-}
tree=$cache/$kver
modules=$tree/lib/modules/$kver

# The kernel tree: extracted once per package, with a modules.dep for busybox's modprobe.
if [ "$(cat "$tree/.from" 2>/dev/null)" != "$(basename "$deb")" ]; then
  rm -rf "$tree"
  mkdir -p "$tree"
  dpkg-deb -x "$deb" "$tree"
  busybox depmod -b "$tree" "$kver"
  basename "$deb" > "$tree/.from"
fi

# The initramfs: busybox, stage 1, and the modules that mount the 9p root (with their deps).
initrd=$tree/initramfs.gz
if [ ! -s "$initrd" ] || [ scripts/vm/init -nt "$initrd" ] || [ /usr/bin/busybox -nt "$initrd" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/bin" "$work/lib/modules/$kver"
  cp /usr/bin/busybox "$work/bin/busybox"
  cp scripts/vm/init "$work/init"
  wanted=$(grep -E '^kernel/(fs/9p/9p|net/9p/9pnet_virtio|drivers/virtio/virtio_pci|fs/overlayfs/overlay)\.ko:' "$modules/modules.dep" | tr -d ':' | tr ' ' '\n' | sort -u)
  for f in $wanted; do
    mkdir -p "$work/lib/modules/$kver/$(dirname "$f")"
    cp "$modules/$f" "$work/lib/modules/$kver/$f"
    grep "^$f:" "$modules/modules.dep"
  done > "$work/lib/modules/$kver/modules.dep"
  (cd "$work" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1) > "$initrd.new"
  mv "$initrd.new" "$initrd"
  rm -rf "$work"
  trap - EXIT
fi

[ "${PONT_VM_BUILD:-1}" = 0 ] || npm run --silent build

qemu_base=(qemu-system-x86_64 -m 2048 -smp 2 -nodefaults -no-reboot -nic none -display none -monitor none
  -serial stdio -kernel "$tree/boot/vmlinuz-$kver" -initrd "$initrd")
cmdline="console=ttyS0 quiet loglevel=3 panic=-1"

# KVM when it really runs a guest: /dev/kvm can exist and still hang or abort in a nested setup,
# so a probe boots to the initramfs; its verdict is kept per host kernel and qemu version.
choose_accel() {
  if [ -n "${PONT_VM_ACCEL:-}" ]; then echo "$PONT_VM_ACCEL"; return; fi
  [ -r /dev/kvm ] && [ -w /dev/kvm ] || { echo tcg; return; }
  local key verdict out
  key="$(uname -r) $(qemu-system-x86_64 --version | head -n 1)"
  if [ -f "$cache/kvm-probe" ] && [ "$(head -n 1 "$cache/kvm-probe")" = "$key" ]; then
    tail -n 1 "$cache/kvm-probe"
    return
  fi
  verdict=tcg
  out=$(timeout 20 "${qemu_base[@]}" -accel kvm -cpu host -append "$cmdline PONT_VM_PROBE=1" 2>/dev/null </dev/null) || true
  [[ $out == *"pont-vm: probe ok"* ]] && verdict=kvm
  printf '%s\n%s\n' "$key" "$verdict" > "$cache/kvm-probe"
  echo "$verdict"
}
accel=$(choose_accel)
if [ "$accel" = kvm ]; then cpu=(-accel kvm -cpu host); else cpu=(-accel tcg -cpu max); fi

# PONT_VM_* on the kernel command line reach stage 1 and 2 as environment variables.
cmdline+=" PONT_VM_STAGE2=$repo/scripts/vm/stage2.sh PONT_VM_MODULES=$modules"
if [ -n "${PONT_VM_RUN:-}" ]; then
  # interactive or one-off, the console being this terminal; the command reaches the VM as a file
  # of the shared root (the kernel command line cannot carry quotes)
  run=$(mktemp "$cache/run.XXXXXX")
  printf '%s\n' "$PONT_VM_RUN" > "$run"
  status=0
  "${qemu_base[@]}" "${cpu[@]}" -virtfs "local,path=/,mount_tag=root,security_model=none,readonly=on,multidevs=remap" \
    -append "$cmdline PONT_VM_RUN_FILE=$run" || status=$?
  rm -f "$run"
  exit "$status"
fi

secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
echo "# vm: booting $pkg ($(dpkg-deb -f "$deb" Version)) with $accel"
fifo=$(mktemp -u)
mkfifo "$fifo"
start=$EPOCHREALTIME
timeout "$timeout_s" "${qemu_base[@]}" "${cpu[@]}" \
  -virtfs "local,path=/,mount_tag=root,security_model=none,readonly=on,multidevs=remap" \
  -append "$cmdline" >"$fifo" 2>&1 </dev/null &
qemu=$!
# the VM goes with this script, however it ends
trap 'kill "$qemu" 2>/dev/null || true; rm -f "$fifo"' EXIT
booted=
finished=
kernel=
vm_exit=
passed=0
failed=0
skipped=0
planned=
last=$start
while IFS= read -r line; do
  line=${line%$'\r'}
  case "$line" in
    "pont-vm: kernel "*) kernel=${line#pont-vm: kernel }; booted=$EPOCHREALTIME; last=$booted; echo "# vm: running on kernel $kernel" ;;
    "pont-vm: exit "*) vm_exit=${line#pont-vm: exit }; finished=$EPOCHREALTIME ;;
    "pont-vm: "*) echo "# $line" ;;
    "["*"] "*) echo "# kernel: $line" ;; # the kernel's own console lines (power off, errors)
    *)
      echo "$line"
      if [[ $line =~ ^(not\ ok|ok)\ [0-9]+\ -\ (.*)$ ]]; then
        result=${BASH_REMATCH[1]}
        title=${BASH_REMATCH[2]}
        if [[ $title =~ \#\ (SKIP|TODO) ]]; then
          skipped=$((skipped + 1))
        elif [ "$result" = ok ]; then
          passed=$((passed + 1))
        else
          failed=$((failed + 1))
        fi
        now=$EPOCHREALTIME
        echo "# vm: $(secs "$last" "$now") s"
        last=$now
      elif [[ $line =~ ^1\.\.([0-9]+)$ ]]; then
        planned=${BASH_REMATCH[1]}
      fi
      ;;
  esac
done <"$fifo"
wait "$qemu" || echo "# vm: qemu ended with status $? (124: timed out after $timeout_s s)"
end=$EPOCHREALTIME

problem=
if [ -z "$booted" ]; then problem="the VM never reached stage 2 (boot failed)"
elif [ -z "$finished" ]; then problem="the VM stopped before the suite ended"
elif [ "$vm_exit" != 0 ]; then problem="the suite exited with status $vm_exit"
elif [ -z "$planned" ] || [ "$planned" != $((passed + failed + skipped)) ]; then problem="the suite reported ${planned:-no} planned tests, $((passed + failed + skipped)) results"
elif [ "$skipped" != 0 ]; then problem="$skipped test(s) skipped: on the stock kernel none may be"
fi
if [ -n "$problem" ] && [ "$failed" = 0 ]; then
  echo "not ok $((passed + failed + skipped + 1)) - vm: $problem"
  failed=1
fi
echo "# vm: kernel ${kernel:-unknown} ($accel); boot $([ -n "$booted" ] && secs "$start" "$booted" || echo '?') s, suite $([ -n "$finished" ] && secs "$booted" "$finished" || echo '?') s, total $(secs "$start" "$end") s"
echo "$passed passed, $failed failed$([ "$skipped" != 0 ] && echo ", $skipped skipped")"
[ "$failed" = 0 ]
