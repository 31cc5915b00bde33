// Docker releases a container's addresses when it stops; pont keeps them until rm (D-stopped-keeps-address).
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'addresses: a stopped container and its --ip',
  steps: [
    { do: '{cli} network create --subnet 10.10.0.0/24 sn' },
    { do: '{cli} run -d --name i1 --network sn --ip 10.10.0.50 {img} sleep 600' },
    { do: '{cli} run -d --name i2 --network sn {img} sleep 600' },
    { run: '{cli} stop -t 0 i1' },
    { run: `{cli} ps -a --format '{{.Names}} {{.State}}'` },
    { containerInspect: 'i1', paths: ['NetworkSettings.Networks', 'State.Status', 'State.Running'], deliberate: ['D-stopped-keeps-address'] },
    { run: `{cli} network inspect -f '{{range .Containers}}{{println .Name .IPv4Address}}{{end}}' sn`, sortLines: true, deliberate: ['D-stopped-keeps-address'] },
    { run: '{cli} run -d --name j1 --network sn --ip 10.10.0.50 {img} sleep 600', deliberate: ['D-stopped-keeps-address'] },
    { do: '{cli} run -d --name j2 --network sn {img} sleep 600' },
    { run: `{cli} inspect -f '{{.Name}} {{.NetworkSettings.Networks.sn.IPAddress}}' j2`, deliberate: ['D-stopped-keeps-address'] },
    { run: '{cli} rm i1' },
    { run: `{cli} network inspect -f '{{range .Containers}}{{println .Name .IPv4Address}}{{end}}' sn`, sortLines: true, deliberate: ['D-stopped-keeps-address'] },
  ],
});
