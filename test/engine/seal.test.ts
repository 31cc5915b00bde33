// The seal's bookkeeping, pure: how many nf_tables transactions a plan's firewall steps commit,
// and the order of pont's iptables chains after them (unknown after what the replay does not model).
import test from 'ava';
import type { FirewallPart } from '../../src/core/firewall/parts.js';
import type { Step } from '../../src/core/steps.js';
import { firewallTransactions, orderAfter } from '../../src/engine/system/seal.js';

const endpoint: FirewallPart = { kind: 'endpoint', bridge: 'pont-a', ip: '172.18.0.2' };
const network: FirewallPart = { kind: 'network', bridge: 'pont-a', subnet: '172.18.0.0/16', gateway: '172.18.0.1', internal: false, masquerade: true, icc: true };
const ORDER = '*raw\n:PONT-PREROUTING - [0:0]\nCOMMIT\n*filter\n:PONT-FORWARD - [0:0]\n:PONT-ISOLATION-STAGE-1 - [0:0]\n:PONT-ISOLATION-STAGE-2 - [0:0]\n:PONT - [0:0]\nCOMMIT\n*nat\n:PONT-POSTROUTING - [0:0]\nCOMMIT';

test('iptables-nft-restore commits each table on its own; nft -f, one transaction; an empty batch, none', (t) => {
  const add: Step = { op: 'fw.add', parts: [endpoint] };
  t.is(firewallTransactions('iptables', [add]), 0, "an endpoint: no rule (its network's subnet guard covers it)");
  t.is(firewallTransactions('iptables', [{ op: 'fw.add', parts: [network] }]), 3, "a network's rules: raw, filter and nat");
  t.is(firewallTransactions('nftables', [{ op: 'fw.add', parts: [network] }, add]), 2);
  t.is(firewallTransactions('iptables', [{ op: 'fw.add', parts: [] }]), 0);
  t.is(firewallTransactions('iptables', [{ op: 'fw.repair', doc: '*raw\n-A X\nCOMMIT\n*nat\n-A Y\nCOMMIT\n', explain: [] }]), 2);
});

test('the order after a plan: replayed; unknown after a repair, an nft table, or the other backend', (t) => {
  const after = orderAfter(ORDER, 'iptables', [{ op: 'fw.add', parts: [network, endpoint] }])!;
  t.regex(after, /-A PONT-PREROUTING -d 172\.18\.0\.0\/16 ! -i pont-a -m addrtype ! --dst-type LOCAL -j DROP/);
  t.is(orderAfter(null, 'iptables', []), null);
  t.is(orderAfter(ORDER, 'nftables', []), null);
  t.is(orderAfter(ORDER, 'iptables', [{ op: 'fw.repair', doc: '', explain: [] }]), null);
  t.is(orderAfter(ORDER, 'iptables', [{ op: 'fw.del', backend: 'nftables', parts: [endpoint] }]), null);
});
