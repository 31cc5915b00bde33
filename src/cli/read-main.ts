// The read-only verbs alone, as main.ts registers them: what bin/pont starts for `network ls`
// (`list`), `network inspect`, `inspect` and `ps` without a help flag. Their bundle is 54% of the
// size of main.ts's, and a command's start reads, decodes and compiles all of its bundle: 4.5 ms
// less from the script's start to the compiled bundle (network ls, 2-core machine, 15 runs).
// Everything else (help, errors naming other commands) is main.ts's: bin/pont never starts this
// one for them.
import { registerInspect } from './container/inspect.js';
import { registerPs } from './container/ps.js';
import { type CommandSet, runCli } from './cli.js';
import { registerNetworkInspect } from './network/inspect.js';
import { registerNetworkLs } from './network/ls.js';

const READ_COMMANDS: CommandSet = {
  network: [[['ls', 'list'], registerNetworkLs], [['inspect'], registerNetworkInspect]],
  container: [['ps', registerPs], ['inspect', registerInspect]],
  more: [],
  system: [],
};

runCli(READ_COMMANDS);
