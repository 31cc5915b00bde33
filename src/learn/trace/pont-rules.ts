// Which of pont's rules a traced rule is, in words: by its table and chain (iptables backend:
// PONT-* chains in iptables-nft's ip raw/filter/nat tables, core/firewall/iptables/; nftables
// backend: table inet pont, core/firewall/nft/) and its text as nft prints it. Pure.
import { CHAINS } from '../../core/firewall/iptables/layout.js';
import { TABLE_REF } from '../../core/firewall/nft/model.js';

/** How a bridge is called in explanations: `network web (pont-1a2b3c)`, or its name. */
export type NameBridge = (ifname: string) => string;

interface RuleShape {
  table: string;
  chain: RegExp;
  rule: RegExp;
  say: (m: RegExpExecArray, name: NameBridge) => string;
}

const ifn = '"([^"]+)"';
const LOOPBACK_GUARD = 'loopback guard: 127.0.0.0/8 never comes from outside the host (RFC 1122), so a port published on 127.0.0.1 is not reached from the network';
const subnetGuard = (subnet: string, br: string, name: NameBridge) => `subnet guard: the containers of ${subnet} are reached from their own bridge ${name(br)} only, never routed to from elsewhere (the host's own addresses excepted)`;
const isolation = (br: string, name: NameBridge) => `isolation: no container of another network reaches ${name(br)} (Docker's DOCKER-ISOLATION-STAGE-2 drop)`;
const icc = (br: string, verdict: string, name: NameBridge) => `containers of ${name(br)} talk to each other (icc ${verdict === 'accept' ? 'on' : 'off: dropped'})`;
const masquerade = (subnet: string, br: string, name: NameBridge) => `MASQUERADE: containers of ${subnet} leaving ${name(br)} take the host's address`;
const LOCAL_MASQUERADE = (br: string, name: NameBridge) => `a host-local source (127.0.0.1) towards ${name(br)}: masqueraded to the bridge's address, so the reply comes back`;
const HAIRPIN = 'hairpin: a container reaching itself through its published port, masqueraded so that the reply returns through the host';

