// enable_icc=false: containers of the bridge cannot talk to each other; the gateway still answers.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'reachability: com.docker.network.bridge.enable_icc=false',
  steps: [
    { do: '{cli} network create -o com.docker.network.bridge.enable_icc=false noicc' },
    { do: '{cli} run -d --name q1 --network noicc {img} sleep 600' },
    { do: '{cli} run -d --name q2 --network noicc {img} sleep 600' },
    { do: '{cli} run -d --name d1 {img} sleep 600' },
    { ping: { from: ['q1', 'd1'], to: ['q1@noicc', 'q2@noicc', 'gw@noicc', 'gw@bridge'] } },
  ],
});
