// network connect --ip / --alias, and what inspect shows for a connect-attached network.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'connect: --ip and --alias, their refusals, IPAMConfig and Aliases in inspect',
  steps: [
    { do: '{cli} network create n' },
    { do: '{cli} network create --subnet 10.10.0.0/24 sn' },
    { do: '{cli} run -d --name c1 --network n {img} sleep 600' },
    { do: '{cli} run -d --name c3 --network n {img} sleep 600' },
    { do: '{cli} run -d --name i1 --network sn --ip 10.10.0.50 {img} sleep 600' },
    { do: '{cli} run -d --name k1 {img} sleep 600' },
    { run: '{cli} network connect --ip 10.10.0.60 sn k1' },
    { run: '{cli} network connect --ip 10.10.0.61 n k1' },
    { run: '{cli} network connect --ip 10.10.0.50 sn c1' },
    { run: '{cli} network connect --ip 10.99.0.1 sn c3' },
    { run: '{cli} network connect --alias foo sn c3' },
    { containerInspect: 'k1', paths: ['NetworkSettings.Networks'] },
    { containerInspect: 'c3', paths: ['NetworkSettings.Networks'] },
    { links: ['k1', 'c3'] },
  ],
});
