#!/usr/bin/env bash
# A multi-host world for the overlay demo, built as test/helpers/cluster-world.ts builds it, left
# running until --down. Everything lives in one throwaway sandbox (its own network, mount and pid
# namespaces), so the machine's real network is never touched:
#
#   sandbox = the underlay: bridge ul0 10.99.0.254/24 (the hosts' router), etcd on :2379
#     ├─ ul-h1 ══ veth ══ eth0 10.99.0.11/24   host h1: own net + mount + pid namespaces, private
#     ├─ ul-h2 ══ veth ══ eth0 10.99.0.12/24   /run, /var/lib/pont, /etc/netns, /etc/pont whose
#     └─ ...                                   config.json names the cluster store
#
#   scripts/overlay-world.sh [--hosts N] [--firewall iptables|nftables] [--ttl SECONDS]
#   scripts/overlay-world.sh --enter h1|underlay [COMMAND...]   a shell (or COMMAND) in it
#   scripts/overlay-world.sh --down                              ends the world and all in it
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 && exec sudo -- "$0" "$@"
  echo "$0: run as root (the world is made of network namespaces)" >&2
  exit 1
fi
REPO=$(cd "$(dirname "$0")/.." && pwd)
STATE=${PONT_WORLD_DIR:-/run/pont-overlay-world}
ETCD=10.99.0.254:2379

die() { echo "overlay-world: $*" >&2; exit 1; }

# A namespace init: the host's private mounts, lo up, then a shell that blocks forever (and, as
# pid 1, reaps the orphans of what runs in it). $1: extra setup run before blocking.
init_script() {
  cat <<EOF
set -e
mount --make-rprivate /
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/netns /run/pont
mount -t tmpfs -o mode=700 tmpfs /var/lib/pont
mount -t tmpfs -o mode=755 tmpfs /etc/netns
mount -t tmpfs -o mode=755 tmpfs /etc/pont
ip link set lo up
$1
echo READY
mkfifo /run/init.fifo
exec 3<>/run/init.fifo
read -r _ <&3
EOF
}

# The first process below $1 (following only children) that is pid 1 of its own pid namespace.
find_init() {
  local p=$1 fields
  while [ -n "$p" ] && [ -e "/proc/$p" ]; do
    read -r -a fields < <(awk '/^NSpid:/ { $1 = ""; print }' "/proc/$p/status")
    if [ "${#fields[@]}" -gt 1 ] && [ "${fields[-1]}" = 1 ]; then echo "$p"; return 0; fi
    p=$(cut -d' ' -f1 "/proc/$p/task/$p/children")
  done
  return 1
}

# Waits for READY in log $1, then prints the init below process $2.
await_init() {
  for _ in $(seq 300); do
    if grep -q READY "$1" 2>/dev/null; then find_init "$2" && return 0; fi
    grep -q '^State:[[:space:]]*[^Z]' "/proc/$2/status" 2>/dev/null || break
    sleep 0.1
  done
  die "$(basename "$1" .log) did not start: $(tail -5 "$1" 2>/dev/null)"
}

pidns() { readlink "/proc/$1/ns/pid" 2>/dev/null || true; }

# "NAME PID PIDNS ADDRESS" of a running world member; fails when there is none or it has ended
running() {
  local line
  line=$(awk -v n="$1" '$1 == n' "$STATE/world" 2>/dev/null) || true
  [ -n "$line" ] || return 1
  set -- $line
  [ "$(pidns "$2")" = "$3" ] && echo "$line"
}

down() {
  [ -e "$STATE/world" ] || { echo "overlay-world: no world running"; return 0; }
  local name pid ns _
  read -r name pid ns _ < <(awk '$1 == "underlay"' "$STATE/world")
  # pid 1 of the sandbox's pid namespace: killing it ends every process of the world (the hosts'
  # namespaces are nested in it). Its namespace link goes as soon as it starts to exit, but the
  # kernel has it wait, then lets it be reaped, only once every other process of its namespace
  # is gone: /proc/PID's end is the world's. (A scan for the world's namespace numbers could not
  # say it: the kernel gives a freed number to the next namespace made, another test's or tool's;
  # CI saw such a stranger's shell, 2026-12-03.)
  if [ "$(pidns "$pid")" = "$ns" ]; then
    kill -KILL "$pid"
    for _ in $(seq 100); do [ -e "/proc/$pid" ] || break; sleep 0.1; done
    [ ! -e "/proc/$pid" ] || die "the world's processes are still running after 10 s (its init, pid $pid, is not gone)"
  fi
  rm -rf "$STATE"
  echo "overlay-world: down"
}

