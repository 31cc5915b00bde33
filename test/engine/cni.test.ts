// CNI networks in the engine, pure: the endpoint a plugin chain's result describes, the IPAM shown
// for a list, and the attach plan (one cni.add whose inverse is its cni.del).
import test from 'ava';
import { emptyBook } from '../../src/core/ipam.js';
import { blankContainer, emptyState, type ContainerRecord, type NetworkRecord } from '../../src/core/model.js';
import { explain, inverse } from '../../src/core/steps.js';
import { ipamFromList } from '../../src/drivers/cni.js';
import { endpointFromResult, withCniResults } from '../../src/engine/cni-results.js';
import { planAttach } from '../../src/engine/endpoints.js';

const LIST = JSON.stringify({ cniVersion: '1.0.0', name: 'cbr', plugins: [{ type: 'bridge', bridge: 'cni0', isGateway: true, ipam: { type: 'host-local', ranges: [[{ subnet: '10.88.0.0/16', gateway: '10.88.0.1' }]] } }, { type: 'portmap', capabilities: { portMappings: true } }] });

const net: NetworkRecord = {
  id: 'n'.repeat(64), name: 'cbr', driver: 'cni', created: '', internal: false, attachable: false, labels: {}, options: { config: '/etc/cni/net.d/cbr.conflist' },
  ipam: ipamFromList(JSON.parse(LIST).plugins), predefined: false, cni: { source: '/etc/cni/net.d/cbr.conflist', text: LIST }, book: emptyBook(),
};

const ctr: ContainerRecord = blankContainer({
  id: 'c'.repeat(64), name: 'web', created: '', netns: 'web', networkMode: 'cbr', image: 'alpine', hostname: 'cccccccccccc', startedAt: '', finishedAt: '', running: true,
  ports: [{ networkId: 'n'.repeat(64), hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80, proto: 'tcp' }],
});

const RESULT = {
  cniVersion: '1.0.0',
  interfaces: [{ name: 'cni0', mac: 'aa:aa:aa:aa:aa:aa' }, { name: 'veth1234', mac: 'bb:bb:bb:bb:bb:bb' }, { name: 'eth0', mac: 'cc:cc:cc:cc:cc:cc', sandbox: '/run/netns/web' }],
  ips: [{ address: '10.88.0.5/16', gateway: '10.88.0.1', interface: 2 }],
};

test('the IPAM shown for a list: host-local ranges, or a plain subnet', (t) => {
  t.deepEqual(net.ipam, [{ subnet: '10.88.0.0/16', gateway: '10.88.0.1' }]);
  t.deepEqual(ipamFromList([{ ipam: { type: 'static' } }]), []);
  t.deepEqual(ipamFromList([{ ipam: { subnet: '10.1.0.0/24' } }]), [{ subnet: '10.1.0.0/24', gateway: '', implicitGateway: true }]);
});

test('an attach is one cni.add with the list, the namespace, ethN and the port mappings; its detach is the matching cni.del', (t) => {
  const a = planAttach(ctr, net, { aliases: ['db'], connected: false, newId: () => 'e'.repeat(64) });
  t.is(a.container.endpoints[0].ipAddress, '', 'the plugins choose the address');
  t.deepEqual(a.container.endpoints[0].aliases, ['db', 'cccccccccccc']);
  t.is(a.steps.length, 1);
  const s = a.steps[0];
  t.is(s.op, 'cni.add');
  if (s.op !== 'cni.add') return;
  t.is(s.netns, 'web');
  t.is(s.ifname, 'eth0');
  t.deepEqual(s.capabilityArgs, { portMappings: [{ hostPort: 8080, containerPort: 80, protocol: 'tcp', hostIP: '127.0.0.1' }] });
  t.deepEqual(inverse(a.steps), [{ ...s, op: 'cni.del' }]);
  t.regex(explain(s, 'iptables')[0], /^# CNI ADD of \/etc\/cni\/net\.d\/cbr\.conflist for web \(eth0\)$/);
  t.throws(() => planAttach(ctr, net, { ip: '10.88.0.9', aliases: [], connected: false, newId: () => 'e' }), { message: /--ip is not supported on network cbr/ });
});

test("the result's sandbox interface and its address become the endpoint, recorded at commit", (t) => {
  const a = planAttach(ctr, net, { aliases: [], connected: false, newId: () => 'e'.repeat(64) });
  const ep = endpointFromResult(a.container.endpoints[0], RESULT);
  t.like(ep, { ipAddress: '10.88.0.5', prefixLen: 16, gateway: '10.88.0.1', macAddress: 'cc:cc:cc:cc:cc:cc' });
  const next = withCniResults({ ...emptyState(), networks: [net], containers: [a.container] }, a.steps, [RESULT]);
  t.is(next.containers[0].endpoints[0].ipAddress, '10.88.0.5');
});
