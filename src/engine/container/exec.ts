// `exec`: a command in a running container's namespaces, as both doors run it (the CLI's
// `pont exec` and the Docker API's exec). Docker's exec environment is the container's, with TERM
// for the exec's own TTY and the exec's own variables; the container's capabilities only, as
// its main process (process.ts).
import { hostname } from 'node:os';
import { containerEnv } from '../../core/env.js';
import { daemonError } from '../../core/errors.js';
import type { ContainerRecord } from '../../core/model.js';
import { shellLine } from '../../core/shell.js';
import { withContainerCaps } from '../../core/steps.js';
import { isAlive } from '../../kernel/process.js';

/**
 * The argv that runs `cmd` in `ctr`: `tty` sets TERM; `pty` runs it under `script`, which gives it
 * a terminal of its own (the API's exec; the CLI's runs on the user's).
 */
export function execArgv(ctr: ContainerRecord, cmd: string[], opts: { tty: boolean; pty?: boolean; env?: string[] }): string[] {
  if (!ctr.running || !isAlive(ctr)) throw daemonError(`Container ${ctr.id} is not running`, 'conflict');
  const inner = withContainerCaps(['env', '-i', '--', ...containerEnv(ctr, opts.tty, hostname(), opts.env), ...cmd]);
  // the container's own network, UTS and mount namespaces, as Docker's exec joins its container's:
  // its mounts are those `ip netns exec` gave the container (its /etc/netns files over /etc's,
  // no /run/netns: process.ts), where a new `ip netns exec` would copy the host's whole mount
  // table again, namespace mounts included, and keep receiving the host's later ones. Entering
  // a mount namespace starts the command in its `/`, as docker exec in an image without WORKDIR
  const inNs = ctr.netns ? ['nsenter', '-t', String(ctr.pid), '--net', '--uts', '--mount', '--', ...inner] : inner;
  // script(1) from util-linux: a pseudo-terminal for the command, its exit code passed on (-e)
  return opts.pty ? ['script', '-qfec', shellLine(inNs), '/dev/null'] : inNs;
}
