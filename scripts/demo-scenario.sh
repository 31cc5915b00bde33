#!/usr/bin/env bash
# The scenario shown by scripts/demo.sh (run it there: it expects to be inside a sandbox).
set -euo pipefail
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }
# Waits (5 s at most) until a TCP port accepts connections. bash's /dev/tcp, not busybox wget:
# Debian's busybox 1.35 `wget -T` crashes with a segfault on a refused connection.
wait_port() { for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return; sleep 0.1; done; }
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
say "Deux conteneurs sur mon-bridge, qui se joignent par adresse et par nom"
step pont run -dit --name alpine1 --network mon-bridge alpine
step pont run -dit --name alpine2 --network mon-bridge alpine
step pont network inspect -f '{{range .Containers}}{{.Name}} {{.IPv4Address}} {{.MacAddress}}{{println}}{{end}}' mon-bridge
step pont exec alpine1 ping -c 1 172.18.0.3
step pont exec alpine2 ping -c 1 alpine1
say "Un conteneur est un namespace réseau nommé : ip netns exec marche"
step ip netns exec alpine1 ip -br addr
say "Le driver host : pas de namespace à part, pas de mappage de port"
step pont network create --driver host mon-host || true
step pont run --rm -d --network host --name my_httpd httpd
wait_port 80
step busybox wget -q -O - http://localhost:80/
step pont container stop my_httpd
say "Déconnecter, supprimer le réseau, reconnecter au bridge par défaut"
step pont network disconnect mon-bridge alpine1
step pont network disconnect mon-bridge alpine2
step pont exec alpine1 ip a
step pont network rm mon-bridge mon-bridge2
step pont network connect bridge alpine1
step pont network connect bridge alpine2
step sh -c "pont inspect -f '{{.Name}} - {{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' \$(pont ps -aq)"
say "Publier un port : DNAT du noyau, sans proxy"
step pont run --rm -d --name test_nginx -p 8000:80 nginx
wait_port 8000
step busybox wget -q -O - http://localhost:8000/
step sh -c "iptables-save -t nat | grep -E 'DNAT'"
step pont logs test_nginx
step pont rm -f test_nginx alpine1 alpine2
step pont network create a-jeter
step pont network prune -f
step pont network ls
