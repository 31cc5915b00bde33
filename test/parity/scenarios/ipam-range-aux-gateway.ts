// --subnet, --ip-range, --aux-address and --gateway together: inspect, the bridge's address, and who gets which address.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'ipam: --subnet --ip-range --aux-address --gateway',
  deliberate: ['D-failed-run-leaves-nothing', 'D-api-created-has-endpoints'],
  steps: [
    { run: '{cli} network create --subnet 10.50.0.0/24 --ip-range 10.50.0.128/25 --aux-address host1=10.50.0.5 --aux-address router=10.50.0.129 --gateway 10.50.0.254 full' },
    { run: '{cli} network inspect full' },
    { hostBridges: true },
    { do: '{cli} run -d --name f1 --network full {img} sleep 600' },
    { do: '{cli} run -d --name f2 --network full {img} sleep 600' },
    { run: `{cli} inspect -f '{{.NetworkSettings.Networks.full.IPAddress}} {{.NetworkSettings.Networks.full.Gateway}}' f1 f2` },
    { run: '{cli} run -d --name f3 --network full --ip 10.50.0.5 {img} sleep 600' },
    { run: '{cli} run -d --name f4 --network full --ip 10.50.0.10 {img} sleep 600' },
    { links: ['f1', 'f4'] },
    { ping: { from: ['f1'], to: ['f2@full', 'f4@full', 'gw@full'] } },
  ],
});
