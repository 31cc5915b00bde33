// `pont port`: a container's published ports, all or the one asked for.
import type { Command } from 'commander';
import { PontError } from '../../core/errors.js';
import { readState } from '../context.js';
import { requireContainer } from './shared.js';
import { say } from '../../kernel/stdio.js';

export function registerPort(program: Command): void {
  program
    .command('port')
    .description('List port mappings or a specific mapping for the container')
    .argument('<container>')
    .argument('[private]')
    .action(async (ref: string, priv: string | undefined) => {
      const state = await readState();
      const ctr = requireContainer(state, ref);
      const [port, proto = 'tcp'] = (priv ?? '').split('/');
      // a stopped container publishes nothing
      const list = ctr.running ? ctr.ports.filter((p) => !priv || (String(p.containerPort) === port && p.proto === proto)) : [];
      if (priv && !list.length) throw new PontError(`Error: No public port '${port}/${proto}' published for ${ref}`, { category: 'not-found' });
      for (const p of list) say(priv ? `${p.hostIp || '0.0.0.0'}:${p.hostPort}` : `${p.containerPort}/${p.proto} -> ${p.hostIp || '0.0.0.0'}:${p.hostPort}`);
    });
}