const IPT: RuleShape[] = [
  { table: 'ip raw', chain: /^PREROUTING$/, rule: /jump PONT-PREROUTING/, say: () => "into pont's raw guards (before conntrack and any DNAT)" },
  { table: 'ip raw', chain: /^PONT-PREROUTING$/, rule: /ip daddr 127\.0\.0\.0\/8.*drop/, say: () => LOOPBACK_GUARD },
  // iptables-nft writes `-m addrtype ! --dst-type LOCAL` as nft's fib expression
  { table: 'ip raw', chain: /^PONT-PREROUTING$/, rule: new RegExp(`iifname != ${ifn} ip daddr (\\S+)(?: fib daddr type != local)? drop`), say: (m, n) => subnetGuard(m[2], m[1], n) },
  { table: 'ip filter', chain: /^FORWARD$/, rule: /jump PONT-FORWARD/, say: () => "into pont's forwarding rules" },
  { table: 'ip filter', chain: /^INPUT$/, rule: /jump PONT-INPUT/, say: () => "into pont's input rules (internal networks)" },
  { table: 'ip filter', chain: /^PONT-FORWARD$/, rule: /^jump PONT-USER$/, say: () => "the user's rules first (PONT-USER, Docker's DOCKER-USER)" },
  { table: 'ip filter', chain: /^PONT-USER$/, rule: /^return$/, say: () => "no user rule: on to pont's" },
  { table: 'ip filter', chain: /^PONT-FORWARD$/, rule: /^jump PONT-ISOLATION-STAGE-1$/, say: () => 'isolation between networks' },
  { table: 'ip filter', chain: /^PONT-ISOLATION-STAGE-1$/, rule: /^return$/, say: () => 'isolation: nothing to stop' },
  { table: 'ip filter', chain: /^PONT-ISOLATION-STAGE-1$/, rule: new RegExp(`iifname ${ifn} oifname != "[^"]+" jump PONT-ISOLATION-STAGE-2`), say: (m, n) => `leaving ${n(m[1])}: is it for another network's bridge?` },
  { table: 'ip filter', chain: /^PONT-ISOLATION-STAGE-1$/, rule: new RegExp(`oifname ${ifn} ip saddr != (\\S+) drop`), say: (m, n) => `internal network ${n(m[1])}: nothing from outside ${m[2]} gets in` },
  { table: 'ip filter', chain: /^PONT-ISOLATION-STAGE-1$/, rule: new RegExp(`iifname ${ifn} ip daddr != (\\S+) drop`), say: (m, n) => `internal network ${n(m[1])}: nothing leaves ${m[2]}` },
  { table: 'ip filter', chain: /^PONT-ISOLATION-STAGE-2$/, rule: /ct status dnat return/, say: () => 'a published port (DNATed): reachable from other networks, isolation skipped' },
  { table: 'ip filter', chain: /^PONT-ISOLATION-STAGE-2$/, rule: new RegExp(`^oifname ${ifn} drop$`), say: (m, n) => isolation(m[1], n) },
  { table: 'ip filter', chain: /^PONT-ISOLATION-STAGE-2$/, rule: /^return$/, say: () => "not for another network's bridge: allowed" },
  { table: 'ip filter', chain: /^PONT-FORWARD$/, rule: new RegExp(`^oifname ${ifn} ct state related,established accept`), say: (m, n) => `a reply to a connection of a container of ${n(m[1])}` },
  { table: 'ip filter', chain: /^PONT-FORWARD$/, rule: new RegExp(`^oifname ${ifn} jump PONT$`), say: (m, n) => `towards ${n(m[1])}: its published ports (filter PONT)` },
  { table: 'ip filter', chain: /^PONT-FORWARD$/, rule: new RegExp(`^iifname ${ifn} oifname != "[^"]+" accept$`), say: (m, n) => `a container of ${n(m[1])} going out` },
  { table: 'ip filter', chain: /^PONT-FORWARD$/, rule: new RegExp(`^iifname ${ifn} oifname "[^"]+" (accept|drop)$`), say: (m, n) => icc(m[1], m[2], n) },
  { table: 'ip filter', chain: /^PONT$/, rule: /ip daddr (\S+) (tcp|udp) dport (\d+) accept/, say: (m) => `published port: forwarded to container ${m[1]} port ${m[3]}/${m[2]} from outside its bridge` },
  { table: 'ip filter', chain: /^PONT-INPUT$/, rule: /ct state related,established accept/, say: () => 'internal network: replies reach the host' },
  { table: 'ip filter', chain: /^PONT-INPUT$/, rule: /icmp type echo-request accept/, say: () => 'internal network: its gateway answers pings' },
  { table: 'ip filter', chain: /^PONT-INPUT$/, rule: new RegExp(`iifname ${ifn} drop`), say: (m, n) => `internal network ${n(m[1])}: the host's services are out of reach` },
  { table: 'ip nat', chain: /^(PREROUTING|OUTPUT)$/, rule: /jump PONT$/, say: () => "to a host address: pont's published ports (nat PONT)" },
  { table: 'ip nat', chain: /^PONT$/, rule: /ip daddr (\S+) (tcp|udp) dport (\d+) dnat to (\S+)/, say: (m) => `published port ${m[1]}:${m[3]}/${m[2]} → ${m[4]} (DNAT, -p ${m[1]}:${m[3]}:…)` },
  { table: 'ip nat', chain: /^PONT$/, rule: /(tcp|udp) dport (\d+) dnat to (\S+)/, say: (m) => `published port ${m[2]}/${m[1]} → ${m[3]} (DNAT)` },
  { table: 'ip nat', chain: /^POSTROUTING$/, rule: /jump PONT-POSTROUTING/, say: () => "pont's source NAT" },
  { table: 'ip nat', chain: /^PONT-POSTROUTING$/, rule: new RegExp(`oifname != ${ifn} ip saddr (\\S+) masquerade`), say: (m, n) => masquerade(m[2], m[1], n) },
  { table: 'ip nat', chain: /^PONT-POSTROUTING$/, rule: new RegExp(`ip saddr (\\S+) oifname != ${ifn} masquerade`), say: (m, n) => masquerade(m[1], m[2], n) },
  { table: 'ip nat', chain: /^PONT-POSTROUTING$/, rule: new RegExp(`oifname ${ifn} .*(?:fib saddr type local|addrtype).* masquerade`), say: (m, n) => LOCAL_MASQUERADE(m[1], n) },
  { table: 'ip nat', chain: /^PONT-POSTROUTING$/, rule: /ip saddr (\S+) ip daddr \1 .*masquerade/, say: () => HAIRPIN },
];

