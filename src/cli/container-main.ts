// The container verbs but the read-only ones, as main.ts registers them at the top level: what
// bin/pont starts for `run`, `rm`, `stop`, `kill`, `start`, `restart`, `exec`, `logs`, `port` and `wait` without
// a help flag. A command's start reads and compiles its whole bundle; this one is 56% of
// main.ts's. Everything else is main.ts's: bin/pont never starts this one for it (`pont
// container run` included: the group lists all its verbs).
import { registerExec } from './container/exec.js';
import { registerLogs } from './container/logs.js';
import { registerPort } from './container/port.js';
import { registerRestart } from './container/restart.js';
import { registerRm } from './container/rm.js';
import { registerRun } from './container/run.js';
import { registerStart } from './container/start.js';
import { registerStop } from './container/stop.js';
import { registerKill } from './container/kill.js';
import { registerWait } from './container/wait.js';
import { type CommandSet, runCli } from './cli.js';

const CONTAINER_COMMANDS: CommandSet = {
  network: [],
  container: [
    ['run', registerRun], ['exec', registerExec], ['stop', registerStop], ['kill', registerKill], ['start', registerStart],
    ['restart', registerRestart], ['rm', registerRm], ['logs', registerLogs], ['port', registerPort], ['wait', registerWait],
  ],
  more: [],
  system: [],
};

runCli(CONTAINER_COMMANDS);
