// kill: the default KILL, a signal by name or number, a signal the container survives, a bad
// signal, a container that is not running and one that does not exist.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'kill: signals, and its errors',
  steps: [
    { do: '{cli} run -d --name k1 {img} sleep 600' },
    { do: `{cli} run -d --name k2 {img} sh -c 'trap "" USR1; sleep 600'` },
    { run: '{cli} kill -s NOPE k1' },
    { run: '{cli} kill nosuch' },
    { run: '{cli} kill -s usr1 k2' },
    { run: `{cli} ps --format '{{.Names}}'` },
    { run: '{cli} kill -s 9 k2 nosuch' },
    { run: '{cli} kill k1' },
    { run: '{cli} kill k1' },
    { run: `{cli} ps -a --format '{{.Names}} {{.State}}'` },
    { run: '{cli} kill' },
    { run: '{cli} rm k1 k2' },
  ],
});
