// Docker's round-robin cursor lives in dockerd's memory: a restart starts again from the first free pool.
// pont keeps the cursor in its store (it has no daemon to restart).
import { defineScenario } from '../scenario.js';

const SUB = `{cli} network inspect -f '{{.Name}} {{range .IPAM.Config}}{{.Subnet}} gw={{.Gateway}}{{end}}'`;

export default defineScenario({
  title: 'subnets: after a daemon restart (Docker) the cursor starts over; pont keeps it',
  steps: [
    { do: 'for n in n1 n2 n3; do {cli} network create $n >/dev/null || exit 1; done' },
    { run: '{cli} network rm n1 n2 n3' },
    { restart: true },
    { do: '{cli} network create d1' },
    { run: `${SUB} d1`, deliberate: ['D-pool-cursor-persists'] },
    { run: `{cli} network inspect -f '{{json .IPAM}}' bridge`, deliberate: ['D-default-bridge-gateway'] },
  ],
});
