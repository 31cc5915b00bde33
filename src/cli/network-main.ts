// `pont network`'s changing verbs alone, as main.ts registers them: what bin/pont starts for
// `network create`, `rm` (`remove`), `connect`, `disconnect` and `prune` without a help flag. A
// command's start reads and compiles its whole bundle; this one is 52% of main.ts's. Everything
// else is main.ts's: bin/pont never starts this one for it (read-main.ts says more).
import { type CommandSet, runCli } from './cli.js';
import { registerNetworkConnect } from './network/connect.js';
import { registerNetworkCreate } from './network/create.js';
import { registerNetworkDisconnect } from './network/disconnect.js';
import { registerNetworkPrune } from './network/prune.js';
import { registerNetworkRm } from './network/rm.js';

const NETWORK_COMMANDS: CommandSet = {
  network: [
    [['create'], registerNetworkCreate], [['rm', 'remove'], registerNetworkRm], [['connect'], registerNetworkConnect],
    [['disconnect'], registerNetworkDisconnect], [['prune'], registerNetworkPrune],
  ],
  container: [],
  more: [],
  system: [],
};

runCli(NETWORK_COMMANDS);
