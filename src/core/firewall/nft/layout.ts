// pont's firewall in nftables: the same behaviour as the iptables layout (../iptables/layout.ts),
// in one table of its own, `table inet pont`. A fixed set of base chains looks packets up in
// sets and maps; a bridge network adds a few small chains of its own, reached through verdict
// maps keyed by its bridge; an endpoint and each published port are elements only. So the rule
// count does not grow with ports or containers, and every operation adds and deletes things by
// name or key, never by rule handle: its undo is exact.
//
//   prerouting, priority raw ─► raw-prerouting: 127/8 not from lo: drop;
//                               ip daddr vmap @endpoint-guard ─► guard-BR: not from BR: drop
//   prerouting (dstnat) and output (-100), fib daddr type local ─► port-dnat:
//        dnat to @ports-ip[daddr . proto . dport] (-p 127.0.0.1:P:C), else @ports-any[proto . dport]
//   forward (filter) ─► oifname vmap @isolate-out ─► isolate-out-BR  (internal: not from its subnet: drop)
//                   ─► iifname vmap @isolate-in  ─► isolate-in-BR   (internal: not to its subnet: drop;
//                                                    other: DNATed: return, to another of @bridges: drop)
//                   ─► oifname vmap @forward-out ─► forward-out-BR  (replies; @published ports from outside BR)
//                   ─► iifname vmap @forward-in  ─► forward-in-BR   (out of BR: accept; within BR: icc)
//   input (filter) ─► iifname vmap @input-in ─► input-BR (internal: replies and pings of its gateway only)
//   postrouting (srcnat) ─► to @bridges from a local address (127.0.0.1:P): masquerade
//                        ─► @hairpin (a container to its own published port): masquerade
//                        ─► ip saddr vmap @subnet-masquerade ─► masquerade-BR: leaving BR: masquerade
//
// Names of sets, maps and chains avoid nft's keywords (`masquerade`, `ports` would not parse).
// The table is inet so that IPv6 can join it later; today pont's firewall is IPv4 only, as the
// iptables backend is (it leaves ip6tables alone): a drop or masquerade that matches no IPv4
// field says `meta nfproto ipv4`, so IPv6 is left to the host's own rules with either backend.
import type { PublishedPort } from '../../model.js';
import { bindsAnyAddress, checkPorts, type FirewallPart, type NetworkFirewall } from '../parts.js';
import { emptyNftBatch, mergeNftBatches, type NftBatch, type NftChain, type NftElement, type NftSet } from './model.js';

export const SETS = {
  /** -p ADDR:P:C: host address . protocol . host port → container address . port. */
  portsIp: 'ports-ip',
  /** -p P:C on every host address: protocol . host port → container address . port. */
  portsAny: 'ports-any',
  /** container address . protocol . container port: forwarded to from outside its bridge. */
  published: 'published',
  /** container . container . protocol . port: a container reaching itself through its published port. */
  hairpin: 'hairpin',
  /** Bridges of non-internal networks: isolated from each other, masqueraded for local sources. */
  bridges: 'bridges',
  isolateOut: 'isolate-out',
  isolateIn: 'isolate-in',
  forwardOut: 'forward-out',
  forwardIn: 'forward-in',
  inputIn: 'input-in',
  subnetMasquerade: 'subnet-masquerade',
  endpointGuard: 'endpoint-guard',
} as const;

/** A bridge's own chains, each reached through the verdict map of the same prefix. */
export const bridgeChain = {
  isolateOut: (br: string) => `isolate-out-${br}`,
  isolateIn: (br: string) => `isolate-in-${br}`,
  forwardOut: (br: string) => `forward-out-${br}`,
  forwardIn: (br: string) => `forward-in-${br}`,
  input: (br: string) => `input-${br}`,
  masquerade: (br: string) => `masquerade-${br}`,
  guard: (br: string) => `guard-${br}`,
};

const PORT_DNAT = 'port-dnat';

const policy = (type: string, hook: string, priority: string) => `type ${type} hook ${hook} priority ${priority}; policy accept;`;

