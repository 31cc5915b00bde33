// The chain runner against fake plugins (node scripts in a temp CNI_PATH; no root, no kernel):
// ordering, prevResult threading, the cache, DEL in reverse after a failed ADD, version refusal,
// CHECK, GC and the explain lines.
import test from 'ava';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addNetworkList, checkNetworkList, CniError, delNetworkList, explainNetworkList, gcNetworkList, readCachedResult } from '../../../../src/cni/runtime/chain.js';
import { parseConfList, type CniPluginConf } from '../../../../src/cni/runtime/config.js';
import { FakePlugins } from './fake-plugins.js';

const rt = { containerId: 'c1', netns: '/run/netns/c1', ifname: 'eth0', capabilityArgs: { portMappings: [{ hostPort: 8080, containerPort: 80, protocol: 'tcp' }] } };
const mkList = (plugins: CniPluginConf[], extra: Record<string, unknown> = {}) =>
  parseConfList(JSON.stringify({ cniVersion: '1.0.0', name: 'fakenet', plugins, ...extra }), 'fake.conflist');

function fakes(t: { teardown(fn: () => void): void }, ...types: string[]): FakePlugins {
  const f = new FakePlugins();
  for (const type of types) f.add(type);
  t.teardown(() => f.remove());
  return f;
}

test('ADD runs in order, each plugin given the previous result; the last is cached as libcni writes it', async (t) => {
  const f = fakes(t, 'one', 'two', 'three');
  const list = mkList([{ type: 'one' }, { type: 'two', capabilities: { portMappings: true } }, { type: 'three' }]);
  const result = await addNetworkList(list, rt, f.opts);
  t.deepEqual(result.interfaces?.map((i) => i.name), ['one-eth0', 'two-eth0', 'three-eth0']);
  const log = f.log();
  t.deepEqual(log.map((l) => `${l.cmd} ${l.type}`), ['ADD one', 'ADD two', 'ADD three']);
  t.is(log[0].stdin!.prevResult, undefined, 'the first ADD has no prevResult');
  t.deepEqual((log[1].stdin!.prevResult as { interfaces: unknown[] }).interfaces, [{ name: 'one-eth0', sandbox: '/run/netns/c1' }]);
  t.deepEqual(log[1].stdin!.runtimeConfig, { portMappings: rt.capabilityArgs.portMappings });
  t.is(log[2].stdin!.runtimeConfig, undefined);
  t.like(log[0].env, { CNI_COMMAND: 'ADD', CNI_CONTAINERID: 'c1', CNI_NETNS: '/run/netns/c1', CNI_IFNAME: 'eth0', CNI_PATH: f.dir });
  const cached = JSON.parse(readFileSync(join(f.cacheDir, 'results', 'fakenet-c1-eth0'), 'utf8'));
  t.like(cached, { kind: 'cniCacheV1', containerId: 'c1', ifName: 'eth0', networkName: 'fakenet', netns: '/run/netns/c1', capabilityArgs: rt.capabilityArgs });
  t.is(Buffer.from(cached.config, 'base64').toString(), list.text);
  t.deepEqual(cached.result, result);
  t.deepEqual(readCachedResult(list, rt, f.opts), result);
});

test('DEL runs in reverse with the cached result as prevResult, then removes the cache; again without a cache', async (t) => {
  const f = fakes(t, 'one', 'two');
  const list = mkList([{ type: 'one' }, { type: 'two' }]);
  const result = await addNetworkList(list, rt, f.opts);
  f.clearLog();
  await delNetworkList(list, rt, f.opts);
  t.deepEqual(f.log().map((l) => `${l.cmd} ${l.type}`), ['DEL two', 'DEL one']);
  t.true(f.log().every((l) => JSON.stringify(l.stdin!.prevResult) === JSON.stringify(result)));
  t.false(existsSync(join(f.cacheDir, 'results', 'fakenet-c1-eth0')));
  t.is(readCachedResult(list, rt, f.opts), null);
  f.clearLog();
  await delNetworkList(list, rt, f.opts);
  t.deepEqual(f.log().map((l) => `${l.cmd} ${l.type} ${'prevResult' in l.stdin!}`), ['DEL two false', 'DEL one false'], 'idempotent: no cache, no prevResult');
});

