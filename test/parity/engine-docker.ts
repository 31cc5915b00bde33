// The reference engine: a private dockerd 20.10 in its own throwaway sandbox (new net + mount +
// pid namespaces, tmpfs on /run and /etc/docker), as /work/shared/docker-reference.md prescribes.
// Nothing is pulled: image `bb` is a busybox-static rootfs imported once per engine. dockerd,
// containerd and every container die with the sandbox's init, a shell blocked reading a pipe
// from this process.
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { shIn, startInit, stopInit } from '../helpers/namespace-init.js';
import type { Engine, RunOptions, RunResult } from './engine.js';

export const DOCKER = '/usr/bin/docker';
const DOCKERD = '/usr/sbin/dockerd';
const SOCK = 'unix:///run/dsock';

const INIT = `
set -e
mount --make-rprivate /
mount -t tmpfs -o mode=755 tmpfs /run
mount -t tmpfs -o mode=700 tmpfs /etc/docker
ip link set lo up
echo READY
read -r _ || true
`;

// --config-file points into the sandbox, so no daemon.json of the machine applies
const START = `
echo '{}' > /run/daemon.json
mkdir -p /run/dcfg
setsid ${DOCKERD} --config-file /run/daemon.json --data-root /run/dd --exec-root /run/dx -H ${SOCK} --pidfile /run/dpid </dev/null >>/run/dlog 2>&1 &
for i in $(seq 1 300); do ${DOCKER} info >/dev/null 2>&1 && exit 0; sleep 0.1; done
echo "dockerd did not answer within 30s:"; tail -5 /run/dlog; exit 1
`;

const IMPORT = `
set -e
R=/run/bbroot; mkdir -p $R/bin $R/etc $R/tmp
cp /bin/busybox $R/bin/busybox
for a in $(/bin/busybox --list); do [ -e $R/bin/$a ] || ln -s busybox $R/bin/$a; done
tar -C $R -c . | ${DOCKER} import - bb >/dev/null
rm -rf $R
`;

/** Why this machine cannot run the reference engine, or null when it can try. */
export function dockerUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'needs root to create namespaces';
  for (const bin of [DOCKER, DOCKERD, '/usr/bin/containerd', '/bin/busybox']) {
    if (!existsSync(bin)) return `${bin} is missing`;
  }
  return null;
}

export class DockerEngine implements Engine {
  readonly kind = 'docker' as const;
  readonly cli = DOCKER;
  readonly img = 'bb';

  private constructor(private readonly init: ChildProcess, private readonly pid: number) {}

  /** Starts the sandbox, dockerd in it, and imports `bb`. Throws with dockerd's log on failure. */
  static async start(): Promise<DockerEngine> {
    const engine = await DockerEngine.sandbox();
    try {
      await engine.startDaemon();
      const version = (await engine.sh(`${DOCKER} version --format '{{.Server.Version}}'`)).stdout.trim();
      if (!version.startsWith('20.10')) throw new Error(`dockerd is ${version || 'unknown'}, not 20.10`);
      const imp = await engine.sh(IMPORT, { timeoutMs: 60_000 });
      if (imp.exitCode !== 0) throw new Error(`docker import failed: ${imp.stderr}`);
      return engine;
    } catch (e) {
      await engine.destroy();
      throw e;
    }
  }

  private static async sandbox(): Promise<DockerEngine> {
    const { child, pid } = await startInit(INIT, 'docker sandbox', 10_000);
    return new DockerEngine(child, pid);
  }

  private async startDaemon(): Promise<void> {
    const r = await this.sh(START, { timeoutMs: 45_000 });
    if (r.exitCode !== 0) throw new Error(`dockerd failed to start: ${r.stdout}${r.stderr}`);
  }

  sh(command: string, opts: RunOptions = {}): Promise<RunResult> {
    return shIn(this.pid, command, { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', DOCKER_HOST: SOCK, DOCKER_CONFIG: '/run/dcfg' }, opts);
  }

  async inContainerNetns(name: string, cmd: string): Promise<string> {
    const pid = (await this.sh(`${DOCKER} inspect -f '{{.State.Pid}}' ${name}`)).stdout.trim();
    return `nsenter -t ${/^\d+$/.test(pid) && pid !== '0' ? pid : 'NOPID'} -n ${cmd}`;
  }

  async restart(): Promise<void> {
    await this.sh('kill $(cat /run/dpid); for i in $(seq 1 200); do [ -e /run/dpid ] || exit 0; sleep 0.05; done; exit 1', { timeoutMs: 20_000 });
    await this.startDaemon();
  }

  destroy(): Promise<void> {
    return stopInit(this.init, 10_000);
  }
}
