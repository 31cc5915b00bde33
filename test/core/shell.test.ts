// Every explain line must paste back into a shell and run the same argv: each line is parsed by
// a real bash (`printf '%s\0'` of its words) and compared with the argv the step stands for.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shellArg, shellLine } from '../../src/core/shell.js';
import { explain, type Step } from '../../src/core/steps.js';

/** The argv bash reads from `line` (its words, after quote removal). */
function bashWords(line: string): string[] {
  const out = execFileSync('bash', ['-c', `set -f; words() { printf '%s\\0' "$@"; }; words ${line}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

const HOSTILE = ["a b", "it's", '$(echo pwned)', '`id`', 'a;b', 'x|y', '*', '~', '!x', 'a\nb', 'tab\there', 'q"uote', 'back\\slash', '', '\x01\x7f', 'é ü', '-n', '#c', "a'\\''b", '$HOME'];

for (const word of HOSTILE) {
  test(`shellArg round-trips ${JSON.stringify(word)} through bash, on one line`, (t) => {
    const line = shellLine(['cmd', word, 'tail']);
    t.false(line.includes('\n'));
    t.deepEqual(bashWords(line), ['cmd', word, 'tail']);
  });
}

test('safe words stay bare, as a reader expects', (t) => {
  t.is(shellLine(['iptables', '-t', 'nat', '-A', 'PONT', '!', '-i', 'pont0', '-d', '10.0.0.0/8', '--to-destination', '172.17.0.2:80']), 'iptables -t nat -A PONT ! -i pont0 -d 10.0.0.0/8 --to-destination 172.17.0.2:80');
  t.is(shellArg(''), "''");
});

const N = 'n a;$(x)';
const steps: [string, Step, string[][]][] = [
  ['addBridge', { op: 'bridge.add', name: N, mac: '02:42:00:00:00:01', mtu: 1400 }, [['ip', 'link', 'add', N, 'address', '02:42:00:00:00:01', 'mtu', '1400', 'type', 'bridge']]],
  ['linkUp', { op: 'link.set', name: N, netns: N, up: true }, [['ip', '-n', N, 'link', 'set', N, 'up']]],
  ['addAddress', { op: 'addr.add', dev: N, cidr: '10.0.0.1/24', netns: N }, [['ip', '-n', N, 'addr', 'add', '10.0.0.1/24', 'brd', '+', 'dev', N]]],
  ['addRoute', { op: 'route.add', route: { dst: '10.0.0.2/32', dev: N }, netns: N }, [['ip', '-n', N, 'route', 'add', '10.0.0.2/32', 'dev', N]]],
  ['addVeth', { op: 'veth.add', name: N, peer: N, peerNetns: N, peerMac: '02:42:00:00:00:02' }, [['ip', 'link', 'add', N, 'type', 'veth', 'peer', 'name', N, 'netns', N, 'address', '02:42:00:00:00:02']]],
  ['addSubInterface', { op: 'sublink.add', kind: 'macvlan', name: N, parent: N, mode: 'bridge', netns: N }, [['ip', 'link', 'add', 'link', N, 'name', N, 'netns', N, 'type', 'macvlan', 'mode', 'bridge']]],
  ['addVlan', { op: 'vlan.add', name: N, parent: N, id: 10 }, [['ip', 'link', 'add', 'link', N, 'name', N, 'type', 'vlan', 'id', '10'], ['ip', 'link', 'set', N, 'up']]],
  ['addDummy', { op: 'dummy.add', name: N }, [['ip', 'link', 'add', N, 'type', 'dummy'], ['ip', 'link', 'set', N, 'up']]],
  ['addVxlan', { op: 'vxlan.add', name: N, vni: 4097, local: '10.99.0.1', port: 4789, mtu: 1450 }, [['ip', 'link', 'add', N, 'mtu', '1450', 'type', 'vxlan', 'id', '4097', 'local', '10.99.0.1', 'dstport', '4789', 'nolearning', 'proxy']]],
  ['addBridge without snooping', { op: 'bridge.add', name: N, mcastSnooping: false }, [['ip', 'link', 'add', N, 'type', 'bridge', 'mcast_snooping', '0']]],
  ['fdbAppend', { op: 'fdb.add', dev: N, mac: '00:00:00:00:00:00', dst: '10.99.0.2' }, [['bridge', 'fdb', 'append', '00:00:00:00:00:00', 'dev', N, 'dst', '10.99.0.2', 'self', 'permanent']]],
  ['fdbReplace', { op: 'fdb.add', dev: N, mac: '02:42:0a:00:09:03', dst: '10.99.0.2' }, [['bridge', 'fdb', 'replace', '02:42:0a:00:09:03', 'dev', N, 'dst', '10.99.0.2', 'self', 'permanent']]],
  ['fdbDel', { op: 'fdb.del', dev: N, mac: '00:00:00:00:00:00', dst: '10.99.0.2' }, [['bridge', 'fdb', 'del', '00:00:00:00:00:00', 'dev', N, 'dst', '10.99.0.2', 'self']]],
  ['neighReplace', { op: 'neigh.add', dev: N, ip: '10.0.9.3', mac: '02:42:0a:00:09:03' }, [['ip', 'neigh', 'replace', '10.0.9.3', 'lladdr', '02:42:0a:00:09:03', 'dev', N, 'nud', 'permanent']]],
  ['neighDel', { op: 'neigh.del', dev: N, ip: '10.0.9.3' }, [['ip', 'neigh', 'del', '10.0.9.3', 'dev', N]]],
  ['setMaster', { op: 'link.master', name: N, master: N }, [['ip', 'link', 'set', N, 'master', N]]],
  ['hairpin', { op: 'link.hairpin', name: N, on: true }, [['bridge', 'link', 'set', 'dev', N, 'hairpin', 'on']]],
  ['addNetns', { op: 'netns.add', name: N }, [['ip', 'netns', 'add', N]]],
  ['sysctl', { op: 'sysctl', key: `net.ipv4.conf.${N}.x`, value: '1', netns: N }, [['ip', 'netns', 'exec', N, 'sysctl', '-w', `net.ipv4.conf.${N}.x=1`]]],
  ['makeDir', { op: 'dir.add', path: `/tmp/${N}` }, [['mkdir', '-p', `/tmp/${N}`]]],
  ['defaultRoute', { op: 'route.default', netns: N, from: { dst: 'default', gateway: '10.0.0.1', dev: N } }, [['ip', '-n', N, 'route', 'del', 'default', 'via', '10.0.0.1', 'dev', N]]],
  ['firewall', { op: 'fw.add', parts: [{ kind: 'ports', bridge: N, containerIp: '10.0.0.2', ports: [{ networkId: 'n', hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80, proto: 'tcp' }] }] }, [
    ['iptables', '-t', 'nat', '-A', 'PONT', '-d', '127.0.0.1/32', '-p', 'tcp', '-m', 'tcp', '--dport', '8080', '-j', 'DNAT', '--to-destination', '10.0.0.2:80'],
    ['iptables', '-t', 'filter', '-A', 'PONT', '-d', '10.0.0.2/32', '!', '-i', N, '-o', N, '-p', 'tcp', '-m', 'tcp', '--dport', '80', '-j', 'ACCEPT'],
    ['iptables', '-t', 'nat', '-A', 'PONT-POSTROUTING', '-s', '10.0.0.2/32', '-d', '10.0.0.2/32', '-p', 'tcp', '-m', 'tcp', '--dport', '80', '-j', 'MASQUERADE'],
  ]],
];
for (const [title, step, argvs] of steps) {
  test(`explain of ${title}: each line is one command and bash reads the same argv`, (t) => {
    const lines = explain(step, 'iptables');
    t.is(lines.length, argvs.length);
    lines.forEach((line, i) => {
      t.false(line.includes('\n'));
      t.deepEqual(bashWords(line), argvs[i]);
    });
  });
}

test('explain of an nftables firewall step: one `nft` argument a command, as bash reads it', (t) => {
  const lines = explain({ op: 'fw.del', parts: [{ kind: 'endpoint', bridge: N, ip: '10.0.0.2' }, { kind: 'ports', bridge: N, containerIp: '10.0.0.2', ports: [] }] }, 'nftables');
  t.deepEqual(lines.map(bashWords), [['nft', 'delete element inet pont endpoint-guard { 10.0.0.2 }']]);
});

test('explain of writeFile: running the line writes exactly the content', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pont-shell-'));
  try {
    const path = join(dir, "hosts it's");
    const content = "127.0.0.1\tlocalhost\n1.2.3.4\th $(id) `id` 'q' \\n\n";
    const [line] = explain({ op: 'file.write', path, content }, 'iptables');
    t.false(line.includes('\n'));
    execFileSync('bash', ['-c', line]);
    t.is(readFileSync(path, 'utf8'), content);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
