// wait: the exit code of a container that stopped, of one that stops while waited for (a --rm one
// included, gone from the list when it ends), and a name that is none.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'wait: exit codes, and its errors',
  steps: [
    { do: `{cli} run --name w1 {img} sh -c 'exit 3'` },
    { run: '{cli} wait w1' },
    { do: `{cli} run -d --name w2 {img} sh -c 'sleep 1; exit 7'` },
    { run: '{cli} wait w2 nosuch w1' },
    { do: `{cli} run -d --rm --name w3 {img} sh -c 'sleep 1; exit 5'` },
    { run: '{cli} wait w3' },
    { run: '{cli} wait' },
    { run: `{cli} ps -a --format '{{.Names}} {{.State}}'` },
    { do: '{cli} rm w1 w2' },
  ],
});
