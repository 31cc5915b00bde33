// The seed tutorials, step by step, with pont in place of docker and the kernel's view after each
// step: one list for both languages. scripts/tutorial/make.mjs runs it inside a sandbox and writes
// docs/tutorial.md (French, as the seeds) and docs/tutorial.en.md with the real outputs;
// scripts/demo.sh plays the same list; test/integration/tutorial.test.ts runs every command of
// both documents as printed.
//   { fr, en }          a section title
//   { p: { fr, en } }   a paragraph
//   { run }             a command, shown with its output (stderr too: --explain prints there)
//   { run, fails }      a command that is meant to fail (its error is the lesson)
export const STEPS = [
  { fr: 'Créer un réseau bridge', en: 'Create a bridge network' },
  { p: { fr: "`--explain` fait le changement, puis affiche sur stderr les commandes `ip`, `iptables` et `sysctl` qui font la même chose : on peut les recopier à la main sur une autre machine.", en: '`--explain` makes the change, then prints on stderr the `ip`, `iptables` and `sysctl` commands that do the same: they can be pasted by hand on another machine.' } },
  { run: 'pont network create --explain --driver bridge mon-bridge' },
  { p: { fr: 'Ce que le noyau montre maintenant : un pont Linux avec la passerelle 172.18.0.1, la route du sous-réseau, la règle MASQUERADE.', en: "What the kernel shows now: a Linux bridge holding the gateway 172.18.0.1, the subnet's route, the MASQUERADE rule." } },
  { run: 'ip -br addr show type bridge' },
  { run: 'ip route' },
  { run: "iptables-save -t nat | grep -E 'PONT|MASQ'" },
  { run: 'pont network ls' },
  { run: 'pont network inspect mon-bridge' },

  { fr: 'Deux conteneurs sur mon-bridge', en: 'Two containers on mon-bridge' },
  { p: { fr: "Un conteneur est un namespace réseau nommé (`ip netns exec alpine1 …` marche), relié au pont par une paire veth ; son adresse MAC vient de son IP (02:42 + les 4 octets).", en: 'A container is a named network namespace (`ip netns exec alpine1 …` works), linked to the bridge by a veth pair; its MAC comes from its IP (02:42 + the 4 bytes).' } },
  { run: 'pont run -dit --explain --name alpine1 --network mon-bridge alpine' },
  { run: 'pont run -dit --name alpine2 --network mon-bridge alpine' },
  { run: 'ip netns list' },
  { run: 'ip -br link show type veth' },
  { run: 'ip netns exec alpine1 ip -br addr' },
  { run: 'ip netns exec alpine1 ip route' },
  { run: "pont network inspect -f '{{range .Containers}}{{.Name}} {{.IPv4Address}} {{.MacAddress}}{{println}}{{end}}' mon-bridge" },
  { p: { fr: "Le tout en une image : `pont network graph` dessine ce qui existe, lu dans le noyau et le store (`--format svg` pour un navigateur, `dot`, `mermaid`) :", en: 'All of it in one picture: `pont network graph` draws what exists, read from the kernel and the store (`--format svg` for a browser, `dot`, `mermaid`):' } },
  { run: 'pont network graph --network mon-bridge' },
  { p: { fr: "Ils se joignent par adresse et par nom : le résolveur de pont répond sur 127.0.0.11 dans chaque conteneur d'un réseau défini par l'utilisateur.", en: "They reach each other by address and by name: pont's resolver answers on 127.0.0.11 in each container of a user-defined network." } },
  { run: 'pont exec alpine1 ping -c 1 172.18.0.3' },
  { run: 'pont exec alpine2 ping -c 1 alpine1' },
  { run: 'ip netns exec alpine1 cat /etc/resolv.conf' },
  { p: { fr: "Le chemin d'un paquet dans le noyau : `pont trace` envoie un seul vrai paquet, avec le traçage de netfilter (nftrace) allumé pour lui seul, et montre chaque crochet, chaîne et règle qu'il rencontre — les règles de pont expliquées.", en: "A packet's path through the kernel: `pont trace` sends one real packet with netfilter's tracing (nftrace) on for it alone, and shows each hook, chain and rule it meets — pont's rules explained." } },
  { run: 'pont trace alpine1 alpine2' },

  { fr: 'Le réseau host, le réseau none', en: 'The host network, the none network' },
  { p: { fr: "Avec `--network host`, pas de namespace à part : le serveur écoute directement sur les interfaces de l'hôte. Avec `--network none`, le namespace n'a que `lo`.", en: "With `--network host`, no namespace of its own: the server listens on the host's interfaces directly. With `--network none`, the namespace has only `lo`." } },
  { run: 'pont network create --driver host mon-host', fails: true },
  { run: 'pont run --rm -d --network host --name my_httpd httpd' },
  { run: 'curl -s --retry 20 --retry-connrefused --retry-delay 1 http://localhost:80/' },
  { run: 'pont container stop my_httpd' },
  { run: 'pont run -d --name seul --network none alpine sleep 600' },
  { run: 'ip netns exec seul ip -br addr' },
  { run: 'pont rm -f seul' },

  { fr: 'Publier un port', en: 'Publish a port' },
  { p: { fr: "`-p 8000:80` est une règle DNAT du noyau (pas de processus proxy) : le paquet vers le port 8000 de l'hôte est réécrit vers le conteneur.", en: "`-p 8000:80` is a kernel DNAT rule (no proxy process): a packet to the host's port 8000 is rewritten to the container." } },
  { run: 'pont run --rm -d --explain --name test_nginx -p 8000:80 nginx' },
  { run: 'curl -s --retry 20 --retry-connrefused --retry-delay 1 http://localhost:8000/' },
  { run: "iptables-save -t nat | grep DNAT" },
  { run: 'pont trace host 127.0.0.1:8000' },
  { run: 'pont port test_nginx' },
  { run: 'pont logs test_nginx' },
  { p: { fr: "Plus sûr : `-p 127.0.0.1:8000:80` ne répond que sur l'adresse de loopback de l'hôte.", en: "Safer: `-p 127.0.0.1:8000:80` answers on the host's loopback address only." } },
  { run: 'pont rm -f test_nginx' },
  { run: 'pont run --rm -d --name test_nginx -p 127.0.0.1:8000:80 nginx' },
  { run: "iptables-save -t nat | grep DNAT" },
  { run: 'pont rm -f test_nginx' },

  { fr: 'Isolation entre réseaux', en: 'Isolation between networks' },
  { p: { fr: "Deux réseaux bridge ne se voient pas : les chaînes PONT-ISOLATION-STAGE-1/2 rejettent ce qui passe de l'un à l'autre.", en: 'Two bridge networks do not see each other: the PONT-ISOLATION-STAGE-1/2 chains drop what goes from one to the other.' } },
  { run: 'pont network create --subnet=172.16.86.0/24 --gateway=172.16.86.1 mon-bridge2' },
  { run: 'pont run -dit --name alpine3 --network mon-bridge2 alpine' },
  { run: 'pont exec alpine3 ping -c 1 -W 1 172.18.0.2', fails: true },
  { run: "iptables-save -t filter | grep ISOLATION" },
  { p: { fr: 'Qui a rejeté le paquet, et pourquoi :', en: 'Which rule dropped the packet, and why:' } },
  { run: 'pont trace alpine3 alpine1' },
  { p: { fr: "Un conteneur peut être relié à plusieurs réseaux : `network connect` lui ajoute une interface.", en: '`network connect` gives a container one more interface, on another network.' } },
  { run: 'pont network connect mon-bridge alpine3' },
  { run: 'ip netns exec alpine3 ip -br addr' },
  { run: 'pont exec alpine3 ping -c 1 alpine1' },

  { fr: 'Les coquilles de l’aide-mémoire', en: "The cheat sheet's typos" },
  { p: { fr: "L'aide-mémoire écrit `docker network create bridge --subnet=… mon-bridge2` (deux noms) : pont répond comme Docker, plus un conseil.", en: 'The cheat sheet writes `docker network create bridge --subnet=… mon-bridge2` (two names): pont answers as Docker does, plus a hint.' } },
  { run: 'pont network create bridge --subnet=172.16.87.0/24 --gateway=172.16.87.1 mon-bridge3', fails: true },

  { fr: 'Déconnecter, supprimer, reconnecter au bridge par défaut', en: 'Disconnect, remove, reconnect to the default bridge' },
  { run: 'pont network disconnect mon-bridge alpine1' },
  { run: 'pont network disconnect mon-bridge alpine2' },
  { run: 'pont exec alpine1 ip -br addr' },
  { run: 'pont rm -f alpine3' },
  { run: 'pont network rm mon-bridge mon-bridge2' },
  { run: 'pont network connect bridge alpine1' },
  { run: 'pont network connect bridge alpine2' },
  { run: "pont inspect -f '{{.Name}} - {{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' alpine1 alpine2" },
  { p: { fr: 'Sur le bridge par défaut, un port publié est réécrit vers 172.17.0.x :', en: 'On the default bridge, a published port is rewritten to 172.17.0.x:' } },
  { run: 'pont run --rm -d --name test_nginx -p 8000:80 nginx' },
  { run: "iptables-save -t nat | grep DNAT" },
  { run: 'pont rm -f test_nginx alpine1 alpine2' },
  { run: 'ip -br link show type bridge' },
  { run: 'pont network create a-jeter' },
  { run: 'pont network prune -f' },
  { run: 'pont network ls' },
];

