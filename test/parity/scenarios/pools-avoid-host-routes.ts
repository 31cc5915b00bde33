// Automatic pools and the host's own networks. Docker 20.10 skips a pool that overlaps a network
// connected to a host interface (172.22.0.0/16 here); it does not see a host address with a /32
// (172.18.5.5/32) nor a subnet routed through a gateway (172.19.0.0/16), which pont skips as well
// (D-pools-avoid-host-routes). An explicit subnet is not checked against the host by either.
import { defineScenario } from '../scenario.js';

const SUB = `{cli} network inspect -f '{{.Name}} {{range .IPAM.Config}}{{.Subnet}} gw={{.Gateway}}{{end}}'`;

export default defineScenario({
  title: 'subnets: automatic pools next to a host address and a host route',
  steps: [
    {
      host: [
        'ip link add lan0 type veth peer name lan1',
        'ip link set lan0 up && ip link set lan1 up',
        'ip addr add 10.99.0.1/24 dev lan0',
        'ip addr add 172.18.5.5/32 dev lan0',
        'ip route add 172.19.0.0/16 via 10.99.0.2',
        'ip addr add 172.22.0.1/16 dev lan1',
      ].join(' && '),
    },
    { run: '{cli} network create --subnet 10.99.0.0/25 explicit' },
    { do: '{cli} network create n1' },
    { do: '{cli} network create n2' },
    { do: 'for n in n3 n4 n5; do {cli} network create $n >/dev/null || exit 1; done' },
    { run: `${SUB} explicit n1 n2 n3 n4 n5`, deliberate: ['D-pools-avoid-host-routes'] },
  ],
});
