// A subnet already routed on the host (here a veth pair with 172.18.0.1/16): Docker 20.10 hands it out anyway,
// pont's automatic pools skip it.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'subnets: an automatic pool that overlaps a host route',
  steps: [
    { host: 'ip link add lan0 type veth peer name lan1 && ip addr add 172.18.0.1/16 dev lan0 && ip link set lan0 up && ip link set lan1 up' },
    { run: '{cli} network create n1', deliberate: ['D-pools-avoid-host-routes'] },
    { run: `{cli} network inspect -f '{{range .IPAM.Config}}{{.Subnet}} gw={{.Gateway}}{{end}}' n1`, deliberate: ['D-pools-avoid-host-routes'] },
    { run: '{cli} network create --subnet 172.18.0.0/16 n2', deliberate: ['D-pools-avoid-host-routes'] },
  ],
});
