// What one plugin gets (environment, stdin) and what a failed one said; the cache record's shape.
import test from 'ava';
import { cacheFile, renderCacheEntry } from '../../../../src/cni/runtime/cache.js';
import { parseConfList } from '../../../../src/cni/runtime/config.js';
import { CniError } from '../../../../src/cni/runtime/errors.js';
import { buildPluginRequest, parsePluginError, pluginEnv, selectRuntimeConfig } from '../../../../src/cni/runtime/request.js';

const list = parseConfList(
  JSON.stringify({
    cniVersion: '1.0.0',
    name: 'dbnet',
    plugins: [
      { type: 'bridge', name: 'ignored', cniVersion: '0.3.1', bridge: 'cni0', 'cni.dev/x': 1 },
      { type: 'tuning', capabilities: { mac: true, portMappings: false } },
      { type: 'portmap', capabilities: { portMappings: true, bandwidth: true } },
    ],
  }),
  'db.conflist',
);
const caps = { portMappings: [{ hostPort: 8080, containerPort: 80, protocol: 'tcp' }], mac: '02:00:00:00:00:01', ips: ['10.1.0.5'] };

test('buildPluginRequest: the list\'s name and version win; capabilities and cni.dev/ keys are not passed', (t) => {
  t.deepEqual(buildPluginRequest(list, list.plugins[0], { capabilityArgs: caps }), { type: 'bridge', name: 'dbnet', cniVersion: '1.0.0', bridge: 'cni0' });
});

test('buildPluginRequest: prevResult when given; runtimeConfig only with the capabilities the plugin declares true', (t) => {
  const prev = { cniVersion: '1.0.0', ips: [{ address: '10.1.0.5/16' }] };
  t.deepEqual(buildPluginRequest(list, list.plugins[1], { prevResult: prev, capabilityArgs: caps }), {
    type: 'tuning', name: 'dbnet', cniVersion: '1.0.0', prevResult: prev, runtimeConfig: { mac: '02:00:00:00:00:01' },
  });
  t.deepEqual(buildPluginRequest(list, list.plugins[2], { capabilityArgs: caps }).runtimeConfig, { portMappings: caps.portMappings }, 'bandwidth declared but not given: left out');
  t.is(selectRuntimeConfig(list.plugins[2], {}), undefined, 'nothing to carry: no runtimeConfig at all');
  t.deepEqual(buildPluginRequest(list, list.plugins[2], { inject: { 'cni.dev/valid-attachments': [] } })['cni.dev/valid-attachments'], []);
});

test('pluginEnv: the CNI_* variables, CNI_ARGS joined with ";", CNI_PATH with ":"', (t) => {
  t.deepEqual(pluginEnv('ADD', { containerId: 'c1', netns: '/run/netns/c1', ifname: 'eth0', args: [['IgnoreUnknown', '1'], ['K8S_POD_NAME', 'web']] }, ['/usr/lib/cni', '/opt/cni/bin']), {
    CNI_COMMAND: 'ADD', CNI_CONTAINERID: 'c1', CNI_NETNS: '/run/netns/c1', CNI_ARGS: 'IgnoreUnknown=1;K8S_POD_NAME=web', CNI_IFNAME: 'eth0', CNI_PATH: '/usr/lib/cni:/opt/cni/bin',
  });
  t.is(pluginEnv('GC', {}, ['/x']).CNI_CONTAINERID, '');
});

test('parsePluginError: the spec\'s structure, else stderr, else the exit status; always one line', (t) => {
  t.deepEqual(parsePluginError('{"cniVersion":"1.0.0","code":7,"msg":"Invalid Configuration","details":"Network 192.168.0.0/31\\ntoo small"}', '', 'exit status 1'), {
    code: 7, msg: 'Invalid Configuration', details: 'Network 192.168.0.0/31 too small',
  });
  t.deepEqual(parsePluginError('{"code":11,"msg":"try again"}', 'log lines', 'exit status 1'), { code: 11, msg: 'try again' });
  t.deepEqual(parsePluginError('', 'panic: boom\ngoroutine 1', 'exit status 2'), { code: 0, msg: 'panic: boom goroutine 1', details: 'exit status 2' });
  t.deepEqual(parsePluginError('not json', '', 'exit status 1'), { code: 0, msg: 'not json', details: 'exit status 1' });
  t.deepEqual(parsePluginError('', '', 'killed by SIGSEGV'), { code: 0, msg: 'failed with no message (killed by SIGSEGV)' });
});

test('CniError: one line with the plugin, the command, msg and details', (t) => {
  const e = new CniError('tuning', 'add', { code: 7, msg: 'failed to set sysctl', details: 'no such file' });
  t.is(e.message, 'plugin tuning failed (add): failed to set sysctl: no such file');
  t.like(e, { plugin: 'tuning', code: 7, msg: 'failed to set sysctl', details: 'no such file', category: 'kernel' });
  t.is(new CniError('bridge', 'delete', { code: 3, msg: 'gone' }).message, 'plugin bridge failed (delete): gone');
});

test('cache: libcni\'s file name and record, the list text in base64, empty fields left out', (t) => {
  t.is(cacheFile('/var/lib/cni', 'dbnet', { containerId: 'c1', ifname: 'eth0' }), '/var/lib/cni/results/dbnet-c1-eth0');
  const result = { cniVersion: '1.0.0', ips: [{ address: '10.1.0.5/16' }] };
  const entry = renderCacheEntry(list, { containerId: 'c1', netns: '/run/netns/c1', ifname: 'eth0', capabilityArgs: { portMappings: [] } }, result);
  t.deepEqual(Object.keys(entry), ['kind', 'containerId', 'config', 'ifName', 'networkName', 'netns', 'capabilityArgs', 'result']);
  t.like(entry, { kind: 'cniCacheV1', containerId: 'c1', ifName: 'eth0', networkName: 'dbnet', netns: '/run/netns/c1', result });
  t.is(Buffer.from(entry.config, 'base64').toString(), list.text);
  t.deepEqual(renderCacheEntry(list, { containerId: 'c1', netns: '', ifname: 'eth0', args: [['A', 'b']] }, result).cniArgs, [['A', 'b']]);
});
