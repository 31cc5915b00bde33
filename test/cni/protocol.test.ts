// The CNI protocol at pont's edge, without root: environment + stdin parsed into typed requests
// (or the spec's error codes), results in the shape of the requested version, VERSION's answer.
import test from 'ava';
import { runPlugin, type WithContext } from '../../src/cni/plugin.js';
import { netnsName, parseCniArgs, parseRequest } from '../../src/cni/request.js';
import { renderResult, type CniResult } from '../../src/cni/result.js';
import { CniError } from '../../src/cni/errors.js';

const conf = (extra: Record<string, unknown> = {}) => JSON.stringify({ cniVersion: '1.0.0', name: 'mynet', type: 'pont', network: 'mynet', ...extra });
const env = (extra: Record<string, string> = {}) => ({ CNI_COMMAND: 'ADD', CNI_CONTAINERID: 'f00dcafe0123456789', CNI_NETNS: '/run/netns/netns-1', CNI_IFNAME: 'eth0', CNI_PATH: '/usr/lib/cni', ...extra });
const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof CniError ? e.code : -1;
  }
  return 0;
};
const noEngine: WithContext = () => Promise.reject(new Error('the engine is not reached in these tests'));

test('ADD: the attachment, its name from K8S_POD_NAME or the container id, aliases from the config and runtimeConfig', (t) => {
  const r = parseRequest(env({ CNI_ARGS: 'IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=pod1' }), conf({ aliases: ['db'], runtimeConfig: { aliases: { mynet: ['web', 'db'] } } }));
  t.like(r, { command: 'ADD', conf: { network: 'mynet', aliases: ['db', 'web'] }, attachment: { containerId: 'f00dcafe0123456789', netns: 'netns-1', netnsPath: '/run/netns/netns-1', ifname: 'eth0', name: 'pod1' } });
  const plain = parseRequest(env(), conf());
  t.is(plain.command === 'ADD' ? plain.attachment.name : '', 'f00dcafe0123');
  const ip = parseRequest(env({ CNI_ARGS: 'IP=172.18.0.50' }), conf());
  t.is(ip.command === 'ADD' ? ip.attachment.ip : '', '172.18.0.50');
  const cap = parseRequest(env(), conf({ runtimeConfig: { ips: ['172.18.0.51/16'] } }));
  t.is(cap.command === 'ADD' ? cap.attachment.ip : '', '172.18.0.51');
});

test('the spec\'s error codes: 4 for the environment, 6 for stdin, 7 for the configuration, 1 for the version', (t) => {
  t.is(codeOf(() => parseRequest(env({ CNI_COMMAND: '' }), conf())), 4);
  t.is(codeOf(() => parseRequest(env({ CNI_COMMAND: 'RESTART' }), conf())), 4);
  t.is(codeOf(() => parseRequest(env({ CNI_CONTAINERID: '-x' }), conf())), 4);
  t.is(codeOf(() => parseRequest(env({ CNI_IFNAME: 'a/b' }), conf())), 4);
  t.is(codeOf(() => parseRequest(env({ CNI_IFNAME: 'averylonginterfacename' }), conf())), 4);
  t.is(codeOf(() => parseRequest(env({ CNI_NETNS: '/proc/123/ns/net' }), conf())), 4, 'a namespace not named under /run/netns');
  t.is(codeOf(() => parseRequest(env({ CNI_NETNS: '' }), conf())), 4, 'ADD needs CNI_NETNS');
  t.is(codeOf(() => parseRequest(env({ CNI_ARGS: 'novalue' }), conf())), 4);
  t.is(codeOf(() => parseRequest(env({ CNI_ARGS: 'K8S_POD_NAME=-bad' }), conf())), 4);
  t.is(codeOf(() => parseRequest(env(), '{not json')), 6);
  t.is(codeOf(() => parseRequest(env(), '[]')), 6);
  t.is(codeOf(() => parseRequest(env(), conf({ network: undefined }))), 7);
  t.is(codeOf(() => parseRequest(env(), conf({ aliases: 'db' }))), 7);
  t.is(codeOf(() => parseRequest(env({ CNI_ARGS: 'IP=300.1.1.1' }), conf())), 7);
  t.is(codeOf(() => parseRequest(env(), conf({ cniVersion: '0.3.1' }))), 1);
  t.is(codeOf(() => parseRequest(env({ CNI_COMMAND: 'STATUS' }), conf())), 1, 'STATUS is a 1.1.0 operation');
  t.is(codeOf(() => parseRequest(env({ CNI_COMMAND: 'GC' }), conf({ cniVersion: '1.1.0' }))), 7, 'GC without its valid-attachments list');
});