test('a list below 0.4.0 gets no prevResult on DEL, and CHECK is skipped', async (t) => {
  const f = fakes(t, 'one');
  const list = parseConfList('{"cniVersion":"0.3.1","name":"old","plugins":[{"type":"one"}]}', 'old.conflist');
  await addNetworkList(list, rt, f.opts);
  await checkNetworkList(list, rt, f.opts);
  await delNetworkList(list, rt, f.opts);
  t.deepEqual(f.log().map((l) => `${l.cmd} ${'prevResult' in l.stdin!}`), ['ADD false', 'DEL false']);
});

test('ADD failing in the middle: DEL of the whole list in reverse, then the plugin\'s own error; no cache', async (t) => {
  const f = fakes(t, 'one', 'two', 'three');
  const list = mkList([{ type: 'one' }, { type: 'two', failOn: 'ADD', failMsg: 'failed to set sysctl', failDetails: 'open /proc/sys/net/x: no such file' }, { type: 'three', failOn: 'DEL' }]);
  const e = await t.throwsAsync(addNetworkList(list, rt, f.opts), { instanceOf: CniError });
  t.is(e!.message, 'plugin two failed (add): failed to set sysctl: open /proc/sys/net/x: no such file');
  t.like(e, { plugin: 'two', code: 7, msg: 'failed to set sysctl' });
  t.deepEqual(f.log().map((l) => `${l.cmd} ${l.type}`), ['ADD one', 'ADD two', 'DEL three', 'DEL two', 'DEL one'], 'three\'s DEL error is ignored');
  const del = f.log().find((l) => l.cmd === 'DEL' && l.type === 'one')!;
  t.deepEqual((del.stdin!.prevResult as { interfaces: { name: string }[] }).interfaces.map((i) => i.name), ['one-eth0'], 'the partial result tells DEL what was made');
  t.false(existsSync(join(f.cacheDir, 'results', 'fakenet-c1-eth0')));
});

test('a result that cannot be cached undoes the ADD like a plugin failure', async (t) => {
  const f = fakes(t, 'one');
  const cacheDir = join(f.dir, 'one'); // a file: no results directory can be made under it
  const e = await t.throwsAsync(addNetworkList(mkList([{ type: 'one' }]), rt, { ...f.opts, cacheDir }));
  t.regex(e!.message, new RegExp(`^cannot cache the CNI result of network "fakenet" in ${cacheDir}: `));
  t.deepEqual(f.log().map((l) => `${l.cmd} ${l.type}`), ['ADD one', 'DEL one']);
});

test('a plugin without the spec\'s error structure: its stderr on one line and the exit status', async (t) => {
  const f = fakes(t, 'one');
  const e = await t.throwsAsync(addNetworkList(mkList([{ type: 'one', stderrOn: 'ADD' }]), rt, f.opts), { instanceOf: CniError });
  t.is(e!.message, 'plugin one failed (add): went wrong badly: exit status 2');
});

test('version refusal and a missing plugin stop the chain before any plugin runs', async (t) => {
  const f = fakes(t, 'one');
  f.add('old', ['0.1.0', '0.2.0', '0.3.0', '0.3.1']);
  const list = mkList([{ type: 'one' }, { type: 'old' }]);
  await t.throwsAsync(addNetworkList(list, rt, f.opts), { message: `CNI plugin old (${join(f.dir, 'old')}) does not support cniVersion 1.0.0 of network "fakenet" (fake.conflist): it supports 0.1.0 to 0.3.1` });
  t.deepEqual(f.log({ withVersion: true }).map((l) => `${l.cmd} ${l.type}`), ['VERSION one', 'VERSION old']);
  t.is(JSON.parse(JSON.stringify(f.log({ withVersion: true })[0].stdin)).cniVersion, '1.1.0', 'VERSION is asked at the newest version');
  await t.throwsAsync(addNetworkList(mkList([{ type: 'one' }, { type: 'nowhere' }]), rt, { ...f.opts, path: [f.dir, '/nonexistent'] }), {
    message: `CNI plugin "nowhere" not found in ${f.dir}, /nonexistent`,
  });
  t.deepEqual(f.log().map((l) => l.cmd), [], 'no ADD ran');
});

