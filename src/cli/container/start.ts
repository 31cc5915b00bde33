// `pont start`: each named container in turn; Docker names the failed ones at the end.
import type { Command } from 'commander';
import { eachContainer, requireRefs } from './shared.js';

export function registerStart(program: Command, group: string): void {
  program
    .command('start')
    .description('Start one or more stopped containers')
    .argument('[containers...]')
    .action(async (refs: string[]) => {
      requireRefs(`${group}start`, 'Start one or more stopped containers', refs);
      const { startContainer } = await import('../../engine/container/index.js');
      await eachContainer(refs, (ctx, ref) => startContainer(ctx, ref), (failed) => `Error: failed to start containers: ${failed.join(', ')}`);
    });
}
