// The cluster agent as a child of the DNS supervisor (dns/supervisor.ts), which already runs
// while any user-defined network exists and restarts what dies: the agent runs while a container
// of this host has an endpoint on an overlay network, is restarted (with a growing delay) if it
// dies, and is stopped with SIGTERM (it then revokes the host's lease) once none is left.
import type { ChildProcess } from 'node:child_process';
import { childProcess } from '../kernel/child-process.js';
import type { State } from '../core/model.js';

export const storeWantsAgent = (state: State): boolean => {
  const overlays = new Set(state.networks.filter((n) => n.driver === 'overlay').map((n) => n.id));
  return overlays.size > 0 && state.containers.some((c) => c.endpoints.some((e) => overlays.has(e.networkId)));
};

const RESTART_MIN_MS = 100;
const RESTART_MAX_MS = 5000;

export interface AgentChild {
  want(wanted: boolean): void;
  /** Stops it for good (the supervisor's shutdown); resolves once it has exited. */
  stop(): Promise<void>;
}

export function agentChild(main: string, logFd: number, log: (line: string) => void): AgentChild {
  let child: ChildProcess | null = null;
  let wanted = false;
  let stopped = false;
  let delay = RESTART_MIN_MS;
  let timer: NodeJS.Timeout | null = null;
  // SIGTERM sent (no overlay endpoint was left): an exit that follows is ours, not a failure
  let terminating = false;

  const start = () => {
    timer = null;
    if (child || !wanted || stopped) return;
    const startedAt = Date.now();
    // stdin: a pipe we never write to; its end tells the agent we died (it then exits, lease kept)
    const c = childProcess().spawn(process.execPath, [main, '--cluster-agent'], { stdio: ['pipe', logFd, logFd] });
    c.stdin?.on('error', () => {});
    child = c;
    log(`cluster agent ${c.pid} started`);
    c.on('exit', (code, signal) => {
      child = null;
      const asked = terminating;
      terminating = false;
      if (stopped || !wanted) return;
      // wanted again while it was leaving (a run came with the SIGTERM): a new agent at once,
      // which takes a lease again and writes the new endpoint under it
      if (asked) return start();
      // exit 0: nothing to do (no cluster in the config); tried again at the next change of the store
      if (code === 0) return;
      delay = Date.now() - startedAt > 10_000 ? RESTART_MIN_MS : Math.min(delay * 2, RESTART_MAX_MS);
      log(`cluster agent ${c.pid} exited (${signal ?? code}); restarting in ${delay} ms`);
      timer = setTimeout(start, delay);
    });
    c.on('error', (e) => log(`cluster agent could not run: ${e.message}`));
  };

  return {
    want(w) {
      wanted = w;
      if (w && !child && !timer) start();
      if (!w && child && !terminating) {
        terminating = true;
        child.kill('SIGTERM');
      }
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      const c = child;
      if (!c) return Promise.resolve();
      return new Promise((resolve) => {
        const kill = setTimeout(() => c.kill('SIGKILL'), 3000);
        c.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        c.kill('SIGTERM');
      });
    },
  };
}
