// `pont system info` (and `pont info`): the part of `docker info` that pont has — containers,
// network drivers, the firewall backend — and, on a host in a cluster, Docker 20.10's "Cluster
// Store" / "Cluster Advertise" lines and the cluster's live hosts (what `docker info` never listed).
import type { Command } from 'commander';
import { VERSION } from '../../core/version.js';
import { say } from '../../kernel/stdio.js';

export function registerSystemInfo(parent: Command): void {
  parent
    .command('info')
    .description('Display system-wide information')
    .action(async () => {
      const [{ readState, clusterForInspect }, { readConfig }, { hostId }, { Store }] = await Promise.all([
        import('../../engine/read-state.js'), import('../../store/config.js'), import('../../cluster/client.js'), import('../../store/store.js'),
      ]);
      const config = readConfig();
      const state = await readState();
      const running = state.containers.filter((c) => c.running).length;
      const lines = [
        'Server:',
        ` Containers: ${state.containers.length}`,
        `  Running: ${running}`,
        '  Paused: 0',
        `  Stopped: ${state.containers.length - running}`,
        ` Server Version: pont ${VERSION}`,
        ' Plugins:',
        '  Network: bridge host ipvlan macvlan null overlay',
        ` Firewall Backend: ${config.firewallBackend}`,
      ];
      if (config.cluster) {
        lines.push(` Cluster Store: ${config.cluster.store}`, ` Cluster Advertise: ${config.cluster.advertise}`);
        const cluster = await clusterForInspect();
        const self = hostId(new Store().dir, false);
        if (cluster) {
          lines.push(` Cluster Hosts: ${cluster.hosts.length}`);
          for (const h of [...cluster.hosts].sort((a, b) => a.address.localeCompare(b.address))) {
            const eps = cluster.endpoints.filter((e) => e.host === h.id).length;
            lines.push(`  ${h.address} ${h.name} ${h.id.slice(0, 12)}${h.id === self ? ' (this host)' : ''}: ${eps} endpoint${eps === 1 ? '' : 's'}`);
          }
          lines.push(` Overlay Networks: ${cluster.networks.map((n) => n.name).sort().join(' ') || '(none)'}`);
          if (!cluster.hosts.some((h) => h.id === self)) lines.push('  (this host is not registered: it joins with its first overlay endpoint)');
        } else {
          lines.push(' Cluster Hosts: (the cluster store cannot be reached)');
        }
      }
      say(lines.join('\n'));
    });
}
