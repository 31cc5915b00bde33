// CNI configuration lists: parsing (.conflist and single .conf), version selection, and lookup
// by name in a directory in libcni's order.
import test from 'ava';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfList, parseConfList } from '../../../../src/cni/runtime/config.js';
import { compareVersions, describeVersions, selectListVersion } from '../../../../src/cni/runtime/version.js';

const LIST = JSON.stringify({
  cniVersion: '1.0.0',
  name: 'dbnet',
  disableCheck: 'true',
  plugins: [{ type: 'bridge', bridge: 'cni0', ipam: { type: 'host-local', subnet: '10.1.0.0/16' } }, { type: 'portmap', capabilities: { portMappings: true } }],
});

test('parseConfList: a .conflist keeps its plugins, name, version, flags, text and source', (t) => {
  const l = parseConfList(LIST, '/etc/cni/net.d/10-db.conflist');
  t.is(l.name, 'dbnet');
  t.is(l.cniVersion, '1.0.0');
  t.is(l.disableCheck, true, 'the string "true" counts, as in libcni');
  t.deepEqual(l.plugins.map((p) => p.type), ['bridge', 'portmap']);
  t.deepEqual(l.plugins[0].ipam, { type: 'host-local', subnet: '10.1.0.0/16' });
  t.is(l.text, LIST);
  t.is(l.source, '/etc/cni/net.d/10-db.conflist');
});

test('parseConfList: a single .conf becomes a one-plugin list carrying its name and version', (t) => {
  const text = '{"cniVersion":"0.4.0","name":"one","type":"ptp","ipMasq":true}';
  const l = parseConfList(text, 'one.conf');
  t.is(l.name, 'one');
  t.is(l.cniVersion, '0.4.0');
  t.deepEqual(l.plugins, [{ cniVersion: '0.4.0', name: 'one', type: 'ptp', ipMasq: true }]);
});

test('parseConfList: cniVersions picks the highest version this runtime implements', (t) => {
  t.is(parseConfList('{"name":"n","cniVersion":"0.4.0","cniVersions":["1.0.0","9.0.0"],"plugins":[{"type":"x"}]}', 'f').cniVersion, '1.0.0');
  t.is(selectListVersion('0.3.1'), '0.3.1');
  t.is(selectListVersion(undefined, ['1.1.0', '0.4.0']), '1.1.0');
  t.is(selectListVersion(undefined, ['2.0.0']), undefined);
});

test('parseConfList: bad input is refused on one line naming the file', (t) => {
  const cases: [string, string][] = [
    ['{', 'invalid CNI network configuration f.conflist: not JSON'],
    ['[]', 'invalid CNI network configuration f.conflist: not a JSON object'],
    ['{"cniVersion":"1.0.0","plugins":[{"type":"x"}]}', 'invalid CNI network configuration f.conflist: no "name"'],
    ['{"name":"-x","cniVersion":"1.0.0","plugins":[{"type":"x"}]}', 'invalid CNI network configuration f.conflist: invalid network name "-x"'],
    ['{"name":"n","plugins":[{"type":"x"}]}', 'invalid CNI network configuration f.conflist: no "cniVersion"'],
    ['{"name":"n","cniVersion":"one","plugins":[{"type":"x"}]}', 'invalid CNI network configuration f.conflist: "cniVersion" must be a version'],
    ['{"name":"n","cniVersion":"1.0.0","plugins":{"type":"x"}}', 'invalid CNI network configuration f.conflist: "plugins" is not a list'],
    ['{"name":"n","cniVersion":"1.0.0","plugins":[]}', 'invalid CNI network configuration f.conflist: "plugins" is empty'],
    ['{"name":"n","cniVersion":"1.0.0","plugins":[{"type":"x"},{"bridge":"b"}]}', 'invalid CNI network configuration f.conflist: plugin 2 has no "type"'],
    ['{"name":"n","cniVersion":"1.0.0","plugins":[{"type":"../x"}]}', 'invalid CNI network configuration f.conflist: plugin 1 has an invalid "type"'],
    ['{"name":"n","cniVersion":"1.0.0"}', 'invalid CNI network configuration f.conflist: the configuration has no "type"'],
    ['{"name":"n","cniVersion":"1.0.0","disableCheck":1,"plugins":[{"type":"x"}]}', 'invalid CNI network configuration f.conflist: "disableCheck" must be true or false'],
  ];
  for (const [text, start] of cases) {
    const e = t.throws(() => parseConfList(text, 'f.conflist'));
    t.true(e!.message.startsWith(start), `${text} → ${e!.message}`);
    t.false(e!.message.includes('\n'));
  }
});

test('loadConfList: by name, .conflist files first, each kind sorted by file name; by path', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pont-cni-conf-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const conf = (name: string, type: string) => JSON.stringify({ cniVersion: '1.0.0', name, plugins: [{ type }] });
  writeFileSync(join(dir, '20-b.conflist'), conf('net', 'second'));
  writeFileSync(join(dir, '10-a.conflist'), conf('net', 'first'));
  writeFileSync(join(dir, '00-a.conf'), '{"cniVersion":"1.0.0","name":"net","type":"single"}');
  writeFileSync(join(dir, '05.json'), '{"cniVersion":"1.0.0","name":"solo","type":"single"}');
  writeFileSync(join(dir, 'README'), 'not a configuration');
  mkdirSync(join(dir, 'sub.conflist'));
  t.is(loadConfList('net', dir).plugins[0].type, 'first', '.conflist before .conf, 10-a before 20-b');
  t.is(loadConfList('net', dir).source, join(dir, '10-a.conflist'));
  t.is(loadConfList('solo', dir).plugins[0].type, 'single', 'a .json single configuration is wrapped');
  t.is(loadConfList(join(dir, '20-b.conflist')).plugins[0].type, 'second', 'a path is read as is');
  t.throws(() => loadConfList('other', dir), { message: `no CNI network configuration named "other" in ${dir} (looked in 10-a.conflist, 20-b.conflist, 00-a.conf, 05.json)` });
  t.throws(() => loadConfList('other', join(dir, 'none')), { message: `no CNI network configuration named "other" in ${join(dir, 'none')} (no .conflist, .conf or .json file there)` });
  t.throws(() => loadConfList(join(dir, 'missing.conflist')), { message: `CNI network configuration ${join(dir, 'missing.conflist')}: no such file` });
});

test('loadConfList: a file that does not parse stops the search with its error, as in libcni', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pont-cni-conf-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, '10.conflist'), '{"name": ');
  t.throws(() => loadConfList('net', dir), { message: new RegExp(`^invalid CNI network configuration ${join(dir, '10.conflist')}: not JSON`) });
});

test('versions: compared as numbers, described as a range', (t) => {
  t.true(compareVersions('0.10.0', '0.4.0') > 0);
  t.is(compareVersions('1.0.0', '1.0.0'), 0);
  t.true(compareVersions('0.4.0', '1.0.0') < 0);
  t.is(describeVersions(['1.0.0', '0.1.0', '0.4.0']), '0.1.0 to 1.0.0');
});
