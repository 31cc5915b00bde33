// The seed walk-through, networks only: the seed's typo (two names), then mon-bridge created as the
// seed means it, listed, inspected, removed.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'seed: network create (with the typo, then right) / ls / inspect / rm of mon-bridge',
  deliberate: ['D-usage-hints'],
  steps: [
    { run: '{cli} network ls' },
    { run: '{cli} network create bridge --subnet=172.16.86.0/24 --gateway=172.16.86.1 mon-bridge' },
    { run: '{cli} network create' },
    { run: '{cli} network create --subnet=172.16.86.0/24 --gateway=172.16.86.1 mon-bridge' },
    { run: '{cli} network ls' },
    { run: '{cli} network inspect mon-bridge' },
    { hostBridges: true },
    { run: '{cli} network rm mon-bridge' },
    { run: '{cli} network ls' },
    { hostBridges: true },
  ],
});