test('attachment parameters are checked as libcni does', async (t) => {
  const f = fakes(t, 'one');
  const list = mkList([{ type: 'one' }]);
  await t.throwsAsync(addNetworkList(list, { ...rt, containerId: '' }, f.opts), { message: 'invalid CNI attachment: empty container ID' });
  await t.throwsAsync(addNetworkList(list, { ...rt, ifname: 'a-very-long-name0' }, f.opts), { message: 'invalid CNI attachment: interface name "a-very-long-name0" is longer than 15 bytes' });
  await t.throwsAsync(addNetworkList(list, { ...rt, ifname: 'eth:0' }, f.opts), { message: /has "\/", ":" or spaces/ });
});

test('CHECK runs in order with the cached result; none cached is an error; disableCheck skips it', async (t) => {
  const f = fakes(t, 'one', 'two');
  const list = mkList([{ type: 'one' }, { type: 'two' }]);
  await t.throwsAsync(checkNetworkList(list, rt, f.opts), { message: `no cached CNI result for network "fakenet", container c1, interface eth0 in ${f.cacheDir}/results: not added, or already deleted` });
  const result = await addNetworkList(list, rt, f.opts);
  f.clearLog();
  await checkNetworkList(list, rt, f.opts);
  t.deepEqual(f.log().map((l) => `${l.cmd} ${l.type}`), ['CHECK one', 'CHECK two']);
  t.deepEqual(f.log()[0].stdin!.prevResult, result);
  f.clearLog();
  await checkNetworkList(mkList([{ type: 'one', failOn: 'CHECK' }, { type: 'two' }]), rt, f.opts).then(() => t.fail(), (e: Error) => t.is(e.message, 'plugin one failed (check): fake failure'));
  t.deepEqual(f.log().map((l) => `${l.cmd} ${l.type}`), ['CHECK one'], 'stops at the first failure');
  f.clearLog();
  await checkNetworkList(mkList([{ type: 'one', failOn: 'CHECK' }], { disableCheck: true }), rt, f.opts);
  t.deepEqual(f.log({ withVersion: true }), []);
});

test('GC: stale cached attachments are deleted; GC goes to plugins that speak 1.1.0, the others are skipped with why', async (t) => {
  const f = fakes(t, 'old');
  f.add('new', ['0.4.0', '1.0.0', '1.1.0']);
  const list = mkList([{ type: 'old' }, { type: 'new' }]);
  await addNetworkList(list, { ...rt, containerId: 'gone' }, f.opts);
  await addNetworkList(list, { ...rt, containerId: 'kept' }, f.opts);
  f.clearLog();
  const report = await gcNetworkList(list, [{ containerId: 'kept', ifname: 'eth0' }], f.opts);
  t.deepEqual(report, { ran: ['new'], skipped: ['old: supports CNI 0.3.1 to 1.0.0, GC needs 1.1.0'], deleted: ['gone/eth0'] });
  t.deepEqual(f.log().map((l) => `${l.cmd} ${l.type} ${l.env.CNI_CONTAINERID}`), ['DEL new gone', 'DEL old gone', 'GC new ']);
  const gc = f.log().find((l) => l.cmd === 'GC')!;
  t.like(gc.stdin, { type: 'new', name: 'fakenet', cniVersion: '1.1.0', 'cni.dev/valid-attachments': [{ containerID: 'kept', ifname: 'eth0' }] });
  t.not(readCachedResult(list, { containerId: 'kept', ifname: 'eth0' }, f.opts), null);
  t.is(readCachedResult(list, { containerId: 'gone', ifname: 'eth0' }, f.opts), null);
  t.deepEqual((await gcNetworkList(mkList([{ type: 'new' }], { disableGC: true }), [], f.opts)).skipped, ['new: disableGC is set in fake.conflist']);
});