/** The table's skeleton: its sets and maps, base chains and the DNAT chain. */
export function baseTable(): NftBatch {
  const verdictMap = (name: string): NftSet => ({ name, type: 'ifname : verdict' });
  const sets: NftSet[] = [
    { name: SETS.portsIp, type: 'ipv4_addr . inet_proto . inet_service : ipv4_addr . inet_service' },
    { name: SETS.portsAny, type: 'inet_proto . inet_service : ipv4_addr . inet_service' },
    { name: SETS.published, type: 'ipv4_addr . inet_proto . inet_service' },
    { name: SETS.hairpin, type: 'ipv4_addr . ipv4_addr . inet_proto . inet_service' },
    { name: SETS.bridges, type: 'ifname' },
    verdictMap(SETS.isolateOut),
    verdictMap(SETS.isolateIn),
    verdictMap(SETS.forwardOut),
    verdictMap(SETS.forwardIn),
    verdictMap(SETS.inputIn),
    { name: SETS.subnetMasquerade, type: 'ipv4_addr : verdict', flags: 'interval' },
    { name: SETS.endpointGuard, type: 'ipv4_addr : verdict' },
  ];
  const chains: NftChain[] = [
    {
      name: 'raw-prerouting',
      base: policy('filter', 'prerouting', 'raw'),
      rules: [
        // 127.0.0.0/8 never comes from outside the host (RFC 1122), but the DNAT would send it to
        // a port published on 127.0.0.1 before the kernel's martian check, and route_localnet on
        // pont's bridges lets a container reach the host's loopback services (CVE-2020-8558)
        'ip daddr 127.0.0.0/8 iifname != "lo" counter drop',
        `ip daddr vmap @${SETS.endpointGuard}`,
      ],
    },
    {
      name: PORT_DNAT,
      rules: [`dnat ip to ip daddr . meta l4proto . th dport map @${SETS.portsIp}`, `meta nfproto ipv4 dnat ip to meta l4proto . th dport map @${SETS.portsAny}`],
    },
    { name: 'nat-prerouting', base: policy('nat', 'prerouting', 'dstnat'), rules: [`fib daddr type local jump ${PORT_DNAT}`] },
    // unlike Docker (whose docker-proxy serves 127.0.0.1), loopback destinations are DNATed too;
    // nft 1.0.6 knows no `dstnat` in inet's output hook: its value, -100
    { name: 'nat-output', base: policy('nat', 'output', '-100'), rules: [`fib daddr type local jump ${PORT_DNAT}`] },
    {
      name: 'nat-postrouting',
      base: policy('nat', 'postrouting', 'srcnat'),
      rules: [
        // the host's own connections to a port published on 127.0.0.1 leave with a loopback source
        `meta nfproto ipv4 oifname @${SETS.bridges} fib saddr type local masquerade`,
        `ip saddr . ip daddr . meta l4proto . th dport @${SETS.hairpin} masquerade`,
        `ip saddr vmap @${SETS.subnetMasquerade}`,
      ],
    },
    {
      // Accepting here is final for this chain only: another table's forward chain (iptables'
      // FORWARD with policy DROP, set by Docker or a host firewall) still sees the packet and
      // may drop it. pont never writes to tables it does not own; engine/forwarding.ts says so
      // when it finds one (see docs/differences.md, D-nft-foreign-drop).
      name: 'forward',
      base: policy('filter', 'forward', 'filter'),
      rules: [
        `oifname vmap @${SETS.isolateOut}`,
        `iifname vmap @${SETS.isolateIn}`,
        `oifname vmap @${SETS.forwardOut}`,
        `iifname vmap @${SETS.forwardIn}`,
      ],
    },
    { name: 'input', base: policy('filter', 'input', 'filter'), rules: [`iifname vmap @${SETS.inputIn}`] },
  ];
  return { sets, chains, elements: [] };
}

const q = (ifname: string) => `"${ifname}"`;
const jumpTo = (set: string, key: string, chain: string): NftElement => ({ set, key, value: `jump ${chain}` });

