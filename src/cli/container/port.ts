// `pont port`: a container's published ports, all or the one asked for.
import type { Command } from 'commander';
import { PontError } from '../../core/errors.js';
import { argCountError, refuseControl } from '../args.js';
import { readState } from '../context.js';
import { requireContainer } from './shared.js';
import { say } from '../../kernel/stdio.js';

export function registerPort(program: Command, group = ''): void {
  program
    .command('port')
    .description('List port mappings or a specific mapping for the container')
    .argument('[args...]', 'CONTAINER [PRIVATE_PORT[/PROTO]]')
    .action(async (args: string[]) => {
      if (args.length < 1 || args.length > 2) throw argCountError(`${group}port`, 'at least 1 and at most 2 arguments', 'CONTAINER [PRIVATE_PORT[/PROTO]]', 'List port mappings or a specific mapping for the container');
      const [ref, priv] = args as [string, string | undefined];
      refuseControl('', args);
      const state = await readState();
      const ctr = requireContainer(state, ref);
      const [port, proto = 'tcp'] = (priv ?? '').split('/');
      // a stopped container publishes nothing
      const list = ctr.running ? ctr.ports.filter((p) => !priv || (String(p.containerPort) === port && p.proto === proto)) : [];
      if (priv && !list.length) throw new PontError(`Error: No public port '${port}/${proto}' published for ${ref}`, { category: 'not-found' });
      for (const p of list) say(priv ? `${p.hostIp || '0.0.0.0'}:${p.hostPort}` : `${p.containerPort}/${p.proto} -> ${p.hostIp || '0.0.0.0'}:${p.hostPort}`);
    });
}
