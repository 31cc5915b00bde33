// Network names are not validated: spaces, one character and a leading dash are accepted.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'network create: unusual names are accepted',
  steps: [
    { run: `{cli} network create 'bad name'` },
    { run: '{cli} network create a' },
    { run: '{cli} network create -- -x' },
    { run: `{cli} network ls --format '{{.Name}}|{{.Driver}}'` },
    { run: `{cli} network rm 'bad name' a -- -x` },
  ],
});
