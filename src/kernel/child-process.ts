// node:child_process, loaded when first used: with it come net, dgram and stream (~4 ms of a
// command's start on the 2-core test machine), and a command starts its children with
// posix_spawn (spawn.ts). The modules that keep Node's spawn (the resident DNS processes, the
// fallbacks) call this where they spawn.
import type * as ChildProcessModule from 'node:child_process';
import { builtin } from './cjs-require.js';

let loaded: typeof ChildProcessModule | null = null;

export function childProcess(): typeof ChildProcessModule {
  loaded ??= builtin('node:child_process') as typeof ChildProcessModule;
  return loaded;
}
