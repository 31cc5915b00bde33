// The nf_tables generation of this network namespace: a counter the kernel bumps once per
// committed nftables transaction, whoever commits it (nft, iptables-nft, firewalld). One
// netlink request (NFT_MSG_GETGEN), no process: cheap enough to read on every command.
import { NlSocket, parseAttrs } from './nlsock.js';

const NETLINK_NETFILTER = 12;
const NFNL_SUBSYS_NFTABLES = 10;
const NFT_MSG_GETGEN = 16;
const NFTA_GEN_ID = 1;

/** The generation, or null when it cannot be read (no nf_tables in this kernel). */
export async function nftGeneration(): Promise<number | null> {
  let sock: NlSocket;
  try {
    sock = new NlSocket(NETLINK_NETFILTER);
  } catch {
    return null;
  }
  try {
    // nfgenmsg: family AF_UNSPEC, version 0, resource id 0
    const [reply] = await sock.request((NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETGEN, 0, [Buffer.alloc(4)], 2000);
    const id = reply ? parseAttrs(reply.data, 4).get(NFTA_GEN_ID) : undefined;
    return id && id.length >= 4 ? id.readUInt32BE(0) : null;
  } catch {
    return null;
  } finally {
    sock.close();
  }
}
