// The seed walk-through: two containers on mon-bridge see each other, with Docker's addresses and MACs.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'seed: two containers on mon-bridge ping each other',
  deliberate: ['D-raw-direct-drop', 'D-forward-policy', 'D-no-userland-proxy', 'D-ports-across-networks'],
  steps: [
    { do: '{cli} network create mon-bridge' },
    // with -dit the docker CLI sometimes logs `error waiting for container: context canceled` on stderr
    { run: '{cli} run -dit --name alpine1 --network mon-bridge {img} sh', compare: ['stdout', 'exit'] },
    { run: '{cli} run -dit --name alpine2 --network mon-bridge {img} sh', compare: ['stdout', 'exit'] },
    { networkInspect: 'mon-bridge' },
    { links: ['alpine1', 'alpine2'] },
    { ping: { from: ['alpine1', 'alpine2'], to: ['alpine1@mon-bridge', 'alpine2@mon-bridge', 'gw@mon-bridge'] } },
    { run: `{cli} inspect -f '{{.Name}} - {{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' alpine1 alpine2` },
    { hostBridges: true },
    { iptables: true },
  ],
});
