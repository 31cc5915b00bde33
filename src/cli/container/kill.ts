// `pont kill`: a signal (KILL unless -s says another) to each named container's process, as
// `docker kill`; a deadly one returns once the container's exit is recorded (engine/container/kill.ts).
import type { Command } from 'commander';
import { daemonError } from '../../core/errors.js';
import { parseSignalName } from '../../core/signals.js';
import { refuseControl } from '../args.js';
import { eachContainer, requireRefs } from './shared.js';

export function registerKill(program: Command, group: string): void {
  program
    .command('kill')
    .description('Kill one or more running containers')
    .argument('[containers...]')
    .option('-s, --signal <string>', 'Signal to send to the container (default "KILL")', 'KILL')
    .action(async (refs: string[], o: { signal: string }) => {
      requireRefs(`${group}kill`, 'Kill one or more running containers', refs);
      refuseControl('-s, --signal', [o.signal]);
      // an empty -s is the default, as dockerd takes it; a bad one is dockerd's error for each name
      const signal = o.signal === '' ? 'SIGKILL' : parseSignalName(o.signal);
      const { killContainer } = await import('../../engine/container/kill.js');
      await eachContainer(refs, (ctx, ref) => {
        if (!signal) throw daemonError(`Invalid signal: ${o.signal}`, 'usage');
        return killContainer(ctx, ref, signal);
      });
    });
}
