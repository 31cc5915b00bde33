// pont's chains, with Docker's structure under pont's own names, so pont can run beside Docker
// and never touches a rule it did not write. Packet paths (filter FORWARD, nat):
//
//   raw PREROUTING ──► PONT-PREROUTING  (drop 127/8 from outside, and packets for a network's
//                                         containers that do not come from its bridge: before any DNAT)
//   FORWARD ──► PONT-FORWARD ──► PONT-USER            (user rules, first say)
//                            ──► PONT-ISOLATION-STAGE-1: internal bridges: DROP what crosses them;
//                                  other bridges: -i br ! -o br ─► PONT-ISOLATION-STAGE-2:
//                                  DNATed (published ports) RETURN, else -o other br DROP
//                            ──► per bridge: established ACCEPT, -o br → PONT (published ports),
//                                            -i br out ACCEPT, -i br -o br ACCEPT|DROP (icc)
//   INPUT ──► PONT-INPUT  (internal bridges: only replies and pings of their own gateway reach the host)
//   PREROUTING / OUTPUT (dst LOCAL) ──► nat PONT  (DNAT of published ports, see ports.ts)
//   POSTROUTING ──► PONT-POSTROUTING  (MASQUERADE of each subnet leaving its bridge)
//
// Every per-bridge rule of the isolation chains is inserted at a fixed position (stage 1: 1,
// stage 2: 2, after its DNAT RETURN) that no other rule moves.
import type { NetworkFirewall } from '../parts.js';
import type { ChainRef, FirewallBatch, Rule } from './rules.js';

export const CHAINS = {
  forward: 'PONT-FORWARD',
  input: 'PONT-INPUT',
  user: 'PONT-USER',
  iso1: 'PONT-ISOLATION-STAGE-1',
  iso2: 'PONT-ISOLATION-STAGE-2',
  ports: 'PONT',
  postrouting: 'PONT-POSTROUTING',
  /** raw table: drops 127.0.0.0/8 from outside the host, and packets for a network's subnet from outside its bridge. */
  raw: 'PONT-PREROUTING',
} as const;

/** Chains and jumps installed once per boot (the engine checks what is missing first). */
export function baseLayout(): FirewallBatch {
  const chains: ChainRef[] = [
    { table: 'filter', chain: CHAINS.forward },
    { table: 'filter', chain: CHAINS.input },
    { table: 'filter', chain: CHAINS.user },
    { table: 'filter', chain: CHAINS.iso1 },
    { table: 'filter', chain: CHAINS.iso2 },
    { table: 'filter', chain: CHAINS.ports },
    { table: 'nat', chain: CHAINS.ports },
    { table: 'nat', chain: CHAINS.postrouting },
    { table: 'raw', chain: CHAINS.raw },
  ];
  const rules: Rule[] = [
    { table: 'filter', chain: CHAINS.forward, spec: ['-j', CHAINS.user] },
    { table: 'filter', chain: CHAINS.forward, spec: ['-j', CHAINS.iso1] },
    { table: 'filter', chain: CHAINS.user, spec: ['-j', 'RETURN'] },
    // Docker's isolation chains end with RETURN; bridges insert their rules before it
    { table: 'filter', chain: CHAINS.iso1, spec: ['-j', 'RETURN'] },
    // published ports are meant to be reached from other networks too: traffic pont DNATed skips
    // the drop between bridges. It sits in stage 2, which only non-internal bridges jump to, so
    // stage 1's drops of internal bridges come first and a published port is no way out of one.
    { table: 'filter', chain: CHAINS.iso2, spec: ['-m', 'conntrack', '--ctstate', 'DNAT', '-j', 'RETURN'], insert: true },
    { table: 'filter', chain: CHAINS.iso2, spec: ['-j', 'RETURN'] },
    { table: 'filter', chain: 'FORWARD', spec: ['-j', CHAINS.forward], insert: true },
    { table: 'filter', chain: 'INPUT', spec: ['-j', CHAINS.input], insert: true },
    { table: 'nat', chain: 'PREROUTING', spec: ['-m', 'addrtype', '--dst-type', 'LOCAL', '-j', CHAINS.ports] },
    // unlike Docker (whose docker-proxy serves 127.0.0.1), loopback destinations are DNATed too
    { table: 'nat', chain: 'OUTPUT', spec: ['-m', 'addrtype', '--dst-type', 'LOCAL', '-j', CHAINS.ports] },
    { table: 'nat', chain: 'POSTROUTING', spec: ['-j', CHAINS.postrouting] },
    { table: 'raw', chain: 'PREROUTING', spec: ['-j', CHAINS.raw] },
    // 127.0.0.0/8 never comes from outside the host (RFC 1122), but nat PREROUTING would DNAT it
    // to a port published on 127.0.0.1 before the kernel's martian check, and route_localnet on
    // pont's bridges lets a container reach the host's loopback services (CVE-2020-8558): drop
    // it before either can happen (as Docker 28 does for loopback-published ports).
    { table: 'raw', chain: CHAINS.raw, spec: ['-d', '127.0.0.0/8', '!', '-i', 'lo', '-j', 'DROP'] },
  ];
  return { chains, rules };
}


