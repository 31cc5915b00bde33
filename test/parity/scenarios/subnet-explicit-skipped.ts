// Explicit subnets are skipped by automatic allocation; an explicit subnet does not move the cursor.
import { defineScenario } from '../scenario.js';

const SUB = `{cli} network inspect -f '{{.Name}} {{range .IPAM.Config}}{{.Subnet}} gw={{.Gateway}}{{end}}'`;

export default defineScenario({
  title: 'subnets: explicit subnets are skipped, then the cursor carries on',
  steps: [
    { run: '{cli} network create --subnet 172.18.0.0/16 u18' },
    { run: '{cli} network create --subnet 172.19.5.0/24 u19' },
    { do: '{cli} network create b1' },
    { do: '{cli} network create b2' },
    { run: `${SUB} u18 u19 b1 b2` },
    { run: '{cli} network rm u18 u19 b1 b2' },
    { do: '{cli} network create c1' },
    { do: '{cli} network create --subnet 172.24.0.0/24 inside24' },
    { do: 'for n in f1 f2 f3; do {cli} network create $n >/dev/null || exit 1; done' },
    { run: `${SUB} c1 inside24 f1 f2 f3` },
  ],
});
