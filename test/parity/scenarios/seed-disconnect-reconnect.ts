// The seed walk-through, second half: disconnect both containers, remove mon-bridge, connect them to the default bridge.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'seed: disconnect, rm the network, reconnect to bridge',
  steps: [
    { do: '{cli} network create mon-bridge' },
    { do: '{cli} run -dit --name alpine1 --network mon-bridge {img} sh' },
    { do: '{cli} run -dit --name alpine2 --network mon-bridge {img} sh' },
    { run: '{cli} network disconnect mon-bridge alpine1' },
    { run: '{cli} network disconnect mon-bridge alpine2' },
    { links: ['alpine1'] },
    { run: `{cli} inspect -f '{{json .NetworkSettings.Networks}} {{.HostConfig.NetworkMode}}' alpine1` },
    { run: '{cli} network rm mon-bridge' },
    { run: '{cli} network connect bridge alpine1' },
    { run: '{cli} network connect bridge alpine2' },
    { run: `{cli} inspect -f '{{.Name}} - {{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' alpine1 alpine2` },
    { links: ['alpine1', 'alpine2'] },
    { ping: { from: ['alpine1', 'alpine2'], to: ['alpine1@bridge', 'alpine2@bridge', 'gw@bridge'] } },
    { networkInspect: 'bridge', paths: ['Containers', 'IPAM'] },
  ],
});
