// Values Docker 20.10 passes on and the kernel or iptables refuses later: pont refuses them
// while parsing, with one line (docs/differences.md D-strict-input).
import test from 'ava';
import { parsePublish, requireIPv4HostIps, PortSpecError } from '../../src/core/ports/portspec.js';
import { portRules } from '../../src/core/firewall/iptables/ports.js';
import { bridgeSettings, OPT } from '../../src/drivers/bridge/options.js';
import type { NetworkRecord } from '../../src/core/model.js';

for (const spec of ['[::1]:8080:80', '[::]:8080:80/udp', '[2001:db8::1]::80', '[::ffff:1.2.3.4]:80:80']) {
  test(`-p ${spec}: an IPv6 host address is refused`, (t) => {
    const e = t.throws(() => requireIPv4HostIps(parsePublish(spec)), { instanceOf: PortSpecError })!;
    t.regex(e.message, /^Invalid ip address: [0-9a-f:.]+: pont publishes ports on IPv4 host addresses only$/);
  });
}

test('-p with an IPv4 host address or none still passes', (t) => {
  for (const spec of ['127.0.0.1:8080:80', '8080:80', '[127.0.0.1]:8000:80', '0.0.0.0::80']) {
    t.is(requireIPv4HostIps(parsePublish(spec)).length, 1);
  }
});

test('portRules never renders an IPv6 address as -d ADDR/32', (t) => {
  const ports = [{ networkId: 'n', hostIp: '::1', hostPort: 8080, containerPort: 80, proto: 'tcp' as const }];
  t.throws(() => portRules({ bridge: 'br0', containerIp: '172.18.0.2', ports }));
  const ok = portRules({ bridge: 'br0', containerIp: '172.18.0.2', ports: [{ ...ports[0], hostIp: '127.0.0.1' }] });
  t.true(ok.rules[0].spec.join(' ').startsWith('-d 127.0.0.1/32'));
});

const net = (mtu: string): NetworkRecord =>
  ({ id: 'x', name: 'x', driver: 'bridge', created: '', internal: false, attachable: false, labels: {}, options: { [OPT.mtu]: mtu }, ipam: [], predefined: false, book: {} } as unknown as NetworkRecord);

for (const mtu of ['1', '67', '65536', '100000', '4294967297', '-1', '99999999999999999999']) {
  test(`-o ${OPT.mtu}=${mtu} is refused at create`, (t) => {
    const e = t.throws(() => bridgeSettings(net(mtu)))!;
    t.is(e.message.split('\n').length, 1);
    t.true(e.message.includes(`invalid ${OPT.mtu} value: ${mtu} (an MTU is 0 for the default, or from 68 to 65535)`), e.message);
  });
}

for (const [mtu, want] of [['68', 68], ['1400', 1400], ['65535', 65535], ['0', undefined], ['0068', 68]] as const) {
  test(`-o ${OPT.mtu}=${mtu} is accepted`, (t) => {
    t.is(bridgeSettings(net(mtu)).mtu, want);
  });
}
