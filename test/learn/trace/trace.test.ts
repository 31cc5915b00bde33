// The tracer's pure parts: its requests, its match rules, `nft monitor trace` lines as captured
// from a real kernel (iptables-nft, pont's PONT-* chains), pont's rules in words, the verdicts.
import test from 'ava';
import { explain, invert } from '../../../src/core/steps.js';
import { groupPackets, parsePacketFields, parseTraceLine, parseTraceOutput } from '../../../src/learn/trace/monitor.js';
import { explainPontRule } from '../../../src/learn/trace/pont-rules.js';
import { formatTrace } from '../../../src/learn/trace/report.js';
import { parseDestination, parseSource, resolveDestination } from '../../../src/learn/trace/request.js';
import { planTrace } from '../../../src/learn/trace/run.js';
import { pickSourcePort, probeArgv, traceRules, traceTableBodies, type ProbeMatch } from '../../../src/learn/trace/table.js';

test('a destination: an address is an ICMP echo, :PORT a TCP SYN, /udp a datagram', (t) => {
  t.deepEqual(parseDestination('10.0.0.2'), { address: '10.0.0.2', proto: 'icmp' });
  t.deepEqual(parseDestination('10.0.0.2:80'), { address: '10.0.0.2', proto: 'tcp', port: 80 });
  t.deepEqual(parseDestination('10.0.0.2:53/udp'), { address: '10.0.0.2', proto: 'udp', port: 53 });
  for (const bad of ['10.0.0.2/udp', '10.0.0.2:0', '10.0.0.2:70000', '10.0.0.2:80/sctp', 'we b:80', '10.0.0.256', '10.0.0.2:80/icmp', '']) t.throws(() => parseDestination(bad), undefined, bad);
});

test('a source: host, netns:NAME, or a container name', (t) => {
  t.deepEqual(parseSource('host'), { kind: 'host' });
  t.deepEqual(parseSource('netns:pc'), { kind: 'netns', name: 'pc' });
  t.deepEqual(parseSource('web'), { kind: 'container', ref: 'web' });
  t.throws(() => parseSource('netns:../x'));
  t.throws(() => parseSource('a b'));
});

