// The seed's typo: `network create bridge … mon-bridge` (two names) is a usage error.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'seed: network create with two names is refused with the usage text',
  deliberate: ['D-usage-hints'],
  steps: [
    { run: '{cli} network create bridge --subnet=172.16.86.0/24 --gateway=172.16.86.1 mon-bridge' },
    { run: '{cli} network create' },
    { run: '{cli} network ls' },
  ],
});
