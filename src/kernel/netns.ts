// Named network namespaces, the way `ip netns add/del` makes them: a bind mount of the
// namespace on /run/netns/NAME, so `ip netns exec NAME` and `ip -n NAME` just work.
// Work "inside" a namespace never moves the process: the main thread enters it only long enough
// to open a socket or a /proc/sys file, which stays bound to that namespace.
import { closeSync, existsSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { RUN_DIR } from './run-dir.js';
import { bindMount, CLONE_NEWNET, EINVAL, makeRshared, makeShared, rbindMount, setns, SyscallError, umountDetach, unshare } from './syscalls.js';

export const NETNS_DIR = '/run/netns';
export const netnsPath = (name: string) => `${NETNS_DIR}/${name}`;

let hostNsFd: number | null = null;
/** The namespace pont started in, to come back to. */
function hostFd(): number {
  hostNsFd ??= openSync('/proc/thread-self/ns/net', 'r');
  return hostNsFd;
}

/** Runs fn (synchronously) with the main thread inside namespace `ns`, then returns home. */
export function inNetns<T>(ns: string | undefined, fn: () => T): T {
  if (!ns) return fn();
  const home = hostFd();
  const fd = openSync(netnsPath(ns), 'r');
  try {
    setns(fd, CLONE_NEWNET);
    try {
      return fn();
    } finally {
      setns(home, CLONE_NEWNET);
    }
  } finally {
    closeSync(fd);
  }
}

let netnsDirShared = false;

/** Set once this boot's /run/netns was made shared with all that is mounted under it. */
const SHARED_MARK = `${RUN_DIR}/netns-shared`;

/**
 * /run/netns as iproute2 makes it before its first namespace: a mount point of its own, shared,
 * so that namespace mounts propagate between mount namespaces. Without it, the first
 * `ip netns add` after pont's would bind /run/netns onto itself and hide pont's namespace mounts
 * under it: `ip netns exec NAME` would fail and pont could no longer delete them (EBUSY).
 */
function shareNetnsDir(): void {
  if (netnsDirShared) return;
  // recursive (as iproute2 does) the first time in a boot, so that namespaces someone mounted
  // under a private /run/netns become shared too; after that, the directory alone: the mounts
  // made under a shared /run/netns are shared already, and a recursive call visits each of them
  // (~2 ms beside 500 containers)
  const first = !existsSync(SHARED_MARK);
  try {
    (first ? makeRshared : makeShared)(NETNS_DIR);
  } catch (e) {
    if (!(e instanceof SyscallError) || e.errno !== EINVAL) throw e;
    // not a mount point yet: bind it onto itself (with what is mounted under it), then share it
    rbindMount(NETNS_DIR, NETNS_DIR);
    makeRshared(NETNS_DIR);
  }
  if (first) {
    try {
      mkdirSync(RUN_DIR, { recursive: true, mode: 0o755 });
      writeFileSync(SHARED_MARK, '');
    } catch {
      // unmarked: the next command shares it recursively again
    }
  }
  netnsDirShared = true;
}

export function addNetns(name: string): void {
  mkdirSync(NETNS_DIR, { recursive: true });
  shareNetnsDir();
  const path = netnsPath(name);
  writeFileSync(path, '', { flag: 'wx' }); // EEXIST if taken: never reuse someone's namespace
  const home = hostFd();
  try {
    unshare(CLONE_NEWNET);
    try {
      bindMount('/proc/thread-self/ns/net', path);
    } finally {
      setns(home, CLONE_NEWNET);
    }
  } catch (e) {
    rmSync(path, { force: true });
    throw e;
  }
}

export function deleteNetns(name: string): void {
  const path = netnsPath(name);
  if (!existsSync(path)) return;
  try {
    umountDetach(path);
  } catch {
    // not mounted (a half-made namespace): removing the file is all that is left
  }
  rmSync(path, { force: true });
}

export const netnsExists = (name: string) => existsSync(netnsPath(name));