test('the trace rules match the probe exactly and its reply by port or echo id only', (t) => {
  const tcp: ProbeMatch = { proto: 'tcp', saddr: '172.18.0.2', daddr: '198.51.100.1', sport: 61234, dport: 8080 };
  t.deepEqual(traceRules(tcp), [
    'ip saddr 172.18.0.2 ip daddr 198.51.100.1 tcp sport 61234 tcp dport 8080 tcp flags & (syn | ack) == syn meta nftrace set 1',
    'tcp dport 61234 tcp flags & (syn | rst) != 0 meta nftrace set 1',
  ]);
  t.deepEqual(traceRules({ proto: 'icmp', saddr: '10.0.0.1', daddr: '10.0.0.2', icmpId: 77 }), [
    'ip saddr 10.0.0.1 ip daddr 10.0.0.2 icmp type echo-request icmp id 77 meta nftrace set 1',
    'icmp type echo-reply icmp id 77 meta nftrace set 1',
  ]);
  const bodies = traceTableBodies(tcp);
  t.regex(bodies.inet, /chain prerouting \{\n\t\ttype filter hook prerouting priority -350; policy accept;/);
  t.regex(bodies.inet, /chain output \{\n\t\ttype filter hook output priority -350;/);
  t.regex(bodies.bridge, /hook prerouting priority -350/);
  t.deepEqual(probeArgv({ proto: 'icmp', saddr: 'a', daddr: '10.0.0.2', icmpId: 77 }, 'node'), ['ping', '-n', '-c', '1', '-W', '1', '-e', '77', '10.0.0.2']);
  // above the kernel's ephemeral range (32768-60999), within the port space
  t.is(pickSourcePort(() => 0), 61000);
  t.is(pickSourcePort(() => 0.99999), 64999);
});

test('the plan: tables, probe, tables gone; each table step undone by its deletion', (t) => {
  const steps = planTrace({ proto: 'icmp', saddr: '10.0.0.1', daddr: '10.0.0.2', icmpId: 7 }, 'ca', 'node');
  t.deepEqual(steps.map((s) => s.op), ['nft.table', 'nft.table', 'trace.probe', 'nft.table', 'nft.table']);
  t.deepEqual(invert(steps[0]), [{ op: 'nft.table', family: 'inet', name: 'pont-trace', body: null }]);
  t.deepEqual(explain(steps[4], 'iptables'), ['nft delete table inet pont-trace']);
  t.is(explain(steps[0], 'iptables')[1], 'table inet pont-trace {');
  t.deepEqual(explain(steps[2], 'iptables'), ['nft monitor trace &', 'ip netns exec ca ping -n -c 1 -W 1 -e 7 10.0.0.2', 'kill %1']);
});

// captured from `nft monitor trace` (nftables 1.0.6, kernel 6.18, iptables-nft) in a sandbox
const OUTSIDE_TO_PUBLISHED = `
trace id 3d6d2d74 inet pont-trace prerouting packet: iif "uplink0" ether saddr 96:17:d8:82:88:f5 ether daddr 02:a4:7a:c6:e7:3c ip saddr 198.51.100.2 ip daddr 198.51.100.1 ip dscp cs0 ip ecn not-ect ip ttl 64 ip id 54784 ip protocol tcp ip length 60 tcp sport 61111 tcp dport 8080 tcp flags == syn tcp window 64240
trace id 3d6d2d74 inet pont-trace prerouting rule tcp sport 61111 meta nftrace set 1 (verdict continue)
trace id 3d6d2d74 inet pont-trace prerouting policy accept
trace id 3d6d2d74 ip raw PREROUTING packet: iif "uplink0" ether saddr 96:17:d8:82:88:f5 ether daddr 02:a4:7a:c6:e7:3c ip saddr 198.51.100.2 ip daddr 198.51.100.1 ip dscp cs0 ip ecn not-ect ip ttl 64 ip id 54784 ip length 60 tcp sport 61111 tcp dport 8080 tcp flags == syn tcp window 64240
trace id 3d6d2d74 ip raw PREROUTING rule counter packets 0 bytes 0 jump PONT-PREROUTING (verdict jump PONT-PREROUTING)
trace id 3d6d2d74 ip raw PREROUTING policy accept
trace id 3d6d2d74 ip nat PREROUTING packet: iif "uplink0" ether saddr 96:17:d8:82:88:f5 ether daddr 02:a4:7a:c6:e7:3c ip saddr 198.51.100.2 ip daddr 198.51.100.1 ip dscp cs0 ip ecn not-ect ip ttl 64 ip id 54784 ip length 60 tcp sport 61111 tcp dport 8080 tcp flags == syn tcp window 64240
trace id 3d6d2d74 ip nat PREROUTING rule fib daddr type local counter packets 0 bytes 0 jump PONT (verdict jump PONT)
trace id 3d6d2d74 ip nat PONT rule tcp dport 8080 counter packets 0 bytes 0 dnat to 172.18.0.2:80 (verdict accept)
trace id 5e5e5e5e ip filter FORWARD packet: iif "uplink0" oif "pont-bd9c41e7fc" ether saddr 96:17:d8:82:88:f5 ether daddr 02:a4:7a:c6:e7:3c ip saddr 198.51.100.2 ip daddr 172.18.0.2 ip dscp cs0 ip ecn not-ect ip ttl 63 ip id 54784 ip length 60 tcp sport 61111 tcp dport 80 tcp flags == syn tcp window 64240
trace id 5e5e5e5e ip filter FORWARD rule counter packets 0 bytes 0 jump PONT-FORWARD (verdict jump PONT-FORWARD)
trace id 5e5e5e5e ip filter PONT-FORWARD rule oifname "pont-bd9c41e7fc" counter packets 0 bytes 0 jump PONT (verdict jump PONT)
trace id 5e5e5e5e ip filter PONT rule iifname != "pont-bd9c41e7fc" oifname "pont-bd9c41e7fc" ip daddr 172.18.0.2 tcp dport 80 counter packets 0 bytes 0 accept (verdict accept)
trace id ae306ec9 inet pont-trace prerouting packet: iif "pont-bd9c41e7fc" ether saddr 02:42:ac:12:00:02 ether daddr 02:42:bd:9c:41:e7 ip saddr 172.18.0.2 ip daddr 198.51.100.2 ip dscp cs0 ip ecn not-ect ip ttl 64 ip id 0 ip protocol tcp ip length 40 tcp sport 80 tcp dport 61111 tcp flags == 0x14 tcp window 0
trace id ae306ec9 ip filter PONT-ISOLATION-STAGE-2 rule ct status dnat counter packets 0 bytes 0 return (verdict return)
trace id ae306ec9 ip filter PONT-FORWARD rule iifname "pont-bd9c41e7fc" oifname != "pont-bd9c41e7fc" counter packets 0 bytes 0 accept (verdict accept)
`;

test('monitor lines parse into events, counters left out', (t) => {
  t.deepEqual(parseTraceLine('trace id 3d6d2d74 ip nat PONT rule tcp dport 8080 counter packets 0 bytes 0 dnat to 172.18.0.2:80 (verdict accept)'), {
    id: '3d6d2d74', family: 'ip', table: 'nat', chain: 'PONT', kind: 'rule', rule: 'tcp dport 8080 dnat to 172.18.0.2:80', verdict: 'accept',
  });
  t.deepEqual(parseTraceLine('trace id 21515129 ip nat POSTROUTING policy accept '), { id: '21515129', family: 'ip', table: 'nat', chain: 'POSTROUTING', kind: 'policy', verdict: 'accept' });
  t.is(parseTraceLine('some other line'), null);
  t.deepEqual(parsePacketFields('iif "uplink0" ip saddr 198.51.100.2 ip daddr 198.51.100.1 ip id 54784 ip protocol tcp tcp sport 61111 tcp dport 8080 tcp flags == syn'), {
    iif: 'uplink0', saddr: '198.51.100.2', daddr: '198.51.100.1', ipId: '54784', proto: 'tcp', sport: '61111', dport: '8080', tcpFlags: 'syn',
  });
});

test('a packet whose trace id changes after routing is still one packet (its IP id)', (t) => {
  const packets = groupPackets(parseTraceOutput(OUTSIDE_TO_PUBLISHED));
  t.deepEqual(packets.map((p) => p.key), ['ip id 54784', 'ip id 0']);
  t.is(packets[0].events.length, 13);
});

test("pont's rules in words, both backends", (t) => {
  const name = (b: string) => `${b} (network web)`;
  t.regex(explainPontRule('ip raw', 'PONT-PREROUTING', 'iifname != "lo" ip daddr 127.0.0.0/8 drop') ?? '', /^loopback guard/);
  t.regex(explainPontRule('ip raw', 'PONT-PREROUTING', 'iifname != "br1" ip daddr 172.19.0.0/16 fib daddr type != local drop', name) ?? '', /^subnet guard: the containers of 172\.19\.0\.0\/16 .* br1 \(network web\)/);
  t.regex(explainPontRule('ip filter', 'PONT-ISOLATION-STAGE-2', 'oifname "br2" drop', name) ?? '', /^isolation: .*br2 \(network web\).*DOCKER-ISOLATION-STAGE-2/);
  t.regex(explainPontRule('ip nat', 'PONT', 'tcp dport 8080 dnat to 172.18.0.2:80') ?? '', /published port 8080\/tcp → 172\.18\.0\.2:80 \(DNAT\)/);
  t.regex(explainPontRule('ip nat', 'PONT-POSTROUTING', 'oifname != "br1" ip saddr 172.18.0.0/16 masquerade') ?? '', /^MASQUERADE: containers of 172\.18\.0\.0\/16/);
  t.regex(explainPontRule('ip nat', 'PONT-POSTROUTING', 'ip saddr 172.18.0.2 ip daddr 172.18.0.2 tcp dport 80 masquerade') ?? '', /^hairpin/);
  t.regex(explainPontRule('ip filter', 'PONT-FORWARD', 'iifname "br1" oifname "br1" accept') ?? '', /icc on/);
  t.regex(explainPontRule('inet pont', 'raw-prerouting', 'ip daddr 127.0.0.0/8 iifname != "lo" drop') ?? '', /^loopback guard/);
  t.regex(explainPontRule('inet pont', 'isolate-in-br1', 'meta nfproto ipv4 oifname != "br1" oifname @bridges drop') ?? '', /^isolation/);
  t.regex(explainPontRule('inet pont', 'port-dnat', 'meta nfproto ipv4 dnat ip to meta l4proto . th dport map @ports-any') ?? '', /DNAT/);
  t.regex(explainPontRule('inet pont', 'masquerade-br1', 'oifname != "br1" masquerade', name) ?? '', /^MASQUERADE: containers leaving br1 \(network web\)/);
  t.is(explainPontRule('ip filter', 'FORWARD', 'iifname "eth0" accept'), null, "not pont's");
});

test('the report: hooks in order, the DNAT seen as a rewrite, the verdict naming the deciding rule', (t) => {
  const r = formatTrace(
    { probe: { proto: 'tcp', saddr: '198.51.100.2', daddr: '198.51.100.1', sport: 61111, dport: 8080 }, source: 'namespace internet', outcome: 'ECONNREFUSED', where: [], brNetfilter: '1', names: (b) => b },
    parseTraceOutput(OUTSIDE_TO_PUBLISHED),
  );
  const text = r.lines.join('\n');
  t.regex(text, /ip filter FORWARD \(in uplink0, out pont-bd9c41e7fc\)  rewritten: destination 198\.51\.100\.1:8080 → 172\.18\.0\.2:80/);
  t.regex(text, /^verdict: accepted by ip filter PONT: .* \(pont: published port: forwarded to container 172\.18\.0\.2 port 80\/tcp from outside its bridge\); NAT: ip nat PONT dnat to 172\.18\.0\.2:80$/m);
  t.regex(text, /^reply: accepted by ip filter PONT-FORWARD/m);
  t.deepEqual(r.packets.map((p) => [p.direction, p.verdict]), [['probe', 'accepted'], ['reply', 'accepted']]);
  t.false(text.includes('meta nftrace'), "the tracer's own rules are not shown");
});

test('a frame no IP hook saw is said to be bridged, with br_netfilter named', (t) => {
  const lines = parseTraceOutput('trace id 1 bridge pont-trace prerouting packet: iif "pv1" ip saddr 10.0.0.2 ip daddr 10.0.0.3 ip id 5 ip protocol icmp icmp type echo-request icmp id 9\ntrace id 1 bridge pont-trace prerouting policy accept');
  const r = formatTrace({ probe: { proto: 'icmp', saddr: '10.0.0.2', daddr: '10.0.0.3', icmpId: 9 }, source: 's', outcome: '', where: [], brNetfilter: '0', names: (b) => b }, lines);
  t.regex(r.lines.join('\n'), /note: no IP netfilter hook saw it, only the bridge: .*br_netfilter \(net\.bridge\.bridge-nf-call-iptables=0\)/);
});

test('a destination may be a container: its address on a network shared with the source, else its first', (t) => {
  const containers = [
    { name: 'a1', endpoints: [{ networkId: 'n1', ipAddress: '172.18.0.2' }] },
    { name: 'a2', endpoints: [{ networkId: 'n2', ipAddress: '172.19.0.2' }, { networkId: 'n1', ipAddress: '172.18.0.3' }] },
  ];
  const d = parseDestination('a2:80');
  t.deepEqual(d, { address: '', container: 'a2', proto: 'tcp', port: 80 });
  t.is(resolveDestination(d, parseSource('a1'), containers).address, '172.18.0.3');
  t.is(resolveDestination(d, parseSource('host'), containers).address, '172.19.0.2');
  t.throws(() => resolveDestination(parseDestination('nope'), parseSource('host'), containers), { message: /no container named "nope"/ });
});
