import test from 'ava';
import { ifnameProblem, parseBridgeName, parseParentName } from '../../../src/core/validate/ifname.js';

for (const name of ['pont0', 'br-x', 'a_b', 'abcdefghijklmno']) {
  test(`bridge name ${JSON.stringify(name)} is accepted`, (t) => {
    t.is(parseBridgeName(name), name);
  });
}

const badBridges: [string, RegExp][] = [
  ['+', /'\+' is iptables' interface wildcard/],
  ['eth+', /'\+' is iptables' interface wildcard/],
  ['a.b', /'\.' separates the parts of a sysctl key/],
  ['.', /'\.'/],
  ['..', /'\.'/],
  ['a/b', /only letters/],
  ['a:b', /only letters/],
  ['a b', /only letters/],
  ['a\nb', /only letters/],
  ['-x', /starting with a letter or digit/],
  ['ünï', /only letters/],
  ['abcdefghijklmnop', /^Error response from daemon: failed to check bridge interface existence: numerical result out of range$/],
  ['ééééééééé', /numerical result out of range/], // 9 characters, 18 bytes
];
for (const [name, text] of badBridges) {
  test(`bridge name ${JSON.stringify(name)} is refused on one line`, (t) => {
    const e = t.throws(() => parseBridgeName(name));
    t.regex(e!.message, text);
    t.false(e!.message.includes('\n'));
  });
}

test('a parent may be an 802.1q name: eth0.10 is the VLAN 10 of eth0', (t) => {
  t.deepEqual(parseParentName('eth0.10'), { name: 'eth0.10', vlan: { base: 'eth0', id: 10 } });
  t.deepEqual(parseParentName('lan0'), { name: 'lan0' });
  t.is(ifnameProblem('eth0.10', 'parent'), null);
  t.not(ifnameProblem('eth0.10', 'bridge'), null);
});

for (const name of ['+', 'eth+', 'eth+.10', '.', '..', 'a/b.10', 'a b', 'abcdefghijklmnop', '']) {
  test(`parent name ${JSON.stringify(name)} is refused`, (t) => {
    t.throws(() => parseParentName(name), { message: /^Error response from daemon: invalid parent interface name / });
  });
}

test("a parent's VLAN id must be 1-4094 (Docker's text)", (t) => {
  t.throws(() => parseParentName('lo.4095'), { message: 'Error response from daemon: vlan id must be between 1-4094, received: 4095' });
  t.throws(() => parseParentName('lo.0'), { message: 'Error response from daemon: vlan id must be between 1-4094, received: 0' });
  t.is(parseParentName('lo.4094').vlan?.id, 4094);
});
