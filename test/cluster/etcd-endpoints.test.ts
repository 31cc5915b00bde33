// cluster-store URLs → endpoints, and the messages for the ones pont refuses.
import test from 'ava';
import { endpointsText, parseClusterStore } from '../../src/cluster/etcd-endpoints.js';
import { PontError } from '../../src/core/errors.js';

test('parseClusterStore reads one or several members, etcd:// or http://', (t) => {
  t.deepEqual(parseClusterStore('etcd://10.99.0.2:2379'), [{ host: '10.99.0.2', port: 2379 }]);
  t.deepEqual(parseClusterStore('etcd://a.example:2379, b:22379,10.0.0.3:1'), [
    { host: 'a.example', port: 2379 },
    { host: 'b', port: 22379 },
    { host: '10.0.0.3', port: 1 },
  ]);
  t.deepEqual(parseClusterStore('http://127.0.0.1:2379/'), [{ host: '127.0.0.1', port: 2379 }]);
  t.deepEqual(parseClusterStore('ETCD://[fd00::1]:2379,[::1]'), [
    { host: 'fd00::1', port: 2379 },
    { host: '::1', port: 2379 },
  ]);
  t.deepEqual(parseClusterStore('etcd://localhost'), [{ host: 'localhost', port: 2379 }], "etcd's default client port");
});

test('parseClusterStore refuses what is not a list of host:port, as a usage error', (t) => {
  const cases: [string, RegExp][] = [
    ['', /expected etcd:\/\/host:port/],
    ['10.0.0.1:2379', /expected etcd:\/\/host:port/],
    ['consul://10.0.0.1:8500', /scheme must be etcd:\/\/ or http:\/\/, not consul:\/\//],
    ['https://10.0.0.1:2379', /not https:\/\//],
    ['etcd://', /an empty member/],
    ['etcd://a:2379,,b:2379', /an empty member/],
    ['etcd://a:2379/pont', /a path is not supported/],
    ['etcd://a:0', /"0" is not a port/],
    ['etcd://a:65536', /"65536" is not a port/],
    ['etcd://a:23x', /"23x" is not a port/],
    ['etcd://a:', /"" is not a port/],
    ['etcd://a_b:2379', /"a_b" is not a host/],
    ['etcd://-a:2379', /"-a" is not a host/],
    ['etcd://fd00::1:2379', /IPv6 address goes in brackets/],
    ['etcd://[10.0.0.1]:2379', /"10.0.0.1" is not a host/],
    ['etcd://a:2379,a:2379', /a:2379 is listed twice/],
    ['etcd://user@a:2379', /"user@a" is not a host/],
  ];
  for (const [url, why] of cases) {
    const e = t.throws(() => parseClusterStore(url), { instanceOf: PontError }, url);
    t.is(e?.category, 'usage', url);
    t.true(e!.message.startsWith(`invalid cluster-store ${JSON.stringify(url)}: `), e!.message);
    t.regex(e!.message, why);
  }
});

test('endpointsText writes the endpoints back as a cluster-store URL', (t) => {
  t.is(endpointsText(parseClusterStore('http://a:1,[fd00::1]:2')), 'etcd://a:1,[fd00::1]:2');
});
