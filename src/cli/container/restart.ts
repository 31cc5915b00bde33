// `pont restart`: stop then start, each named container in turn.
import type { Command } from 'commander';
import { boundStopTimeout } from '../../engine/container/stop-timeout.js';
import { intFlag, parseFlags } from '../args.js';
import { eachContainer, requireRefs } from './shared.js';

export function registerRestart(program: Command, group: string): void {
  program
    .command('restart')
    .description('Restart one or more containers')
    .argument('[containers...]')
    .option('-t, --time <seconds>', 'Seconds to wait for stop before killing the container', '10')
    .action(async (refs: string[], o) => {
      // a flag's error comes first, as pflag's does
      const wait = parseFlags(`${group}restart`, () => boundStopTimeout(intFlag('-t, --time', o.time)));
      requireRefs(`${group}restart`, 'Restart one or more containers', refs);
      const { startContainer, stopContainer } = await import('../../engine/container/index.js');
      await eachContainer(refs, async (ctx, ref) => {
        await stopContainer(ctx, ref, wait);
        await startContainer(ctx, ref);
      });
    });
}