test('a plugin that does not answer is killed after timeoutMs', async (t) => {
  const f = fakes(t, 'slow');
  const started = Date.now();
  await t.throwsAsync(addNetworkList(mkList([{ type: 'slow', sleepMs: 20_000 }]), rt, { ...f.opts, timeoutMs: 5000 }), { message: 'plugin slow failed (add): no answer within 5 s (killed)' });
  t.true(Date.now() - started < 30_000, 'ADD and its cleanup DEL each bounded, not the 20 s the plugin asks for');
});

test('explain: per plugin the environment, the path and the exact stdin as a here-document', (t) => {
  const f = fakes(t, 'one', 'two');
  const list = mkList([{ type: 'one', capabilities: { portMappings: true } }, { type: 'two' }]);
  const env = `CNI_CONTAINERID=c1 CNI_NETNS=/run/netns/c1 CNI_ARGS='A=1;B=x y' CNI_IFNAME=eth0 CNI_PATH=${f.dir}`;
  const lines = explainNetworkList('ADD', list, { ...rt, args: [['A', '1'], ['B', 'x y']] }, f.opts);
  t.deepEqual(lines, [
    `CNI_COMMAND=ADD ${env} ${f.dir}/one <<'EOF'`,
    JSON.stringify({ type: 'one', name: 'fakenet', cniVersion: '1.0.0', runtimeConfig: { portMappings: rt.capabilityArgs.portMappings } }),
    'EOF',
    `CNI_COMMAND=ADD ${env} ${f.dir}/two <<'EOF'`,
    JSON.stringify({ type: 'two', name: 'fakenet', cniVersion: '1.0.0', prevResult: '$PREV_RESULT' }),
    'EOF',
  ]);
  const del = explainNetworkList('DEL', list, rt, { ...f.opts, path: [f.dir, '/x'] });
  t.is(del[0], `CNI_COMMAND=DEL CNI_CONTAINERID=c1 CNI_NETNS=/run/netns/c1 CNI_IFNAME=eth0 CNI_PATH=${f.dir}:/x ${f.dir}/two <<'EOF'`);
  t.false(del[1].includes('prevResult'), 'nothing cached: DEL gets no prevResult');
  t.is(JSON.parse(explainNetworkList('CHECK', list, rt, f.opts)[1]).prevResult, '$CACHED_RESULT');
  t.deepEqual(explainNetworkList('CHECK', mkList([{ type: 'one' }], { disableCheck: true }), rt, f.opts), ['# CHECK of network fakenet skipped: disableCheck is set']);
  t.deepEqual(explainNetworkList('ADD', mkList([{ type: 'nowhere' }]), rt, f.opts).slice(0, 2), [
    `# CNI plugin "nowhere" not found in ${f.dir}`,
    `CNI_COMMAND=ADD CNI_CONTAINERID=c1 CNI_NETNS=/run/netns/c1 CNI_IFNAME=eth0 CNI_PATH=${f.dir} nowhere <<'EOF'`,
  ]);
});

test('explain of DEL and CHECK after an ADD shows the cached result as prevResult', async (t) => {
  const f = fakes(t, 'one');
  const list = mkList([{ type: 'one' }]);
  const result = await addNetworkList(list, rt, f.opts);
  t.deepEqual(JSON.parse(explainNetworkList('DEL', list, rt, f.opts)[1]).prevResult, result);
  t.deepEqual(JSON.parse(explainNetworkList('CHECK', list, rt, f.opts)[1]).prevResult, result);
});
