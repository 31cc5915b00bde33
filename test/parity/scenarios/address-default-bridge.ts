// The default bridge: first-fit too, reuse after rm; --ip without --network is silently ignored.
import { defineScenario } from '../scenario.js';

const ADDR = `{cli} inspect -f '{{.Name}} {{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{$v.IPAddress}}/{{$v.IPPrefixLen}} mac={{$v.MacAddress}} {{end}}'`;

export default defineScenario({
  title: 'addresses: default bridge first fit; --ip without --network is ignored',
  steps: [
    { do: '{cli} network create n' },
    { do: '{cli} run -d --name d1 {img} sleep 600' },
    { run: '{cli} network connect n d1' },
    { do: '{cli} run -d --name d2 {img} sleep 600' },
    { run: `${ADDR} d1 d2` },
    { run: '{cli} rm -f d1' },
    { do: '{cli} run -d --name d3 {img} sleep 600' },
    { run: `${ADDR} d3` },
    { run: '{cli} run -d --name i6 --ip 172.17.0.77 {img} sleep 600', compare: ['stderr', 'exit'] },
    { run: `{cli} inspect -f '{{json .NetworkSettings.Networks.bridge.IPAMConfig}} {{.NetworkSettings.Networks.bridge.IPAddress}} {{json .HostConfig.NetworkMode}}' i6` },
    { links: ['d3', 'i6'] },
  ],
});
