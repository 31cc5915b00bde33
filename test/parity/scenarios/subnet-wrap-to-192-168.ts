// After 172.31.0.0/16 the default pools go on with 192.168.0.0/20, 192.168.16.0/20, …
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'subnets: sixteen automatic networks run from 172.18/16 into 192.168.x/20',
  steps: [
    { do: 'for i in $(seq 1 16); do {cli} network create s$i >/dev/null || exit 1; done' },
    { run: `{cli} network inspect -f '{{.Name}} {{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}' $(seq -f s%g 1 16)` },
    { run: '{cli} network rm s3 s15' },
    { do: '{cli} network create t1' },
    { do: '{cli} network create t2' },
    { run: `{cli} network inspect -f '{{.Name}} {{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}' t1 t2` },
  ],
});
