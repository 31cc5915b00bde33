// Automatic subnets are handed out round-robin: freed pools are not reused until the list wraps.
import { defineScenario } from '../scenario.js';

const SUB = `{cli} network inspect -f '{{.Name}} {{range .IPAM.Config}}{{.Subnet}} gw={{.Gateway}}{{end}}'`;

export default defineScenario({
  title: 'subnets: round-robin over the default pools across creates and removes',
  steps: [
    { do: 'for n in n1 n2 n3 n4 n5; do {cli} network create $n >/dev/null || exit 1; done' },
    { run: `${SUB} n1 n2 n3 n4 n5` },
    { run: '{cli} network rm n2' },
    { do: '{cli} network create n6' },
    { do: '{cli} network create n7' },
    { run: `${SUB} n6 n7` },
    { run: '{cli} network rm n1 n3 n4 n5 n6 n7' },
    { do: '{cli} network create a1' },
    { do: '{cli} network create a2' },
    { run: `${SUB} a1 a2` },
    { hostBridges: true },
  ],
});
