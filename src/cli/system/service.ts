// `pont system service`: the Docker Engine API on a unix socket, in the foreground, until SIGTERM
// or SIGINT (as `podman system service`); `DOCKER_HOST=unix:///run/pont/docker.sock docker …`
// then drives pont with Docker's own client.
import type { Command } from 'commander';
import { PontError } from '../../core/errors.js';

export function registerSystemService(system: Command): void {
  system
    .command('service')
    .description('Serve the Docker Engine API (v1.41) on a unix socket, in the foreground')
    .option('-H, --host <uri>', 'Socket to listen on', 'unix:///run/pont/docker.sock')
    .option('--log-requests', 'Print each request on stderr')
    .action(async (o) => {
      const { startService, socketPath } = await import('../../api/server.js');
      let path: string;
      try {
        path = socketPath(o.host);
      } catch (e) {
        throw new PontError((e as Error).message, { category: 'usage', exitCode: 125 });
      }
      const service = await startService({ socket: path, log: o.logRequests ? (l) => process.stderr.write(`${l}\n`) : undefined }).catch((e: Error) => {
        throw new PontError(`pont system service: ${e.message}`, { category: 'conflict' });
      });
      process.stderr.write(`pont: serving the Docker API v1.41 on unix://${path} (DOCKER_HOST=unix://${path})\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.stderr.write('pont: stopping the Docker API service\n');
          void service.close().then(resolve);
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
    });
}
