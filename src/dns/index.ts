// The embedded DNS resolver, as the rest of pont sees it.
//
// What the container runtime must do for a container on a user-defined network:
//   - bring the namespace's loopback up: the resolver binds 127.0.0.11:53 only once lo is up
//     (before that the kernel would make it answer from the wrong address);
//   - write /etc/netns/<netns>/resolv.conf = "nameserver 127.0.0.11\noptions ndots:0\n"
//     (Docker's exact file; `ip netns exec` and the container's mount of it then use it);
//   - record the container in the store (running: true, netns, endpoints), then call
//     ensureDnsRunning({ state, waitForNetns: netns }) before starting the container's process;
//   - after rm / stop / the last disconnect, write the store and, still under the store lock,
//     call stopDnsIfUnused({ state }); delete the namespace after the store no longer lists it.
// The resolver follows the store by itself (inotify + poll): connect, disconnect and aliases
// need no call to take effect. A container takes part only while running with a netns and an
// endpoint on a non-predefined bridge/macvlan/ipvlan network (scope.ts).
// `pont dns [--supervise]` should call runDnsCommand and exit with the code it resolves to.
import { Resolver } from './resolver.js';
import { runSupervisor } from './supervisor.js';

export { dnsServedIn, ensureDnsRunning, logFile, pidFile, stopDnsIfUnused, supervisorPid, type EnsureOptions } from './supervisor.js';
export { containersNeedingDns, storeNeedsDns } from './scope.js';

const logLine = (line: string) => process.stderr.write(`${new Date().toISOString()} dns-resolver[${process.pid}] ${line}\n`);

/** Runs the resolver in this process until SIGTERM/SIGINT (or its supervisor dies). */
function runResolver(): Promise<number> {
  const parent = process.env.PONT_DNS_PARENT ? Number(process.env.PONT_DNS_PARENT) : undefined;
  return new Promise((resolve) => {
    let stopped = false;
    const stop = (why: string, code: number) => {
      if (stopped) return;
      stopped = true;
      logLine(`stopping: ${why}`);
      resolver.stop();
      resolve(code);
    };
    const resolver = new Resolver({ log: logLine, parentPid: parent, onParentGone: () => stop('supervisor gone', 0) });
    process.once('SIGTERM', () => stop('SIGTERM', 0));
    process.once('SIGINT', () => stop('SIGINT', 0));
    resolver.start();
    logLine('started');
  });
}

/** `pont dns`: the resolver in the foreground; `pont dns --supervise`: the supervisor. */
export function runDnsCommand(opts: { supervise: boolean }): Promise<number> {
  return opts.supervise ? runSupervisor() : runResolver();
}
