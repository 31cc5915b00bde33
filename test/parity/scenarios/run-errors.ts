// docker run refusals: name conflicts and rules, unknown network, two --network, alias on bridge.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'errors: run (name in use, invalid names, unknown network, two networks, alias on bridge)',
  deliberate: ['D-failed-run-leaves-nothing', 'D-api-created-has-endpoints'],
  steps: [
    { do: '{cli} network create n' },
    { do: '{cli} network create m' },
    { do: '{cli} run -d --name c1 --network n {img} sleep 600' },
    { run: '{cli} run -d --name c1 {img} sleep 600' },
    { run: '{cli} run -d --name c9 --network nosuch {img} sleep 600' },
    { run: '{cli} run -d --name c --network n {img} sleep 600' },
    { run: '{cli} run -d --name -ab {img} sleep 600' },
    { run: '{cli} run -d --name _ab {img} sleep 600' },
    { run: '{cli} run -d --name a.b_c-d {img} sleep 600' },
    // Docker lists the endpoints in map order (observed both "m, n" and "n, m")
    { run: '{cli} run -d --name cx --network n --network m {img} sleep 600', mask: '(?<=endpoints: )[^.]+' },
    { run: '{cli} run -d --name a1 --network bridge --network-alias foo {img} sleep 600' },
    { run: '{cli} run -d --name cz --network n --network-alias foo {img} sleep 600' },
    { run: '{cli} run -d --name b2 --network-alias foo {img} sleep 600' },
    { run: `{cli} ps --format '{{.Names}} {{.Networks}} {{.State}}'` },
  ],
});
