// What this machine's kernel can do, found once at test registration (in a throwaway network
// namespace), so tests that need a missing feature are skipped with the reason in their title.
import { spawnSync } from 'node:child_process';
import { isRoot } from './sandbox.js';

function canCreate(setup: string): boolean {
  if (!isRoot()) return false;
  const r = spawnSync('unshare', ['--net', 'sh', '-c', `ip link add p0 type veth peer name p1 && ${setup}`], { stdio: 'ignore', timeout: 60_000 });
  // a probe that did not finish says nothing about the kernel: fail loudly rather than skip
  if (r.error) throw new Error(`kernel feature probe failed: ${r.error.message}`);
  return r.status === 0;
}

export const kernelHas = {
  vlan: canCreate('ip link add link p0 name p0.50 type vlan id 50'),
  ipvlan: canCreate('ip link add link p0 name iv0 type ipvlan mode l2'),
  dummy: canCreate('ip link add d0 type dummy'),
};
