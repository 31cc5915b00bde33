// iptables rules of a user bridge: at engine start, after create, with containers, and after everything is removed.
import { defineScenario } from '../scenario.js';

const FW = ['D-raw-direct-drop', 'D-forward-policy', 'D-no-userland-proxy', 'D-ports-across-networks'];

export default defineScenario({
  title: 'firewall: rules at start, after network create, with containers, after removal',
  deliberate: FW,
  steps: [
    { do: '{cli} network ls' },
    { iptables: true, label: 'iptables-save at start' },
    { do: '{cli} network create --subnet 172.30.0.0/16 un' },
    { iptables: true, label: 'iptables-save with network un' },
    { do: '{cli} run -d --name p1 --network un {img} sleep 600' },
    { do: '{cli} run -d --name p2 --network un {img} sleep 600' },
    { iptables: true, label: 'iptables-save with two containers' },
    { do: '{cli} rm -f p1 p2' },
    { do: '{cli} network rm un' },
    { iptables: true, label: 'iptables-save after rm' },
    { hostBridges: true },
  ],
});
