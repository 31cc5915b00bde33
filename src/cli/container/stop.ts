// `pont stop`: each named container in turn, SIGTERM then SIGKILL after --time.
import type { Command } from 'commander';
import { boundStopTimeout } from '../../engine/container/stop-timeout.js';
import { intFlag, parseFlags } from '../args.js';
import { eachContainer, requireRefs } from './shared.js';

export function registerStop(program: Command, group: string): void {
  program
    .command('stop')
    .description('Stop one or more running containers')
    .argument('[containers...]')
    .option('-t, --time <seconds>', 'Seconds to wait for stop before killing it', '10')
    .action(async (refs: string[], o) => {
      // a flag's error comes first, as pflag's does
      const wait = parseFlags(`${group}stop`, () => boundStopTimeout(intFlag('-t, --time', o.time)));
      requireRefs(`${group}stop`, 'Stop one or more running containers', refs);
      const { stopContainer } = await import('../../engine/container/index.js');
      await eachContainer(refs, (ctx, ref) => stopContainer(ctx, ref, wait));
    });
}
