// The seed's `inspect -f '{{.Name}} - {{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}'` on every kind of attachment.
import { defineScenario } from '../scenario.js';

const SEED = `'{{.Name}} - {{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}'`;

export default defineScenario({
  title: 'seed: inspect -f with range over Networks, on user, default, none and two networks',
  steps: [
    { do: '{cli} network create n' },
    { do: '{cli} network create m' },
    { do: '{cli} run -d --name c1 --network n {img} sleep 600' },
    { do: '{cli} run -d --name c2 {img} sleep 600' },
    { do: '{cli} run -d --name c3 --network none {img} sleep 600' },
    { do: '{cli} run -d --name c4 --network n {img} sleep 600' },
    { do: '{cli} network connect m c4' },
    { run: `{cli} inspect -f ${SEED} c1 c2 c3 c4` },
    { run: `{cli} inspect -f '{{.NetworkSettings.IPAddress}}|{{.NetworkSettings.Gateway}}|{{.NetworkSettings.MacAddress}}|{{.HostConfig.NetworkMode}}' c1 c2 c3 c4` },
    { run: `{cli} inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{$v.IPAddress}}/{{$v.IPPrefixLen}} gw={{$v.Gateway}} mac={{$v.MacAddress}} {{end}}' c1 c2 c3 c4` },
    { run: `{cli} inspect -f '{{.Name}}' nosuch c1` },
  ],
});
