// network connect / disconnect refusals.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'errors: network connect and disconnect',
  steps: [
    { do: '{cli} network create n' },
    { do: '{cli} network create m' },
    { do: '{cli} run -d --name c1 --network n {img} sleep 600' },
    { do: '{cli} run -d --name z1 --network none {img} sleep 600' },
    { do: '{cli} run -d --name h1 --network host {img} sleep 600' },
    { run: '{cli} network connect n c1' },
    { run: '{cli} network disconnect m c1' },
    { run: '{cli} network connect n z1' },
    { run: '{cli} network connect n h1' },
    { run: '{cli} network connect none c1' },
    { run: '{cli} network connect host c1' },
    { run: '{cli} network connect n nosuchctr' },
    { run: '{cli} network connect nosuchnet c1' },
    { run: '{cli} network disconnect n nosuchctr' },
    { run: '{cli} network disconnect nosuchnet c1' },
    { run: '{cli} network disconnect host h1' },
    { run: '{cli} network disconnect -f n nosuchctr' },
    { run: '{cli} network connect n' },
    { run: '{cli} network disconnect none z1' },
    { links: ['z1'] },
    { run: '{cli} network connect n z1' },
    { links: ['z1'] },
  ],
});
