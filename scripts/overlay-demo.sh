#!/usr/bin/env bash
# The seeds' overlay network, played on three pont hosts that share an etcd (docs/overlay.md):
# a network made on h1 is seen by every host, containers on h1, h2 and h3 reach each other by
# name over VXLAN, and the kernel shows the VXLAN device, its FDB and neighbour entries. All of
# it inside one throwaway sandbox (scripts/overlay-world.sh): the machine's network is untouched.
#   scripts/overlay-demo.sh            plays it and tears the world down
#   scripts/overlay-demo.sh --keep     leaves the world up (scripts/overlay-world.sh --enter h1 …)
set -euo pipefail
cd "$(dirname "$0")/.."
export PONT_WORLD_DIR=${PONT_WORLD_DIR:-/run/pont-overlay-demo}
world=scripts/overlay-world.sh
keep=0
[ "${1:-}" = "--keep" ] && keep=1
[ -x dist/bundle/cli/main.js ] || [ -f dist/bundle/cli/main.js ] || { echo "overlay-demo: build first (scripts/setup.sh)" >&2; exit 1; }
command -v etcd >/dev/null || { echo "overlay-demo: needs etcd (apt-get install etcd-server, or scripts/setup.sh --for-tests)" >&2; exit 1; }

"$world" --down >/dev/null 2>&1 || true
[ "$keep" = 1 ] || trap '"$world" --down >/dev/null 2>&1 || true' EXIT
"$world" --hosts 3 --ttl 10 >/dev/null
on() { local h=$1; shift; echo "[$h]\$ $*"; "$world" --enter "$h" bash -c "$*"; echo; }

on h1 pont network create -d overlay --attachable ov
on h2 pont network ls
on h1 pont run -d --name web --network ov alpine sleep 3600
on h2 pont run -d --name db --network ov alpine sleep 3600
on h3 pont run -d --name cache --network ov alpine sleep 3600
sleep 1
on h1 'ip netns exec web ping -c2 -W1 db && ip netns exec web ping -c2 -W1 cache.ov'
on h3 'ip netns exec cache ping -c2 -W1 web'
on h1 'ip -d link show type vxlan | head -3'
on h1 'bridge fdb show dev $(ip -o link show type vxlan | awk -F": " "{print \$2}" | cut -d@ -f1)'
on h1 'ip neigh show dev $(ip -o link show type vxlan | awk -F": " "{print \$2}" | cut -d@ -f1)'
on h2 "pont network inspect -f '{{range .Containers}}{{.Name}} {{.IPv4Address}} on {{.Host}}{{println}}{{end}}' ov"
on h1 pont system info
echo "# etcd, the cluster store:"
"$world" --enter underlay bash -c "etcdctl --endpoints=10.99.0.254:2379 get --prefix /pont/v1/ --keys-only | grep -v '^\$'"
