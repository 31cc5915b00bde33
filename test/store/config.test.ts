// /etc/pont/config.json: Docker's daemon.json key, the defaults when absent, one clear line when wrong.
import test from 'ava';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PontError } from '../../src/core/errors.js';
import { CONFIG_FILE, DEFAULT_CONFIG, parseConfig, readConfig } from '../../src/store/config.js';

test('the path is fixed, and iptables stays the default', (t) => {
  t.is(CONFIG_FILE, '/etc/pont/config.json');
  t.deepEqual(DEFAULT_CONFIG, { firewallBackend: 'iptables' });
  t.deepEqual(parseConfig('{}'), DEFAULT_CONFIG);
  t.deepEqual(parseConfig('{ "firewall-backend": "nftables" }'), { firewallBackend: 'nftables' });
  t.deepEqual(parseConfig('{"firewall-backend":"iptables"}\n'), { firewallBackend: 'iptables' });
});

test('a missing file is the defaults; a present one is read', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pont-config-'));
  try {
    t.deepEqual(readConfig(join(dir, 'config.json')), DEFAULT_CONFIG);
    writeFileSync(join(dir, 'config.json'), '{ "firewall-backend": "nftables" }');
    t.deepEqual(readConfig(join(dir, 'config.json')), { firewallBackend: 'nftables' });
    t.throws(() => readConfig(dir), { message: new RegExp(`^cannot read ${dir}: EISDIR`) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const BAD: [string, string][] = [
  ['{ "firewall-backend": "nft" }', 'invalid /etc/pont/config.json: "firewall-backend" must be "iptables" or "nftables", not "nft"'],
  ['{ "firewall-backend": 1 }', 'invalid /etc/pont/config.json: "firewall-backend" must be "iptables" or "nftables", not 1'],
  ['{ "firewall_backend": "nftables" }', 'invalid /etc/pont/config.json: unknown setting "firewall_backend" (pont knows "firewall-backend", "cluster-store", "cluster-advertise", "cluster-store-opts")'],
  ['[]', 'invalid /etc/pont/config.json: it must hold one JSON object'],
  ['{ "cluster-store": "consul://1.2.3.4:8500", "cluster-advertise": "eth0" }', 'invalid /etc/pont/config.json: "cluster-store" must be "etcd://HOST:PORT[,HOST:PORT…]", not "consul://1.2.3.4:8500"'],
  ['{ "cluster-store": "etcd://1.2.3.4:2379" }', 'invalid /etc/pont/config.json: "cluster-advertise" (this host\'s address on the network that joins the hosts) is required with "cluster-store"'],
  ['{ "cluster-store": "etcd://1.2.3.4:2379", "cluster-advertise": "eth0; rm -rf /" }', 'invalid /etc/pont/config.json: "cluster-advertise" must be an IPv4 address or an interface name, not "eth0; rm -rf /"'],
  ['{ "cluster-store": "etcd://1.2.3.4:2379", "cluster-advertise": "eth0", "cluster-store-opts": { "discovery.ttl": "0" } }', 'invalid /etc/pont/config.json: "cluster-store-opts" "discovery.ttl" must be a whole number of seconds from 1 to 3600, not "0"'],
  ['{ "cluster-store": "etcd://1.2.3.4:2379", "cluster-advertise": "eth0", "cluster-store-opts": { "kv.cacertfile": "/x" } }', 'invalid /etc/pont/config.json: unknown "cluster-store-opts" "kv.cacertfile" (pont knows "discovery.ttl", "discovery.heartbeat")'],
  ['{ "cluster-store-opts": {} }', 'invalid /etc/pont/config.json: "cluster-store-opts" needs "cluster-store"'],
];

test('cluster settings: Docker\'s daemon.json keys, its discovery defaults, a port after the address ignored', (t) => {
  t.deepEqual(parseConfig('{ "cluster-store": "etcd://10.99.0.254:2379", "cluster-advertise": "10.99.0.11:2376" }').cluster, {
    store: 'etcd://10.99.0.254:2379', advertise: '10.99.0.11', ttl: 60, heartbeat: 20,
  });
  t.deepEqual(parseConfig('{ "cluster-store": "etcd://a:1,b:2", "cluster-advertise": "eth0", "cluster-store-opts": { "discovery.ttl": "9" } }').cluster, {
    store: 'etcd://a:1,b:2', advertise: 'eth0', ttl: 9, heartbeat: 3,
  });
});

for (const [text, message] of BAD) {
  test(`refused in one line: ${text}`, (t) => {
    const e = t.throws(() => parseConfig(text), { instanceOf: PontError });
    t.is(e?.message, message);
    t.false(e?.message.includes('\n'));
  });
}

test('invalid JSON is one line naming the file', (t) => {
  t.regex(t.throws(() => parseConfig('{ "firewall-backend": '))!.message, /^invalid \/etc\/pont\/config\.json: Unexpected end of JSON input$/);
});