/** Rules a bridge network adds; the inverse batch removes exactly these. */
export function bridgeNetworkRules(n: NetworkFirewall): FirewallBatch {
  const br = n.bridge;
  const f = (chain: string, ...spec: string[]): Rule => ({ table: 'filter', chain, spec });
  // isolation rules go before both chains' final RETURN, and after stage 2's DNAT RETURN
  const iso = (chain: string, ...spec: string[]): Rule => ({ table: 'filter', chain, spec, insert: true, position: chain === CHAINS.iso1 ? 1 : 2 });
  const iccTarget = n.icc ? 'ACCEPT' : 'DROP';
  const guard = subnetGuard(n);
  if (n.internal) {
    // No way in or out, published ports of other networks included: drop anything crossing the
    // bridge boundary, allow inside (per icc). The host itself is outside too: a service of the
    // host listening on 0.0.0.0 (a proxy, a DNS forwarder) would otherwise be reached through
    // any of its addresses. Its replies still come in, and its gateway answers pings, as
    // Docker's does. The embedded DNS answers in each container's own namespace, not here.
    return {
      chains: [],
      rules: [
        iso(CHAINS.iso1, '!', '-s', n.subnet, '-o', br, '-j', 'DROP'),
        iso(CHAINS.iso1, '!', '-d', n.subnet, '-i', br, '-j', 'DROP'),
        f(CHAINS.forward, '-i', br, '-o', br, '-j', iccTarget),
        f(CHAINS.input, '-i', br, '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'),
        f(CHAINS.input, '-d', `${n.gateway}/32`, '-i', br, '-p', 'icmp', '-m', 'icmp', '--icmp-type', '8', '-j', 'ACCEPT'),
        f(CHAINS.input, '-i', br, '-j', 'DROP'),
        ...guard,
      ],
    };
  }
  const rules: Rule[] = [
    f(CHAINS.forward, '-o', br, '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'),
    f(CHAINS.forward, '-o', br, '-j', CHAINS.ports),
    f(CHAINS.forward, '-i', br, '!', '-o', br, '-j', 'ACCEPT'),
    f(CHAINS.forward, '-i', br, '-o', br, '-j', iccTarget),
    iso(CHAINS.iso1, '-i', br, '!', '-o', br, '-j', CHAINS.iso2),
    iso(CHAINS.iso2, '-o', br, '-j', 'DROP'),
    // the host's own connections to a published port on 127.0.0.1 leave with a loopback source
    { table: 'nat', chain: CHAINS.postrouting, spec: ['-o', br, '-m', 'addrtype', '--src-type', 'LOCAL', '-j', 'MASQUERADE'] },
  ];
  if (n.masquerade) {
    rules.push({ table: 'nat', chain: CHAINS.postrouting, spec: ['-s', n.subnet, '!', '-o', br, '-j', 'MASQUERADE'] });
  }
  return { chains: [], rules: [...rules, ...guard] };
}

/**
 * Beyond Docker 20.10 (as Docker 28 does): a packet for a container's address that does not come
 * from the container's own bridge is dropped before routing, so a machine on the host's LAN
 * cannot reach containers directly by routing through the host. Published ports still work:
 * their packets are addressed to the host and DNAT happens after the raw table.
 * Docker 28 writes one rule per container; pont one per network, for its whole subnet, so the
 * chain does not grow with the containers (iptables-nft reads a chain whole to delete a rule
 * from it: ~5 ms per rm/disconnect beside 500, 2-core machine) and a container without published
 * ports changes no rule at all. The host's own addresses are left out (`! --dst-type LOCAL`):
 * the gateway, reached from anywhere as the host's other addresses are (as with Docker), and any
 * address of the host that a subnet overlaps (a LAN joined later, a VPN): without that, such a
 * host would drop the replies to its own connections.
 */
function subnetGuard(n: NetworkFirewall): Rule[] {
  return [{ table: 'raw', chain: CHAINS.raw, spec: ['-d', n.subnet, '!', '-i', n.bridge, '-m', 'addrtype', '!', '--dst-type', 'LOCAL', '-j', 'DROP'] }];
}
