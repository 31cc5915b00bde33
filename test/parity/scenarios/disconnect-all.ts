// Disconnecting every network leaves only lo; the next connect takes the next unused ethN.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'routes: disconnect from every network, then connect again',
  steps: [
    { do: '{cli} network create n' },
    { do: '{cli} network create m' },
    { do: '{cli} run -d --name i1 --network n {img} sleep 600' },
    { do: '{cli} network connect m i1' },
    { run: '{cli} network disconnect n i1' },
    { run: '{cli} network disconnect m i1' },
    { links: ['i1'] },
    { run: `{cli} inspect -f '{{json .NetworkSettings.Networks}} {{.HostConfig.NetworkMode}}' i1` },
    { run: '{cli} network connect m i1' },
    { links: ['i1'] },
    { ping: { from: ['i1'], to: ['gw@m', 'gw@n'] } },
  ],
});
