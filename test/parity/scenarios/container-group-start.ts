// The `container` command group (the seed's `docker container stop`), and start / restart of a
// stopped container: its address, its published ports, the firewall in between.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'containers: `container ls/stop/start/restart/inspect`, ports withdrawn at stop and back at start',
  deliberate: ['D-ipv4-only-ports', 'D-raw-direct-drop', 'D-forward-policy', 'D-no-userland-proxy', 'D-ports-across-networks'],
  steps: [
    { do: '{cli} network create n' },
    { do: '{cli} run -d --name c1 --network n -p 18085:80 {img} sleep 600' },
    { do: '{cli} run -d --name c2 --network n {img} sleep 600' },
    { run: `{cli} container ls --format '{{.Names}} {{.Ports}}'` },
    { run: '{cli} container stop -t 0 c1' },
    { run: `{cli} container ls -a --format '{{.Names}} {{.State}}'` },
    { run: '{cli} port c1' },
    { iptables: true, label: 'iptables-save after stop' },
    { run: '{cli} container start c1' },
    { run: `{cli} container inspect -f '{{.State.Status}} {{range .NetworkSettings.Networks}}{{.IPAddress}} {{.MacAddress}}{{end}}' c1` },
    { run: '{cli} port c1' },
    { iptables: true, label: 'iptables-save after start' },
    { run: '{cli} container restart -t 0 c1' },
    { run: `{cli} inspect -f '{{.State.Status}} {{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' c1` },
    { ping: { from: ['c2'], to: ['c1@n'] } },
    { run: '{cli} start nosuch c1' },
    { run: '{cli} container inspect nosuch' },
    { run: '{cli} container stop' },
    { run: '{cli} container ls -a -q', compare: ['exit'] },
  ],
});
