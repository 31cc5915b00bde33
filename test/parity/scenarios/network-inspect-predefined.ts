// The predefined networks as a fresh engine shows them; inspect of missing networks (what is printed,
// where, the exit code), alone and beside a real one.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'network inspect: bridge, host and none on a fresh engine; missing networks',
  steps: [
    { run: '{cli} network inspect bridge host none' },
    { run: `{cli} network inspect -f '{{json .IPAM}}' bridge` },
    { run: '{cli} network inspect --verbose bridge' },
    // the default bridge exists once pont makes its first change, dockerd's at start (D-read-only-changes-nothing)
    { do: '{cli} network prune -f' },
    { hostBridges: true },
    { do: '{cli} network create --label env=prod mid' },
    { run: '{cli} network inspect nosuch' },
    { run: '{cli} network inspect mid nosuch' },
    { run: `{cli} network inspect -f '{{.Name}}' nosuch mid` },
    { run: `{cli} network inspect -f '{{.Name}}' $({cli} network inspect -f '{{.Id}}' mid | cut -c1-12)` },
    { run: '{cli} network inspect' },
  ],
});
