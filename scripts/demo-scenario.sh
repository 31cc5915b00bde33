#!/usr/bin/env bash
# The scenario shown by scripts/demo.sh (run it there: it expects to be inside a sandbox).
set -uo pipefail
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }
say() { printf '\n# %s\n' "$*"; }

say "Créer un réseau docker — pont network create --driver bridge mon-bridge"
step pont network create --driver bridge mon-bridge
step pont network ls
step pont network inspect mon-bridge
say "Ce que le noyau montre : le pont Linux, son adresse, la règle MASQUERADE"
step ip -br addr show
step sh -c "iptables-save -t nat | grep -E 'PONT|MASQ'"
say "Les mêmes changements, en commandes ip/iptables/sysctl (--dry-run ne touche à rien)"
step pont network create --dry-run --subnet=172.16.86.0/24 --gateway=172.16.86.1 autre
say "La coquille de l'aide-mémoire (deux noms) : la réponse de Docker, plus un conseil"
step pont network create bridge --subnet=172.16.86.0/24 --gateway=172.16.86.1 mon-bridge2 || true
step pont network create --subnet=172.16.86.0/24 --gateway=172.16.86.1 mon-bridge2
step pont network create --driver host mon-host || true
step pont network rm mon-bridge mon-bridge2
step pont network create a-jeter
step pont network prune -f
step pont network ls
