// iptables rules of user bridges: at engine start, after create, with containers, with an --internal and an
// enable_icc=false network beside, and after everything is removed.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'firewall: rules at start, per network (normal, --internal, enable_icc=false), with containers, after removal',
  deliberate: ['D-raw-direct-drop', 'D-forward-policy', 'D-no-userland-proxy', 'D-ports-across-networks', 'D-internal-no-way-out'],
  steps: [
    // a mutating no-op: pont lays down its base chains and default bridge at its first change, where
    // dockerd does at start (D-read-only-changes-nothing)
    { do: '{cli} network prune -f' },
    { iptables: true, label: 'iptables-save at start' },
    { do: '{cli} network create --subnet 172.30.0.0/16 un' },
    { iptables: true, label: 'iptables-save with network un' },
    { do: '{cli} run -d --name p1 --network un {img} sleep 600' },
    { do: '{cli} run -d --name p2 --network un {img} sleep 600' },
    { iptables: true, label: 'iptables-save with two containers on un' },
    { do: '{cli} network create --internal --subnet 10.88.0.0/24 inet' },
    { do: '{cli} network create -o com.docker.network.bridge.enable_icc=false --subnet 10.77.0.0/24 noicc' },
    { do: '{cli} run -d --name i1 --network inet {img} sleep 600' },
    { iptables: true, label: 'iptables-save with internal and noicc networks' },
    { do: '{cli} rm -f p1 p2 i1' },
    { do: '{cli} network rm un inet noicc' },
    { iptables: true, label: 'iptables-save after rm' },
    { hostBridges: true },
  ],
});