enter() {
  local name=$1 pid
  shift
  pid=$(running "$name" | cut -d' ' -f2) || die "no $name in a running world (hosts are h1..; start a world: $0)"
  [ $# -gt 0 ] || set -- bash
  exec nsenter --target "$pid" --net --mount --pid -- env PATH="$REPO/bin:$PATH" "$@"
}

up() {
  local hosts=3 firewall='' ttl=10
  while [ $# -gt 0 ]; do
    case $1 in
      --hosts) hosts=$2; shift 2 ;;
      --firewall) firewall=$2; shift 2 ;;
      --ttl) ttl=$2; shift 2 ;;
      *) die "unknown option $1 (see the header of $0)" ;;
    esac
  done
  [[ $hosts =~ ^[2-5]$ ]] || die "--hosts takes 2 to 5, not $hosts"
  [[ $ttl =~ ^[1-9][0-9]*$ ]] || die "--ttl takes whole seconds, not $ttl"
  [[ -z $firewall || $firewall = iptables || $firewall = nftables ]] || die "--firewall takes iptables or nftables, not $firewall"
  command -v etcd >/dev/null && command -v etcdctl >/dev/null || die "needs etcd and etcdctl (apt-get install etcd-server etcd-client)"
  ! running underlay >/dev/null || die "a world is already running ($0 --down first)"
  rm -rf "$STATE" && mkdir -p "$STATE" /var/lib/pont /etc/netns /etc/pont

  local etcd_start="ip link add ul0 address 02:99:00:00:00:fe type bridge
ip addr add 10.99.0.254/24 dev ul0
ip link set ul0 up
sysctl -qw net.ipv4.ip_forward=1
mkdir -p /run/etcd
setsid etcd --name underlay --data-dir /run/etcd/data --listen-client-urls http://$ETCD --advertise-client-urls http://$ETCD \
  --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 --initial-cluster underlay=http://127.0.0.1:2380 \
  </dev/null >/run/etcd/log 2>&1 &
timeout 30 sh -c 'until etcdctl --endpoints=$ETCD endpoint health >/dev/null 2>&1; do sleep 0.1; done' || { tail -5 /run/etcd/log; exit 1; }"
  setsid unshare --net --mount --pid --fork --mount-proc --kill-child bash -c "$(init_script "$etcd_start")" </dev/null >"$STATE/underlay.log" 2>&1 &
  local sb
  sb=$(await_init "$STATE/underlay.log" $!)
  echo "underlay $sb $(pidns "$sb") 10.99.0.254" >"$STATE/world"

  local i name addr host config
  for i in $(seq "$hosts"); do
    name=h$i addr=10.99.0.1$i
    setsid nsenter --target "$sb" --net --mount --pid -- unshare --net --mount --pid --fork --mount-proc --kill-child \
      bash -c "$(init_script '')" </dev/null >"$STATE/$name.log" 2>&1 &
    host=$(await_init "$STATE/$name.log" $!)
    echo "$name $host $(pidns "$host") $addr" >>"$STATE/world"
    # the underlay's net namespace only: /proc stays this machine's, where $host is the host's init
    nsenter --target "$sb" --net -- sh -ec "ip link add ul-$name mtu 1500 type veth peer name eth0 mtu 1500 netns /proc/$host/ns/net
      ip link set ul-$name master ul0 up"
    config="{ \"cluster-store\": \"etcd://$ETCD\", \"cluster-advertise\": \"$addr\", \"cluster-store-opts\": { \"discovery.ttl\": \"$ttl\" }${firewall:+, \"firewall-backend\": \"$firewall\"} }"
    echo "$config" | nsenter --target "$host" --net --mount --pid -- sh -ec "ip addr add $addr/24 dev eth0
      ip link set eth0 up
      ip route add default via 10.99.0.254
      cat > /etc/pont/config.json"
  done

  echo "overlay world up: $hosts hosts on ul0 10.99.0.0/24, etcd at etcd://$ETCD"
  while read -r name pid _ addr; do
    printf '  %-9s %-12s nsenter --target %s --net --mount --pid -- env PATH=%s/bin:$PATH bash\n' "$name" "$addr" "$pid" "$REPO"
  done <"$STATE/world"
  echo "  or: $0 --enter h1 [COMMAND...]"
  echo "  down: $0 --down"
}

case ${1:-} in
  --down) down ;;
  --enter) [ $# -ge 2 ] || die "--enter takes a host name (h1..) or underlay"; shift; enter "$@" ;;
  *) up "$@" ;;
esac
