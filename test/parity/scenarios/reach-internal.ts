// An --internal network: its containers reach each other, nothing outside the bridge; it never takes the
// default route from another network, but a container only on it still gets one.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'reachability and routes: --internal network',
  // pont's internal network does not reach the host through another network's gateway
  deliberate: ['D-internal-no-way-out'],
  steps: [
    { do: '{cli} network create --internal closed' },
    { do: '{cli} network create open' },
    { do: '{cli} run -d --name in1 --network closed {img} sleep 600' },
    { do: '{cli} run -d --name in2 --network closed {img} sleep 600' },
    { do: '{cli} run -d --name o1 --network open {img} sleep 600' },
    { run: '{cli} network connect closed o1' },
    { ping: { from: ['in1', 'o1'], to: ['in1@closed', 'in2@closed', 'o1@open', 'gw@closed', 'gw@open'] } },
    { links: ['in1', 'o1'] },
    { run: `{cli} network inspect -f '{{.Internal}} {{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}' closed` },
  ],
});
