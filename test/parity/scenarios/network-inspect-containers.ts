// network inspect of a user network and the default bridge with containers attached.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'network inspect: the Containers section, on a user network and on bridge',
  steps: [
    { do: '{cli} network create busy' },
    { do: '{cli} run -d --name c1 --network busy {img} sleep 600' },
    { do: '{cli} run -d --name c2 --network busy {img} sleep 600' },
    { do: '{cli} run -d --name b1 {img} sleep 600' },
    { networkInspect: 'busy' },
    { networkInspect: 'bridge' },
    { run: `{cli} network inspect -f '{{range .Containers}}{{println .Name .IPv4Address .MacAddress .IPv6Address}}{{end}}' busy bridge`, sortLines: true },
    { run: `{cli} network inspect -f '{{len .Containers}}' busy bridge host none` },
  ],
});
