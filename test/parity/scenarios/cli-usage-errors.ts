// What the CLI answers to a word that is no command, a flag it does not know, a wrong number of
// arguments, a flag without its value and a help topic that is none: the words, the command named in "See '… --help'."
// and the exit codes (1 for a command or a count, 125 for a flag).
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'errors: an unknown command or flag',
  steps: [
    { run: '{cli} bogus' },
    // the group's usage on stderr: Docker's help text is not pont's, so not compared
    { run: '{cli} network bogus', compare: ['stdout', 'exit'] },
    { run: '{cli} container bogus', compare: ['stdout', 'exit'] },
    // Docker prints its whole usage after the two lines: not compared
    { run: '{cli} --bogus ls', compare: ['stdout', 'exit'] },
    { run: '{cli} network ls --bogus' },
    { run: '{cli} network --bogus ls', compare: ['stdout', 'exit'] },
    { run: '{cli} network ls -z=1' },
    { run: '{cli} run -dz {img} true' },
    { run: '{cli} network list -z' },
    { run: '{cli} container ls --xx=1' },
    { run: '{cli} network create --nosuch n' },
    { run: '{cli} run --bogus {img} true' },
    // a wrong number of arguments where commander counts them
    { run: '{cli} network ls extra' },
    { run: '{cli} ps extra' },
    { run: '{cli} logs' },
    { run: '{cli} container logs a b' },
    { run: '{cli} port' },
    { run: '{cli} run' },
    { run: '{cli} help bogus' },
    { run: '{cli} help network bogus' },
    { run: '{cli} network ls -q' },
    // a flag given last without its value: long and short, and a short one among others
    { run: '{cli} network create --driver' },
    { run: '{cli} network create -d' },
    { run: '{cli} run -e' },
    { run: '{cli} run -de' },
    { run: '{cli} container run --network' },
    { run: '{cli} exec -e' },
    { run: '{cli} ps --filter' },
    { run: '{cli} network connect --alias' },
    // the root's own flags: booleans that take a value (strconv.ParseBool), shorthands combined,
    // the first error stops the command (Docker prints its usage after the two lines)
    { run: '{cli} -vx', compare: ['stdout', 'exit'] },
    { run: '{cli} -v=', compare: ['stdout', 'exit'] },
    { run: '{cli} --debug=maybe network ls', compare: ['stdout', 'exit'] },
    { run: '{cli} --bogus -vx', compare: ['stdout', 'exit'] },
    { run: '{cli} --debug=1 network ls -q' },
    { run: '{cli} -D network ls -q' },
    { run: '{cli} --debug=false --version=0 network ls -q' },
  ],
});
