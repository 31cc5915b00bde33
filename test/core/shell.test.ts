// Every explain line must paste back into a shell and run the same argv: each line is parsed by
// a real bash (`printf '%s\0'` of its words) and compared with the argv the step stands for.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shellArg, shellLine } from '../../src/core/shell.js';
import {
  addAddressStep, addBridgeStep, addDummyStep, addNetnsStep, addRouteStep, addSubInterfaceStep, addVethStep, addVlanStep,
  defaultRouteStep, firewallStep, hairpinStep, linkUpStep, makeDirStep, setMasterStep, sysctlStep, writeFileStep,
} from '../../src/kernel/steps.js';
import type { Step } from '../../src/engine/steps.js';

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
  ['addBridge', addBridgeStep(N, { mac: '02:42:00:00:00:01', mtu: 1400 }), [['ip', 'link', 'add', N, 'address', '02:42:00:00:00:01', 'mtu', '1400', 'type', 'bridge']]],
  ['linkUp', linkUpStep(N, N), [['ip', '-n', N, 'link', 'set', N, 'up']]],
  ['addAddress', addAddressStep(N, '10.0.0.1/24', N), [['ip', '-n', N, 'addr', 'add', '10.0.0.1/24', 'brd', '+', 'dev', N]]],
  ['addRoute', addRouteStep({ dst: '10.0.0.2/32', dev: N }, N), [['ip', '-n', N, 'route', 'add', '10.0.0.2/32', 'dev', N]]],
  ['addVeth', addVethStep(N, { name: N, ns: N, mac: '02:42:00:00:00:02' }), [['ip', 'link', 'add', N, 'type', 'veth', 'peer', 'name', N, 'netns', N, 'address', '02:42:00:00:00:02']]],
  ['addSubInterface', addSubInterfaceStep('macvlan', N, { parent: N, mode: 'bridge', ns: N }), [['ip', 'link', 'add', 'link', N, 'name', N, 'netns', N, 'type', 'macvlan', 'mode', 'bridge']]],
  ['addVlan', addVlanStep(N, N, 10), [['ip', 'link', 'add', 'link', N, 'name', N, 'type', 'vlan', 'id', '10'], ['ip', 'link', 'set', N, 'up']]],
  ['addDummy', addDummyStep(N), [['ip', 'link', 'add', N, 'type', 'dummy'], ['ip', 'link', 'set', N, 'up']]],
  ['setMaster', setMasterStep(N, N), [['ip', 'link', 'set', N, 'master', N]]],
  ['hairpin', hairpinStep(N), [['bridge', 'link', 'set', 'dev', N, 'hairpin', 'on']]],
  ['addNetns', addNetnsStep(N), [['ip', 'netns', 'add', N]]],
  ['sysctl', sysctlStep(`net.ipv4.conf.${N}.x`, '1', N), [['ip', 'netns', 'exec', N, 'sysctl', '-w', `net.ipv4.conf.${N}.x=1`]]],
  ['makeDir', makeDirStep(`/tmp/${N}`), [['mkdir', '-p', `/tmp/${N}`]]],
  ['defaultRoute', defaultRouteStep(N, { dst: 'default', gateway: '10.0.0.1', dev: N }, undefined), [['ip', '-n', N, 'route', 'del', 'default', 'via', '10.0.0.1', 'dev', N]]],
  [
    'firewall',
    firewallStep({ chains: [], rules: [{ table: 'filter', chain: 'PONT-FORWARD', spec: ['-i', N, '-m', 'comment', '--comment', "it's $x", '-j', 'ACCEPT'] }] }),
    [['iptables', '-t', 'filter', '-A', 'PONT-FORWARD', '-i', N, '-m', 'comment', '--comment', "it's $x", '-j', 'ACCEPT']],
  ],
];
for (const [title, step, argvs] of steps) {
  test(`explain of ${title}: each line is one command and bash reads the same argv`, (t) => {
    const lines = step.explain();
    t.is(lines.length, argvs.length);
    lines.forEach((line, i) => {
      t.false(line.includes('\n'));
      t.deepEqual(bashWords(line), argvs[i]);
    });
  });
}

test('explain of writeFile: running the line writes exactly the content', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pont-shell-'));
  try {
    const path = join(dir, "hosts it's");
    const content = "127.0.0.1\tlocalhost\n1.2.3.4\th $(id) `id` 'q' \\n\n";
    const [line] = writeFileStep(path, content).explain();
    t.false(line.includes('\n'));
    execFileSync('bash', ['-c', line]);
    t.is(readFileSync(path, 'utf8'), content);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