const NFT: RuleShape[] = [
  { table: TABLE_REF, chain: /^raw-prerouting$/, rule: /ip daddr 127\.0\.0\.0\/8.*drop/, say: () => LOOPBACK_GUARD },
  { table: TABLE_REF, chain: /^raw-prerouting$/, rule: /vmap @endpoint-guard/, say: () => 'to a container address: its endpoint guard' },
  { table: TABLE_REF, chain: /^guard-(.+)$/, rule: new RegExp(`iifname != ${ifn} drop`), say: (m, n) => `endpoint guard: a container of ${n(m[1])} is reached from its own bridge only, never routed to from elsewhere` },
  { table: TABLE_REF, chain: /^nat-(prerouting|output)$/, rule: /jump port-dnat/, say: () => "to a host address: pont's published ports (port-dnat)" },
  { table: TABLE_REF, chain: /^port-dnat$/, rule: /@ports-ip/, say: () => 'published port on one host address (-p ADDR:P:C): DNAT' },
  { table: TABLE_REF, chain: /^port-dnat$/, rule: /@ports-any/, say: () => 'published port (-p P:C): DNAT' },
  { table: TABLE_REF, chain: /^nat-postrouting$/, rule: /oifname @bridges fib saddr type local masquerade/, say: () => "a host-local source (127.0.0.1) towards a container: masqueraded to the bridge's address, so the reply comes back" },
  { table: TABLE_REF, chain: /^nat-postrouting$/, rule: /@hairpin masquerade/, say: () => HAIRPIN },
  { table: TABLE_REF, chain: /^nat-postrouting$/, rule: /vmap @subnet-masquerade/, say: () => "from a container subnet: its network's masquerade chain" },
  { table: TABLE_REF, chain: /^masquerade-(.+)$/, rule: /masquerade/, say: (m, n) => `MASQUERADE: containers leaving ${n(m[1])} take the host's address` },
  { table: TABLE_REF, chain: /^forward$/, rule: /vmap @isolate-out/, say: () => 'isolation of internal networks (going in)' },
  { table: TABLE_REF, chain: /^forward$/, rule: /vmap @isolate-in/, say: () => 'isolation between networks' },
  { table: TABLE_REF, chain: /^forward$/, rule: /vmap @forward-out/, say: () => 'towards a network: replies and published ports' },
  { table: TABLE_REF, chain: /^forward$/, rule: /vmap @forward-in/, say: () => 'from a network: out, or within it (icc)' },
  { table: TABLE_REF, chain: /^isolate-in-(.+)$/, rule: /ct status dnat return/, say: () => 'a published port (DNATed): reachable from other networks, isolation skipped' },
  { table: TABLE_REF, chain: /^isolate-in-(.+)$/, rule: /oifname @bridges .*drop/, say: () => "isolation: a network's containers do not reach another network's bridge (Docker's DOCKER-ISOLATION drop)" },
  { table: TABLE_REF, chain: /^isolate-in-(.+)$/, rule: /ip daddr != (\S+) .*drop/, say: (m, n) => `internal network ${n(m[1])}: nothing leaves it` },
  { table: TABLE_REF, chain: /^isolate-out-(.+)$/, rule: /drop/, say: (m, n) => `internal network ${n(m[1])}: nothing from outside gets in` },
  { table: TABLE_REF, chain: /^forward-out-(.+)$/, rule: /ct state established,related accept/, say: (m, n) => `a reply to a connection of a container of ${n(m[1])}` },
  { table: TABLE_REF, chain: /^forward-out-(.+)$/, rule: /@published accept/, say: () => 'published port: forwarded to the container from outside its bridge' },
  { table: TABLE_REF, chain: /^forward-in-(.+)$/, rule: /^oifname != "[^"]+" accept$/, say: (m, n) => `a container of ${n(m[1])} going out` },
  { table: TABLE_REF, chain: /^forward-in-(.+)$/, rule: /^oifname "[^"]+" (?:.* )?(accept|drop)$/, say: (m, n) => icc(m[1], m[2], n) },
  { table: TABLE_REF, chain: /^input-(.+)$/, rule: /.*/, say: (m, n) => `internal network ${n(m[1])}: only replies and pings of its gateway reach the host` },
];

/** pont's rule in words, or null when the rule is not pont's (or not one it knows). */
export function explainPontRule(table: string, chain: string, rule: string, name: NameBridge = (b) => b): string | null {
  for (const shape of table === TABLE_REF ? NFT : IPT) {
    if (shape.table !== table) continue;
    const c = shape.chain.exec(chain);
    if (!c) continue;
    const r = shape.rule.exec(rule);
    if (!r) continue;
    // a bridge chain's name carries the bridge: its captures come first
    return shape.say(table === TABLE_REF && c.length > 1 ? ([r[0], c[1], ...r.slice(1)] as unknown as RegExpExecArray) : r, name);
  }
  return null;
}

/** Whether a chain is one of pont's own (its rules are pont's whatever they say). */
export const isPontChain = (table: string, chain: string) => table === TABLE_REF || Object.values(CHAINS).includes(chain as never);