/** A bridge network's chains and the map elements that reach them; the undo deletes exactly these. */
export function networkTable(n: NetworkFirewall): NftBatch {
  const br = n.bridge;
  const icc = n.icc ? 'accept' : 'meta nfproto ipv4 counter drop';
  const guard: NftChain = { name: bridgeChain.guard(br), rules: [`iifname != ${q(br)} counter drop`] };
  if (n.internal) {
    // No way in or out, published ports of other networks and the host's own services included:
    // only inside the subnet (per icc), replies, and pings of its own gateway, as Docker answers them.
    const chains: NftChain[] = [
      { name: bridgeChain.isolateOut(br), rules: [`ip saddr != ${n.subnet} counter drop`] },
      { name: bridgeChain.isolateIn(br), rules: [`ip daddr != ${n.subnet} counter drop`] },
      { name: bridgeChain.forwardIn(br), rules: [`oifname ${q(br)} ${icc}`] },
      { name: bridgeChain.input(br), rules: ['ct state established,related accept', `ip daddr ${n.gateway} icmp type echo-request accept`, 'meta nfproto ipv4 counter drop'] },
      guard,
    ];
    return {
      sets: [],
      chains,
      elements: [
        jumpTo(SETS.isolateOut, q(br), bridgeChain.isolateOut(br)),
        jumpTo(SETS.isolateIn, q(br), bridgeChain.isolateIn(br)),
        jumpTo(SETS.forwardIn, q(br), bridgeChain.forwardIn(br)),
        jumpTo(SETS.inputIn, q(br), bridgeChain.input(br)),
      ],
    };
  }
  const chains: NftChain[] = [
    // published ports are meant to be reached from other networks too: what pont DNATed skips
    // the drop between bridges (internal bridges' drops come first, in isolate-out)
    { name: bridgeChain.isolateIn(br), rules: ['ct status dnat return', `meta nfproto ipv4 oifname != ${q(br)} oifname @${SETS.bridges} counter drop`] },
    { name: bridgeChain.forwardOut(br), rules: ['ct state established,related accept', `iifname != ${q(br)} ip daddr . meta l4proto . th dport @${SETS.published} accept`] },
    { name: bridgeChain.forwardIn(br), rules: [`oifname != ${q(br)} accept`, `oifname ${q(br)} ${icc}`] },
    ...(n.masquerade ? [{ name: bridgeChain.masquerade(br), rules: [`oifname != ${q(br)} masquerade`] }] : []),
    guard,
  ];
  return {
    sets: [],
    chains,
    elements: [
      { set: SETS.bridges, key: q(br) },
      jumpTo(SETS.isolateIn, q(br), bridgeChain.isolateIn(br)),
      jumpTo(SETS.forwardOut, q(br), bridgeChain.forwardOut(br)),
      jumpTo(SETS.forwardIn, q(br), bridgeChain.forwardIn(br)),
      ...(n.masquerade ? [jumpTo(SETS.subnetMasquerade, intervalKey(n.subnet), bridgeChain.masquerade(br))] : []),
    ],
  };
}

/** nft lists a /32 of an interval set as the bare address. */
const intervalKey = (cidr: string) => (cidr.endsWith('/32') ? cidr.slice(0, -3) : cidr);

/** A packet for a container's address that does not come from its bridge is dropped in raw. */
export const endpointTable = (e: { bridge: string; ip: string }): NftBatch => ({
  sets: [],
  chains: [],
  elements: [jumpTo(SETS.endpointGuard, e.ip, bridgeChain.guard(e.bridge))],
});

/** Published ports: three elements each (DNAT, forward, hairpin), no rule. */
export function portsTable(t: { containerIp: string; ports: readonly PublishedPort[] }): NftBatch {
  checkPorts(t.ports);
  const ip = t.containerIp;
  const elements: NftElement[] = [];
  for (const p of t.ports) {
    const to = `${ip} . ${p.containerPort}`;
    elements.push(
      bindsAnyAddress(p) ? { set: SETS.portsAny, key: `${p.proto} . ${p.hostPort}`, value: to } : { set: SETS.portsIp, key: `${p.hostIp} . ${p.proto} . ${p.hostPort}`, value: to },
      { set: SETS.published, key: `${ip} . ${p.proto} . ${p.containerPort}` },
      { set: SETS.hairpin, key: `${ip} . ${ip} . ${p.proto} . ${p.containerPort}` },
    );
  }
  return mergeNftBatches({ sets: [], chains: [], elements });
}

/** One neutral part as nftables data. */
export function nftBatchOf(p: FirewallPart): NftBatch {
  switch (p.kind) {
    case 'base':
      return baseTable();
    case 'network':
      return networkTable(p);
    case 'endpoint':
      return endpointTable(p);
    case 'ports':
      return p.ports.length ? portsTable(p) : emptyNftBatch();
  }
}

export const nftBatchOfParts = (parts: readonly FirewallPart[]): NftBatch => mergeNftBatches(...parts.map(nftBatchOf));
