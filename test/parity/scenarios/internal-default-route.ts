// An --internal network never takes the default route from another one, but a container only on it gets one.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'routes: --internal networks and the default route',
  steps: [
    { do: '{cli} network create n' },
    { do: '{cli} network create --internal aint' },
    { do: '{cli} run -d --name r2 --network n {img} sleep 600' },
    { run: '{cli} network connect aint r2' },
    { do: '{cli} run -d --name r3 --network aint {img} sleep 600' },
    { links: ['r2', 'r3'] },
    { run: `{cli} network inspect -f '{{.Internal}} {{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}' aint` },
  ],
});
