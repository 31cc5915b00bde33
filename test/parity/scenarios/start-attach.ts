// start -a: the container's output from this start until it stops, its exit code as the CLI's;
// only one container at a time.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'start -a: output and exit code',
  steps: [
    // detached, so that its first output is logged by both (D-logs-no-times: a foreground run's is not pont's)
    { do: `{cli} run -d --name sa {img} sh -c 'echo run; exit 4'` },
    { run: '{cli} wait sa' },
    { run: '{cli} start -a sa' },
    { run: '{cli} start --attach sa' },
    { run: '{cli} start -a sa nosuch' },
    { run: '{cli} start -a nosuch' },
    { run: '{cli} logs sa' },
    { do: '{cli} rm sa' },
  ],
});
