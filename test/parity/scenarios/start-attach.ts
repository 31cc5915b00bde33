// start -a: the container's output from this start until it stops, its exit code as the CLI's;
// only one container at a time. And a foreground run's output is in the log, as a detached one's.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'start -a: output and exit code',
  steps: [
    { do: `{cli} run -d --name sa {img} sh -c 'echo run; exit 4'` },
    { run: '{cli} wait sa' },
    { run: '{cli} start -a sa' },
    { run: '{cli} start --attach sa' },
    { run: '{cli} start -a sa nosuch' },
    { run: '{cli} start -a nosuch' },
    { run: '{cli} logs sa' },
    { do: '{cli} rm sa' },
    { run: `{cli} run --name fr {img} sh -c 'echo one; echo two; exit 2'` },
    { run: '{cli} logs fr' },
    { run: '{cli} start -a fr' },
    { run: '{cli} logs fr' },
    { do: '{cli} rm fr' },
  ],
});
