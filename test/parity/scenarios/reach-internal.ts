// An --internal network: its containers reach each other, nothing outside the bridge.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'reachability: --internal network',
  steps: [
    { do: '{cli} network create --internal closed' },
    { do: '{cli} network create open' },
    { do: '{cli} run -d --name in1 --network closed {img} sleep 600' },
    { do: '{cli} run -d --name in2 --network closed {img} sleep 600' },
    { do: '{cli} run -d --name o1 --network open {img} sleep 600' },
    { ping: { from: ['in1', 'o1'], to: ['in1@closed', 'in2@closed', 'o1@open', 'gw@closed', 'gw@open'] } },
    { links: ['in1'] },
  ],
});
