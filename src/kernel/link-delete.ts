// Deleting a link of the host's namespace without waiting for the kernel's clean-up after it.
// The kernel unlists a deleted link (gone from `ip link`, its name free, its sysctls gone) and
// announces it (RTM_DELLINK to RTNLGRP_LINK) about half-way through the request; the rest is an
// RCU barrier and a wait for the device's last references (netdev_run_todo, after the rtnl lock
// is released), in the thread that sent the request: `ip link del` of a bridge takes ~45 ms on
// the 2-core machine (kernel 6.18), announced at ~22; of a veth ~33, announced at ~11. Sent from
// pont's own thread, that wait would hold the command, and a thread blocked in the kernel holds
// its process's exit too; so the request is one `ip link del dev NAME` (iproute2; what
// `--explain` prints for this step, `dev` spelled out) started by posix_spawn, and the step is done when the kernel
// announces the link gone, or when `ip` exits (a failure: its own line). The child keeps the
// store's lock open (`holdFd`) until it ends: no other pont command starts before the kernel is
// through with the link, and a crash in between is rolled back only after it.
import { closeSync, openSync, readSync } from 'node:fs';
import { KernelError } from '../core/errors.js';
import { NETLINK_TIMEOUT_MS, NetlinkWatch, parseAttrs } from './nlsock.js';
import { pipe, pollExit, posixSpawn, SpawnError } from './spawn.js';

const RTM_DELLINK = 17;
const RTMGRP_LINK = 1;
const IFLA_IFNAME = 3;
const IFINFOMSG_SIZE = 16;

/** The name a RTM_DELLINK announcement carries (IFLA_IFNAME), or null for any other message. */
export function deletedLinkName(type: number, data: Buffer): string | null {
  if (type !== RTM_DELLINK || data.length < IFINFOMSG_SIZE) return null;
  const name = parseAttrs(data, IFINFOMSG_SIZE).get(IFLA_IFNAME);
  if (!name) return null;
  const end = name.indexOf(0);
  return name.toString('latin1', 0, end < 0 ? name.length : end);
}

/**
 * What `ip` wrote on stderr, read once it has exited (its pipe holds it all then): no read of it
 * waits in libuv's thread pool, which Node's exit joins, and so would wait for `ip` after all.
 */
function stderrOf(fd: number): string {
  const chunks: Buffer[] = [];
  const buf = Buffer.allocUnsafe(4096);
  try {
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) chunks.push(Buffer.from(buf.subarray(0, n)));
  } catch {
    // what was read is what there is
  }
  return Buffer.concat(chunks).toString();
}

/**
 * Deletes `name` from the host's namespace; resolves true once the kernel has unlisted it, false
 * when there is no `ip` to run. A failure (no such link: "Cannot find device", which the step
 * tolerates) is `ip`'s own line.
 */
export async function deleteLinkDetached(name: string, opts: { holdFd?: number } = {}): Promise<boolean> {
  const command = `ip link del ${name}`;
  // subscribed before the request: its announcement cannot come before the watch
  const watch = new NetlinkWatch(RTMGRP_LINK);
  let stderr: [number, number] | null = null;
  let devNull: number | null = null;
  let pid: number;
  try {
    stderr = pipe();
    devNull = openSync('/dev/null', 'r+');
    pid = posixSpawn('ip', ['link', 'del', 'dev', name], {
      stdio: [devNull, devNull, stderr[1]],
      env: process.env,
      ...(opts.holdFd !== undefined ? { keep: [opts.holdFd] } : {}),
    });
  } catch (e) {
    watch.close();
    if (stderr) stderr.forEach((fd) => closeSync(fd));
    // no `ip` to run (a host without iproute2): the caller sends the request itself
    if (e instanceof SpawnError) return false;
    throw new KernelError(command, (e as Error).message, e);
  } finally {
    if (devNull !== null) closeSync(devNull);
  }
  closeSync(stderr[1]);
  const errFd = stderr[0];
  let errClosed = false;
  const closeErr = () => {
    if (!errClosed) closeSync(errFd);
    errClosed = true;
  };
  let timer: NodeJS.Timeout | undefined;
  let exit: { unref(): void } | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      watch.onMessage = (type, data) => {
        if (deletedLinkName(type, data) === name) resolve();
      };
      // `ip` ended without the announcement (it failed, or the watch missed it): its exit tells;
      // after the announcement it is reaped here too, if this process still runs then
      let timedOut = false;
      exit = pollExit(pid, ({ code, signal }) => {
        // reaped elsewhere (code and signal unknown): nothing to read in its pipe
        const unknown = code === null && signal === null;
        const text = code === 0 || unknown ? '' : stderrOf(errFd).trim();
        closeErr();
        if (code === 0) resolve();
        else if (timedOut) reject(new KernelError(command, `no answer within ${NETLINK_TIMEOUT_MS / 1000} s (killed by SIGKILL)`));
        else reject(new KernelError(command, text || (signal !== null ? `killed by signal ${signal}` : unknown ? 'its exit was not seen' : `exit ${code}`)));
      });
      // killed, it is failed only once reaped (or done, if the kernel announces the link gone
      // first): an ip that waits for the rtnl lock dies only after its request, and an undo that
      // made the link again before it would see it deleted
      timer = setTimeout(() => {
        timedOut = true;
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone already
        }
      }, NETLINK_TIMEOUT_MS);
    });
  } finally {
    clearTimeout(timer);
    watch.close();
    // the poll holds the process no longer: `ip` is left to init (or the pid namespace's first
    // process) if this one exits first, as a command's detached children are
    exit?.unref();
  }
  return true;
}
