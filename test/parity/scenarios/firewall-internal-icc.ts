// iptables rules of an --internal network and of an enable_icc=false network beside a normal one.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'firewall: --internal and enable_icc=false networks',
  deliberate: ['D-raw-direct-drop', 'D-forward-policy', 'D-no-userland-proxy', 'D-ports-across-networks'],
  steps: [
    { do: '{cli} network create --subnet 172.30.0.0/16 un' },
    { do: '{cli} network create --internal --subnet 10.88.0.0/24 inet' },
    { iptables: true, label: 'iptables-save with an internal network' },
    { do: '{cli} network create -o com.docker.network.bridge.enable_icc=false --subnet 10.77.0.0/24 noicc' },
    { do: '{cli} run -d --name i1 --network inet {img} sleep 600' },
    { iptables: true, label: 'iptables-save with internal and noicc networks' },
    { do: '{cli} rm -f i1' },
    { do: '{cli} network rm un inet noicc' },
    { iptables: true, label: 'iptables-save after rm' },
  ],
});
