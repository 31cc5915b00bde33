// The predefined networks as a fresh engine shows them.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'network inspect: bridge, host and none on a fresh engine',
  steps: [
    { run: '{cli} network inspect bridge host none' },
    { run: `{cli} network inspect -f '{{json .IPAM}}' bridge` },
    { run: '{cli} network inspect --verbose bridge' },
    { hostBridges: true },
  ],
});
