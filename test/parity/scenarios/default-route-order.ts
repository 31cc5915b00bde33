// The default route goes to the first non-internal network by name, and moves live on connect/disconnect;
// interface indices are not reused while the container runs.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'routes: default route by network name across connect/disconnect; ethN never reused',
  steps: [
    { do: '{cli} network create n' },
    { do: '{cli} network create m' },
    { do: '{cli} run -d --name i1 --network n {img} sleep 600' },
    { links: ['i1'] },
    { run: '{cli} network connect m i1' },
    { links: ['i1'] },
    { run: '{cli} network connect bridge i1' },
    { links: ['i1'] },
    { run: '{cli} network disconnect m i1' },
    { run: '{cli} network connect m i1' },
    { links: ['i1'] },
    { run: '{cli} network disconnect n i1' },
    { links: ['i1'] },
    { run: `{cli} inspect -f '{{.HostConfig.NetworkMode}} {{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' i1` },
  ],
});
