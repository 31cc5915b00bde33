// `pont restart`: stop then start, each named container in turn.
import type { Command } from 'commander';
import { eachContainer, requireRefs } from './shared.js';

export function registerRestart(program: Command, group: string): void {
  program
    .command('restart')
    .description('Restart one or more containers')
    .argument('[containers...]')
    .option('-t, --time <seconds>', 'Seconds to wait for stop before killing the container', '10')
    .action(async (refs: string[], o) => {
      requireRefs(`${group}restart`, 'Restart one or more containers', refs);
      const { startContainer, stopContainer } = await import('../../engine/container/index.js');
      await eachContainer(refs, async (ctx, ref) => {
        await stopContainer(ctx, ref, Number(o.time));
        await startContainer(ctx, ref);
      });
    });
}
