#!/usr/bin/env bash
# The seed articles' walk-through with pont in place of docker. Installs what is missing, then
# runs the scenario in a throwaway sandbox (its own network, mount and pid namespaces), so the
# machine's real network is never touched and everything vanishes when the demo ends.
set -euo pipefail
# pont changes the kernel's network configuration: root, or sudo when it is there.
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 && exec sudo -- "$0" "$@"
  echo "$0: run as root (pont changes the kernel's network configuration)" >&2
  exit 1
fi
cd "$(dirname "$0")/.."
scripts/setup.sh
exec unshare --net --mount --pid --fork --mount-proc --kill-child bash -c '
  set -e
  mount --make-rprivate /
  mount -t tmpfs tmpfs /run
  mkdir -p /run/netns /run/pont /var/lib/pont /etc/netns
  mount -t tmpfs tmpfs /var/lib/pont
  mount -t tmpfs tmpfs /etc/netns
  ip link set lo up
  export PATH="$PWD/bin:$PATH"
  exec bash scripts/demo-scenario.sh'
