// The /proc through which pont reads and writes the sysctls of a container's namespace: one of
// SHARDS procfs instances of pont's own (which one: a hash of the namespace's name), each mounted
// the first time it is needed in a boot, so that the host's /proc keeps only the host's entries.
// Why: in a procfs instance, /proc/sys/net is one directory for every network namespace, and the
// entry `ipv6` of each namespace that was looked up there hangs from it in the dentry cache for
// as long as the namespace lives; a path under /proc/sys/net/ipv6 is looked up past all of them
// (proc_sys_compare). pont turns IPv6 off in each container's namespace, so beside 500 containers
// a new namespace's first path walked 500 of them (~0.6 ms, 2-core machine) and so did every
// path the host looked up there (a veth's host end, in each run and connect: ~0.4 ms). Spread
// over SHARDS instances, a container's lookup walks the few of its shard (~0.05 ms), and the
// host's /proc is left as it was before pont (~0.04 ms).
// Under a directory of root's alone (0700): an instance shows what /proc does, whatever options
// the host's /proc was given (hidepid). Mounted for good: an unmount waits for an RCU grace period
// (0.2 to 9 ms measured), which no command should pay; /run goes at reboot. Where an instance
// cannot be mounted (no mount allowed), /proc.
import { existsSync, mkdirSync } from 'node:fs';
import { RUN_DIR } from './run-dir.js';
import { mountProc } from './syscalls.js';

export const SYSCTL_PROC_DIR = `${RUN_DIR}/sysctl`;
const SHARDS = 16;

/**
 * The /proc to open the sysctls of namespace `netns` under: one of pont's instances, mounted if
 * it is not (looked at each time: a resident process outlives an unmount), or /proc.
 */
export function sysctlProc(netns: string): string {
  const dir = `${SYSCTL_PROC_DIR}/${shardOf(netns)}`;
  try {
    if (!existsSync(`${dir}/sys`)) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      mountProc(dir);
    }
    return dir;
  } catch {
    // no mount allowed here: the host's /proc, as before
    return '/proc';
  }
}

/** FNV-1a of the name, over SHARDS. */
export function shardOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return (h >>> 0) % SHARDS;
}
