// container prune: the stopped containers go (the running stay), labels filter them, and the
// question is answered no without -f (no stdin).
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'container prune: stopped containers, --filter label, -f',
  steps: [
    { do: '{cli} network create pn' },
    { do: '{cli} run -d --name up --network pn {img} sleep 600' },
    { do: '{cli} run --name done1 --network pn {img} true' },
    { do: '{cli} run --name done2 --label keep=1 {img} true' },
    { run: `{cli} container prune -f --filter label!=keep` },
    { run: `{cli} ps -a --format '{{.Names}} {{.State}}'` },
    { run: '{cli} container prune' },
    { run: `{cli} container prune -f --filter bogus=1` },
    { run: '{cli} container prune -f' },
    { run: `{cli} ps -a --format '{{.Names}} {{.State}}'` },
    { run: '{cli} container prune -f' },
    { run: `{cli} network inspect -f '{{len .Containers}}' pn` },
    { do: '{cli} rm -f up' },
    { hostBridges: true },
  ],
});
