// -o com.docker.network.bridge.name=X names the bridge; a second network may not take the same name.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'bridges: com.docker.network.bridge.name, and the bridge across attach and detach',
  deliberate: ['D-raw-direct-drop', 'D-forward-policy', 'D-no-userland-proxy', 'D-ports-across-networks'],
  steps: [
    { run: '{cli} network create -o com.docker.network.bridge.name=foo brnamed' },
    { run: `{cli} network inspect -f '{{json .Options}}' brnamed` },
    { hostBridges: true },
    { do: '{cli} run -d --name c1 --network brnamed {img} sleep 600' },
    { hostBridges: true },
    { iptables: true },
    { do: '{cli} rm -f c1' },
    { hostBridges: true },
    { run: '{cli} network rm brnamed' },
    { hostBridges: true },
  ],
});
