// Who can ping whom across two user bridges, with one container on both, and the default bridge.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'reachability: two bridges, a container on both, the default bridge',
  steps: [
    { do: '{cli} network create n1' },
    { do: '{cli} network create n2' },
    { do: '{cli} run -d --name a1 --network n1 {img} sleep 600' },
    { do: '{cli} run -d --name a2 --network n1 {img} sleep 600' },
    { do: '{cli} run -d --name b1 --network n2 {img} sleep 600' },
    { do: '{cli} run -d --name ab --network n1 {img} sleep 600' },
    { do: '{cli} network connect n2 ab' },
    { do: '{cli} run -d --name d1 {img} sleep 600' },
    {
      ping: {
        from: ['a1', 'ab', 'd1'],
        to: ['a2@n1', 'b1@n2', 'ab@n1', 'ab@n2', 'd1@bridge', 'gw@n2'],
      },
    },
  ],
});