export const TEXT = {
  fr: {
    title: 'Tutoriel : les réseaux Docker avec pont, et ce que le noyau en voit',
    intro: "Les deux articles d'origine (« Cours - Réseaux Docker » et son aide-mémoire), pas à pas, avec `pont` à la place de `docker`. Après chaque étape, ce qui a changé dans le noyau : liens, adresses, routes, règles, namespaces. Les sorties ci-dessous sont réelles : ce document est produit par `node scripts/tutorial/make.mjs` dans un bac à sable (ses propres namespaces réseau, montage et pid), et un test rejoue chacune de ses commandes telle qu'écrite. `scripts/demo.sh` joue la même suite. Les réseaux overlay (plusieurs hôtes, VXLAN, etcd) ont leur propre démo : `scripts/overlay-demo.sh` (docs/overlay.md).",
    fails: '(échoue, et c’est voulu)',
    other: 'English version: [tutorial.en.md](tutorial.en.md)',
  },
  en: {
    title: "Tutorial: Docker's networks with pont, and what the kernel sees of them",
    intro: "The two seed articles (\"Cours - Réseaux Docker\" and its cheat sheet), step by step, with `pont` in place of `docker`. After each step, what changed in the kernel: links, addresses, routes, rules, namespaces. The outputs below are real: this document is made by `node scripts/tutorial/make.mjs` in a sandbox (its own network, mount and pid namespaces), and a test replays each of its commands as written. `scripts/demo.sh` plays the same list. Overlay networks (several hosts, VXLAN, etcd) have their own demo: `scripts/overlay-demo.sh` (docs/overlay.md).",
    fails: '(fails, on purpose)',
    other: 'Version française : [tutorial.md](tutorial.md)',
  },
};
