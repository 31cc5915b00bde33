// What every engine operation receives: the kernel seam, the store and where output goes.
import type { Kernel } from '../kernel/kernel.js';
import { Store } from './store.js';

export interface Context {
  kernel: Kernel;
  store: Store;
  out: (line: string) => void;
  err: (line: string) => void;
  dryRun: boolean;
}

/** The real context; the kernel module is loaded lazily so read-only commands stay light. */
export async function createContext(opts: { dryRun?: boolean } = {}): Promise<Context> {
  const { NetlinkKernel } = await import('../kernel/netlink-kernel.js');
  return {
    kernel: new NetlinkKernel(),
    store: new Store(),
    out: (l) => process.stdout.write(l + '\n'),
    err: (l) => process.stderr.write(l + '\n'),
    dryRun: Boolean(opts.dryRun),
  };
}
