// The third column: Docker's own CLI (Debian's 20.10 client, the one the reference engine uses)
// driving pont through `pont system service`, the Docker Engine API on a unix socket, in a pont
// sandbox. The service runs in the sandbox's pid namespace, so it dies with the sandbox's init.
import { Sandbox } from '../helpers/sandbox.js';
import { DOCKER } from './engine-docker.js';
import type { Engine, RunOptions, RunResult } from './engine.js';

const SOCKET = '/run/pont/docker.sock';
const ENV = { DOCKER_HOST: `unix://${SOCKET}`, DOCKER_CONFIG: '/run/pont-api-cli' };

// setsid: the service is no child of the shell that started it (that shell returns at once);
// it is ready when the socket answers a ping, the first request every docker command sends
const START = `
mkdir -p ${ENV.DOCKER_CONFIG}
setsid pont system service -H unix://${SOCKET} </dev/null >>/run/pont-api.log 2>&1 &
echo $! > /run/pont-api.pid
for i in $(seq 1 300); do
  curl -sf --unix-socket ${SOCKET} http://d/_ping >/dev/null 2>&1 && exit 0
  kill -0 $(cat /run/pont-api.pid) 2>/dev/null || break
  sleep 0.05
done
echo "pont system service did not answer within 15 s:"; tail -5 /run/pont-api.log; exit 1
`;

// SIGTERM: the service closes its socket and exits; wait until the process is gone
const STOP = `
P=$(cat /run/pont-api.pid); kill $P
for i in $(seq 1 200); do kill -0 $P 2>/dev/null || exit 0; sleep 0.05; done
echo "pont system service (pid $P) did not stop within 10 s"; exit 1
`;

export class PontApiEngine implements Engine {
  readonly kind = 'pont-api' as const;
  readonly cli = DOCKER;
  readonly img = 'alpine';

  private constructor(private readonly sb: Sandbox) {}

  static async start(): Promise<PontApiEngine> {
    const engine = new PontApiEngine(await Sandbox.create());
    try {
      await engine.startService();
      return engine;
    } catch (e) {
      await engine.destroy();
      throw e;
    }
  }

  private async startService(): Promise<void> {
    const r = await this.sb.sh(START, { timeoutMs: 30_000 });
    if (r.exitCode !== 0) throw new Error(`pont system service failed to start: ${r.stdout}${r.stderr}`);
  }

  sh(command: string, opts: RunOptions = {}): Promise<RunResult> {
    return this.sb.sh(command, { ...opts, env: { ...ENV, ...opts.env } });
  }

  /** A pont container is a named network namespace, whichever door created it. */
  async inContainerNetns(name: string, cmd: string): Promise<string> {
    return `ip netns exec ${name} ${cmd}`;
  }

  /** Stops and starts the service: pont's state lives in its store, so nothing is lost. */
  async restart(): Promise<void> {
    const r = await this.sb.sh(STOP, { timeoutMs: 20_000 });
    if (r.exitCode !== 0) throw new Error(r.stdout + r.stderr);
    await this.startService();
  }

  destroy(): Promise<void> {
    return this.sb.destroy();
  }
}
