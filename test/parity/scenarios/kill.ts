// kill: the default KILL, a signal by name or number, a signal the container survives, a bad
// signal, a container that is not running and one that does not exist; the real-time signals by
// Docker's names and by number (a trap shows each one came), and the numbers Linux has no signal
// for, refused after the container is found.
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
    { do: `{cli} run -d --name k3 {img} sh -c 'trap "echo got 40" 40; trap "echo got 64" 64; while :; do sleep 1 & wait; done'` },
    // its traps set before the first signal: a run returns once the process is started, and a
    // signal 40 that comes before the shell's trap ends it (seen once, on a loaded machine)
    { host: 'sleep 0.5' },
    { run: '{cli} kill -s 40 k3' },
    { host: 'sleep 0.5' },
    { run: '{cli} kill -s SIGRTMAX k3' },
    { host: 'sleep 0.5' },
    { run: '{cli} kill -s rtmin+6 k3' },
    { host: 'sleep 0.5' },
    { run: '{cli} logs k3' },
    { run: '{cli} kill -s 0 k3' },
    { run: '{cli} kill -s RTMIN+16 k3' },
    { run: '{cli} kill -s 0x10 k3' },
    { run: '{cli} kill -s 32 k3' },
    { run: '{cli} kill -s -1 k3' },
    { run: '{cli} kill -s 99 nosuch' },
    { run: `{cli} ps --format '{{.Names}}'` },
    { do: '{cli} rm -f k3' },
    { run: '{cli} rm k1 k2' },
  ],
});
