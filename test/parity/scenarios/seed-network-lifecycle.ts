// The seed walk-through, networks only: create mon-bridge as the seed does, list, inspect, remove.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'seed: network create / ls / inspect / rm of mon-bridge',
  steps: [
    { run: '{cli} network ls' },
    { run: '{cli} network create --subnet=172.16.86.0/24 --gateway=172.16.86.1 mon-bridge' },
    { run: '{cli} network ls' },
    { run: '{cli} network inspect mon-bridge' },
    { hostBridges: true },
    { run: '{cli} network rm mon-bridge' },
    { run: '{cli} network ls' },
    { hostBridges: true },
  ],
});