test('DEL takes what it is given: no namespace, or one pont cannot name, is no error', (t) => {
  t.like(parseRequest(env({ CNI_COMMAND: 'DEL', CNI_NETNS: '' }), conf()), { command: 'DEL', attachment: { containerId: 'f00dcafe0123456789', ifname: 'eth0' } });
  t.like(parseRequest(env({ CNI_COMMAND: 'DEL', CNI_NETNS: '/proc/1/ns/net' }), conf()), { command: 'DEL' });
});

test('GC: the valid attachments, as the runtime lists them', (t) => {
  const r = parseRequest({ CNI_COMMAND: 'GC', CNI_PATH: '/usr/lib/cni' }, conf({ cniVersion: '1.1.0', 'cni.dev/valid-attachments': [{ containerID: 'abc', ifname: 'eth0' }] }));
  t.deepEqual(r.command === 'GC' ? r.valid : [], [{ containerId: 'abc', ifname: 'eth0' }]);
});

test('netns names and CNI_ARGS', (t) => {
  t.is(netnsName('/run/netns/netns-8ebc'), 'netns-8ebc');
  t.is(netnsName('/var/run/netns/cni-1'), 'cni-1');
  t.is(netnsName('/run/netns/../x'), null);
  t.is(netnsName('/run/netns/a/b'), null);
  t.deepEqual([...parseCniArgs('A=1;B=x=y;;')], [['A', '1'], ['B', 'x=y']]);
});

const made: CniResult = {
  interfaces: [{ name: 'pont-abc', mac: '02:42:aa:bb:cc:dd' }, { name: 'pv1', mac: '02:00:00:00:00:01' }, { name: 'eth0', mac: '02:42:ac:12:00:03', sandbox: '/run/netns/n1' }],
  ips: [{ address: '172.18.0.3/16', gateway: '172.18.0.1', interface: 2 }],
  routes: [{ dst: '0.0.0.0/0', gw: '172.18.0.1' }],
  dns: { nameservers: ['127.0.0.11'] },
};

test('the result in the requested version\'s shape: 0.4.0 marks addresses "version": "4", 1.x does not', (t) => {
  t.deepEqual(renderResult('1.0.0', made), { cniVersion: '1.0.0', interfaces: made.interfaces, ips: made.ips, routes: made.routes, dns: made.dns });
  t.deepEqual(renderResult('0.4.0', made).ips, [{ version: '4', address: '172.18.0.3/16', gateway: '172.18.0.1', interface: 2 }]);
  t.is(renderResult('1.1.0', made).cniVersion, '1.1.0');
  t.false('dns' in renderResult('1.0.0', { ...made, dns: {} }), 'no dns key on a network without the resolver');
});

test('a previous plugin\'s result is kept, pont\'s interfaces after its own', (t) => {
  const prev = { cniVersion: '1.0.0', interfaces: [{ name: 'x0' }], ips: [{ address: '10.0.0.2/24', interface: 0 }], routes: [], dns: { nameservers: ['10.0.0.1'] } };
  const r = renderResult('1.0.0', made, prev);
  t.is((r.interfaces as unknown[]).length, 4);
  t.deepEqual((r.ips as { interface: number }[]).map((i) => i.interface), [0, 3]);
  t.deepEqual(r.dns, made.dns);
});

test('VERSION answers with the asked version and pont\'s; errors go to stdout as JSON with exit 1', async (t) => {
  const v = await runPlugin({ CNI_COMMAND: 'VERSION' }, '{"cniVersion":"1.1.0"}', noEngine);
  t.deepEqual(v, { stdout: '{"cniVersion":"1.1.0","supportedVersions":["0.4.0","1.0.0","1.1.0"]}\n', exitCode: 0 });
  const bad = await runPlugin(env({ CNI_IFNAME: '' }), conf(), noEngine);
  t.is(bad.exitCode, 1);
  t.like(JSON.parse(bad.stdout), { cniVersion: '1.0.0', code: 4 });
  t.regex(JSON.parse(bad.stdout).msg, /CNI_IFNAME/);
  const broken = await runPlugin(env(), conf(), noEngine);
  t.like(JSON.parse(broken.stdout), { cniVersion: '1.0.0', code: 100 }, 'an unexpected failure is still a CNI error');
});
