// pont's entry point: every command (cli.ts runs them). bin/pont starts the smaller bundles of
// read-main.ts, network-main.ts and container-main.ts for their verbs.
import { registerContainerExited } from './container/exited.js';
import { registerExec } from './container/exec.js';
import { registerInspect } from './container/inspect.js';
import { registerLogs } from './container/logs.js';
import { registerPort } from './container/port.js';
import { registerPs } from './container/ps.js';
import { registerRestart } from './container/restart.js';
import { registerRm } from './container/rm.js';
import { registerRun } from './container/run.js';
import { registerStart } from './container/start.js';
import { registerStop } from './container/stop.js';
import { registerKill } from './container/kill.js';
import { registerWait } from './container/wait.js';
import { registerContainerPrune } from './container/prune.js';
import { type CommandSet, runCli } from './cli.js';
import { registerDns } from './dns.js';
import { registerNetworkConnect } from './network/connect.js';
import { registerNetworkCreate } from './network/create.js';
import { registerNetworkDisconnect } from './network/disconnect.js';
import { registerNetworkGraph } from './network/graph.js';
import { registerNetworkInspect } from './network/inspect.js';
import { registerNetworkLs } from './network/ls.js';
import { registerNetworkPrune } from './network/prune.js';
import { registerNetworkRm } from './network/rm.js';
import { registerSystemCheck } from './system/check.js';
import { registerSystemGc } from './system/gc.js';
import { registerSystemInfo } from './system/info.js';
import { registerSystemReload } from './system/reload.js';
import { registerSystemService } from './system/service.js';
import { registerTrace } from './trace.js';

const ALL_COMMANDS: CommandSet = {
  network: [
    [['create'], registerNetworkCreate], [['ls', 'list'], registerNetworkLs], [['inspect'], registerNetworkInspect],
    [['rm', 'remove'], registerNetworkRm], [['connect'], registerNetworkConnect], [['disconnect'], registerNetworkDisconnect],
    [['prune'], registerNetworkPrune], [['graph'], registerNetworkGraph],
  ],
  container: [
    ['run', registerRun], ['exec', registerExec], ['ps', registerPs], ['stop', registerStop], ['kill', registerKill], ['start', registerStart],
    ['restart', registerRestart], ['rm', registerRm], ['inspect', registerInspect], ['logs', registerLogs], ['port', registerPort],
    ['wait', registerWait], ['prune', registerContainerPrune],
  ],
  more: [registerDns, registerContainerExited, registerTrace],
  system: [registerSystemCheck, registerSystemReload, registerSystemGc, registerSystemInfo, registerSystemService],
  info: registerSystemInfo,
};

runCli(ALL_COMMANDS);
