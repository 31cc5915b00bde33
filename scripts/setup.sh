#!/usr/bin/env bash
# Installs what pont needs on a Debian/Ubuntu machine that has Node >= 20, then builds it.
#   scripts/setup.sh              runtime tools (iproute2, iptables, ...), npm packages, build
#   scripts/setup.sh --for-tests  also what the test suite uses (dig, busybox, vagrant, docker.io,
#                                 podman (a CNI runtime for pont's CNI plugin), etcd, chromium (renders
#                                 `network graph`'s SVG in the graph test), qemu and Debian's
#                                 stock kernel for the VM suite, scripts/vm-test.sh)
# Either way pont's CNI plugin is installed as /usr/lib/cni/pont (a CNI runtime runs it by that name).
# Only missing packages are installed; apt-get update runs at most once, and only if needed.
set -euo pipefail
cd "$(dirname "$0")/.."

for_tests=0
[ "${1:-}" = "--for-tests" ] && for_tests=1

if [ "$(id -u)" -ne 0 ]; then
  echo "setup: run as root (pont changes the kernel's network configuration): sudo $0 $*" >&2
  exit 1
fi

# command → Debian package that provides it
declare -A need=(
  [ip]=iproute2 [iptables]=iptables [iptables-restore]=iptables [unshare]=util-linux
  [nsenter]=util-linux [nft]=nftables [ping]=iputils-ping [ps]=procps [setsid]=util-linux [busybox]=busybox-static
)
if [ "$for_tests" = 1 ]; then
  need+=([dig]=dnsutils [curl]=curl [ss]=iproute2 [vagrant]=vagrant [dockerd]=docker.io [iperf3]=iperf3 [socat]=socat
    [qemu-system-x86_64]=qemu-system-x86 [etcd]=etcd-server [etcdctl]=etcd-client [tcpdump]=tcpdump
    [podman]=podman [crun]=crun [conmon]=conmon [chromium]=chromium [docker-compose]=docker-compose)
fi
missing=()
for cmd in "${!need[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || [ -x "/usr/sbin/$cmd" ] || [ -x "/sbin/$cmd" ] || missing+=("${need[$cmd]}")
done
# docker-py (Debian's, for /usr/bin/python3), a client of pont's Docker API in tests: a module, not a command
if [ "$for_tests" = 1 ] && ! /usr/bin/python3 -c 'import docker' 2>/dev/null; then missing+=(python3-docker); fi
# netavark and aardvark-dns, Podman's network stack, which bench/ measures pont beside: not on PATH
if [ "$for_tests" = 1 ] && [ ! -x /usr/lib/podman/netavark ]; then missing+=(netavark aardvark-dns); fi
# Debian's reference CNI plugins (bridge, host-local, portmap…) are not on PATH: looked for where they live
[ "$for_tests" = 1 ] && [ ! -x /usr/lib/cni/bridge ] && missing+=(containernetworking-plugins)
if [ "${#missing[@]}" -gt 0 ]; then
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # docker.io is only the parity suite's reference engine, run privately inside a sandbox: its
  # service must not start on the host (it would add docker0 and rules to the real firewall), so
  # service starts are denied during the install unless a policy already says otherwise. The same
  # holds for etcd-server (the cluster tests start their own etcd inside each sandbox) and podman
  # (the CNI plugin's tests run it inside a sandbox, with its storage there).
  guard=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && guard=1
  fi
  status=0
  updated=1
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; } || status=$?
  [ "$guard" = 1 ] && rm -f /usr/sbin/policy-rc.d
  [ "$status" = 0 ] || exit "$status"
  if printf '%s\n' "${missing[@]}" | grep -qx docker.io && [ -d /run/systemd/system ]; then
    systemctl disable docker.service docker.socket >/dev/null 2>&1 || true
  fi
  # etcd-server is the overlay tests' cluster store, started inside a sandbox: no service on the host
  if printf '%s\n' "${missing[@]}" | grep -qx etcd-server && [ -d /run/systemd/system ]; then
    systemctl disable --now etcd.service >/dev/null 2>&1 || true
  fi
  if printf '%s\n' "${missing[@]}" | grep -qx podman && [ -d /run/systemd/system ]; then
    systemctl disable --now podman.socket podman.service podman-restart.service podman-auto-update.timer >/dev/null 2>&1 || true
  fi
fi

# The VM suite's kernel: Debian's stock one (the package linux-image-amd64 depends on), fetched as
# a .deb that scripts/vm-test.sh extracts into the same cache; it is never installed here.
vm_cache=${PONT_VM_CACHE:-/var/cache/pont-vm}
if [ "$for_tests" = 1 ] && [ "$(dpkg --print-architecture)" = amd64 ] &&
  ! ls "$vm_cache"/linux-image-*-amd64_*_amd64.deb >/dev/null 2>&1; then
  kernel_pkg() { apt-cache depends linux-image-amd64 2>/dev/null | awk '$1 == "Depends:" && $2 ~ /^linux-image-/ { print $2; exit }'; }
  pkg=$(kernel_pkg)
  if [ -z "$pkg" ] && [ "${updated:-0}" = 0 ]; then apt-get update -qq; pkg=$(kernel_pkg); fi
  if [ -n "$pkg" ]; then
    echo "setup: fetching $pkg into $vm_cache for the VM suite"
    mkdir -p "$vm_cache"
    (cd "$vm_cache" && apt-get download -qq -o APT::Sandbox::User=root "$pkg")
  else
    # not a Debian archive (Ubuntu names its kernels otherwise): scripts/vm-test.sh says so and skips
    echo "setup: apt knows no linux-image-amd64 (Debian's kernel): the VM suite will be skipped" >&2
  fi
fi

# 20.16: process.getBuiltinModule, which loads a built-in without require or node:module (start-up)
if ! command -v node >/dev/null 2>&1 || ! node -e 'process.exit(typeof process.getBuiltinModule === "function" ? 0 : 1)'; then
  echo "setup: pont needs Node.js 20.16+ or 22.3+ (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi

# a container's process starts under `env -i --default-signal=INT,QUIT` (core/steps.ts), and bin/pont's
# shebang is `env -S -u …`: GNU coreutils 8.31 or newer (Debian 11, Ubuntu 22.04)
if ! env -i --default-signal=INT,QUIT -- true 2>/dev/null || ! env -S -u PONT_SETUP_PROBE true 2>/dev/null; then
  echo "setup: pont needs GNU coreutils 8.31 or newer for env --default-signal and env -S (found: $(env --version 2>/dev/null | head -1 || echo unknown))" >&2
  exit 1
fi

if [ ! -d node_modules ] || [ package.json -nt node_modules ] || [ package-lock.json -nt node_modules ]; then
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules
fi
npm run --silent build

# pont's CNI plugin where runtimes look for plugins (CNI_PATH, Podman's cni_plugin_dirs): a wrapper
# that runs this checkout's bin/pont-cni with this node, whatever the runtime's PATH and cwd;
# without NODE_EXTRA_CA_CERTS, which Node 20 would parse at every start (see bin/pont)
cni_dir=/usr/lib/cni
mkdir -p "$cni_dir"
printf '#!/bin/sh\n# pont CNI plugin (installed by %s)\nNODE_EXTRA_CA_CERTS= exec "%s" -- "%s" "$@"\n' "$PWD/scripts/setup.sh" "$(command -v node)" "$PWD/bin/pont-cni" > "$cni_dir/pont.tmp"
chmod 755 "$cni_dir/pont.tmp" && mv "$cni_dir/pont.tmp" "$cni_dir/pont"
