// Published ports: port, ps, inspect and the nat/filter rules (issue 4).
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'ports: -p on a user network and on bridge: port, ps, inspect, iptables',
  pending: { issue: 'issue 4', probe: '{cli} run -d --name probe -p 18080:80 {img} sleep 30\n{cli} port probe 80' },
  deliberate: ['D-ipv4-only-ports', 'D-raw-direct-drop', 'D-forward-policy', 'D-no-userland-proxy', 'D-ports-across-networks'],
  steps: [
    { do: '{cli} network create --subnet 172.30.0.0/16 un' },
    { run: '{cli} run -d --name p1 --network un -p 18080:80 {img} sleep 600' },
    { run: '{cli} run -d --name p2 --network un -p 127.0.0.1:18081:80/udp {img} sleep 600' },
    { run: '{cli} run -d --name p3 -p 18082:80 -p 9000-9001:7000-7001 {img} sleep 600' },
    { run: '{cli} port p1' },
    { run: '{cli} port p1 80' },
    { run: '{cli} port p1 81' },
    { run: '{cli} port p2' },
    { run: '{cli} port p3', sortLines: true },
    { run: `{cli} ps --format '{{.Names}}: {{.Ports}}'` },
    { containerInspect: 'p3', paths: ['NetworkSettings.Ports', 'HostConfig.PortBindings', 'Config.ExposedPorts'] },
    { iptables: true },
    { run: '{cli} stop -t 0 p1' },
    { run: '{cli} port p1' },
  ],
});
