// What the CLI answers to a word that is no command and to a flag it does not know: the words,
// the command named in "See '… --help'." and the exit codes (1 for a command, 125 for a flag).
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
    { run: '{cli} network ls -q' },
  ],
});
