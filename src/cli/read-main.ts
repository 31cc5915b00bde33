// The read-only verbs alone, as main.ts registers them: what bin/pont starts for `network ls`
// (`list`), `network inspect`, `inspect` and `ps` without a help flag. Their bundle is 54% of the
// size of main.ts's, and a command's start reads, decodes and compiles all of its bundle: 4.5 ms
// less from the script's start to the compiled bundle (network ls, 2-core machine, 15 runs).
// Their arguments in plain spellings are read without commander (read-argv.ts): it is loaded,
// and the program built, only for anything else (help, errors, other spellings), as cli.ts does
// for every command. Everything else (help, errors naming other commands) is main.ts's: bin/pont
// never starts this one for them.
import { registerInspect, inspectObjects, type InspectOptions } from './container/inspect.js';
import { registerPs, ps, type PsOptions } from './container/ps.js';
import type { CommandSet } from './cli.js';
import { reportError, runToExit } from './exit.js';
import { handOverToMain, MainBundleNeeded } from './handover.js';
import { registerNetworkInspect, networkInspect, type NetworkInspectOptions } from './network/inspect.js';
import { registerNetworkLs, networkLs, type NetworkLsOptions } from './network/ls.js';
import { type ReadCall, readPlainArgs } from './read-argv.js';

const READ_COMMANDS: CommandSet = {
  network: [[['ls', 'list'], registerNetworkLs], [['inspect'], registerNetworkInspect]],
  container: [['ps', registerPs], ['inspect', registerInspect]],
  more: [],
  system: [],
};

/** The command's action, as commander calls it for the same arguments. */
function act(call: ReadCall): Promise<void> {
  switch (call.verb) {
    case 'network-ls':
      return networkLs(call.opts as unknown as NetworkLsOptions);
    case 'network-inspect':
      return networkInspect(call.names, call.opts as NetworkInspectOptions);
    case 'inspect':
      return inspectObjects(call.names, call.opts as InspectOptions, false);
    case 'ps':
      return ps(call.opts as unknown as PsOptions, '');
  }
}

const call = readPlainArgs(process.argv.slice(2));
if (call) {
  runToExit(async () => {
    try {
      await act(call);
      return 0;
    } catch (e) {
      return e instanceof MainBundleNeeded ? handOver(e) : reportError(e, false);
    }
  });
} else {
  void import('./cli.js').then(({ runCli }) => runCli(READ_COMMANDS, (e) => (e instanceof MainBundleNeeded ? handOver(e) : undefined)));
}

/** main.js runs the command from here (null), or the reason it cannot is said (an exit code). */
function handOver(e: MainBundleNeeded): number | null {
  try {
    return handOverToMain() ? null : reportError(e, false);
  } catch (failed) {
    // main.js could not be compiled or started (a build cut short)
    return reportError(failed, false);
  }
}
