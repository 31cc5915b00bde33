// Container addresses are first-fit (lowest free), MACs follow the address, a reconnect takes the lowest free one.
import { defineScenario } from '../scenario.js';

const ADDR = `{cli} inspect -f '{{.Name}} {{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{$v.IPAddress}}/{{$v.IPPrefixLen}} mac={{$v.MacAddress}} {{end}}'`;

export default defineScenario({
  title: 'addresses: first fit, reuse after rm, reconnect takes the lowest free address',
  steps: [
    { do: '{cli} network create n' },
    { do: 'for c in c1 c2 c3; do {cli} run -d --name $c --network n {img} sleep 600 >/dev/null || exit 1; done' },
    { run: `${ADDR} c1 c2 c3` },
    { run: '{cli} rm -f c2' },
    { do: '{cli} run -d --name c4 --network n {img} sleep 600' },
    { do: '{cli} run -d --name c5 --network n {img} sleep 600' },
    { run: `${ADDR} c4 c5` },
    { run: '{cli} network disconnect n c1' },
    { run: '{cli} network connect n c1' },
    { run: `${ADDR} c1` },
    { links: ['c1', 'c4'] },
  ],
});
