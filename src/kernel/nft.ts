// nftables through nft: one `nft -f -` process per operation, one kernel transaction (all of the
// script or nothing), and listings for comparing pont's table with the store.
import { KernelError } from '../core/errors.js';
import { runTool } from './tool.js';

export const applyNft = (script: string) => runTool('nft', ['-f', '-'], script).then(() => undefined);

/** `nft -s list table FAMILY NAME` (stateless: no counter values), '' when there is no such table. */
export async function listNftTable(family: string, name: string): Promise<string> {
  try {
    return await runTool('nft', ['-s', 'list', 'table', family, name]);
  } catch (e) {
    if (e instanceof KernelError && /No such file or directory/.test(e.message)) return '';
    throw e;
  }
}

/** A base chain of any table, as `nft -j list chains` shows it. */
export interface NftBaseChain {
  family: string;
  table: string;
  name: string;
  hook: string;
  priority: number;
  policy: string;
}

/** Every base chain on the host, every table's (for other tables' drop policies). */
export async function listNftBaseChains(): Promise<NftBaseChain[]> {
  const doc = JSON.parse(await runTool('nft', ['-j', 'list', 'chains'])) as { nftables: { chain?: { family: string; table: string; name: string; hook?: string; prio?: number; policy?: string } }[] };
  return doc.nftables.flatMap((o) => (o.chain?.hook ? [{ family: o.chain.family, table: o.chain.table, name: o.chain.name, hook: o.chain.hook, priority: o.chain.prio ?? 0, policy: o.chain.policy ?? 'accept' }] : []));
}
