// rm and stop of running, stopped and missing containers.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'errors: rm of a running or missing container, rm -f, stop; ps -n / -l',
  steps: [
    { do: '{cli} network create n' },
    { do: '{cli} run -d --name c1 --network n {img} sleep 600' },
    { do: '{cli} run -d --name c2 --network n {img} sleep 600' },
    { run: '{cli} rm c1' },
    { run: '{cli} rm nosuch' },
    { run: '{cli} rm -f nosuch' },
    { run: '{cli} rm' },
    { run: '{cli} stop -t 0 c2' },
    { run: '{cli} stop -t 0 nosuch' },
    { run: `{cli} ps -a --format '{{.Names}} {{.State}} {{.Networks}}'` },
    // -n/--last and -l/--latest: the newest first, stopped ones too; -n is an int as pflag reads it
    { run: `{cli} ps -n 1 --format '{{.Names}}'` },
    { run: `{cli} ps -l --format '{{.Names}} {{.State}}'` },
    { run: `{cli} ps --last=0x2 --format '{{.Names}}'` },
    { run: `{cli} ps -l -n 5 --format '{{.Names}}'` },
    { run: '{cli} ps -n 1.5' },
    { run: '{cli} stop -t x c1' },
    { run: '{cli} restart --time=99999999999999999999 c1' },
    { run: '{cli} rm -v c2' },
    { run: '{cli} rm -v nosuch' },
    { run: '{cli} rm -fv c1' },
    { run: '{cli} ps -a -q' },
    { run: `{cli} network inspect -f '{{json .Containers}}' n` },
    { hostBridges: true },
  ],
});
