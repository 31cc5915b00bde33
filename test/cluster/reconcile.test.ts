// What an overlay's VXLAN device must know of the other hosts, and the changes to get there: pure.
import test from 'ava';
import type { EndpointEntry, HostEntry } from '../../src/cluster/keys.js';
import { desiredEntries, diffEntries, ZERO_MAC } from '../../src/cluster/reconcile.js';

const host = (n: number): HostEntry => ({ id: `h${n}`, name: `host${n}`, address: `10.99.0.1${n}` });
const ep = (n: number, h: number, network = 'net'): EndpointEntry => ({
  network, endpointId: `e${n}`, containerId: `c${n}`, name: `c${n}`, aliases: [], ipAddress: `10.0.0.${n}`, prefixLen: 24,
  macAddress: `02:42:0A:00:00:0${n}`, host: `h${h}`, hostAddress: `10.99.0.1${h}`,
});

test('remote endpoints of live hosts only: one FDB entry each, one all-zero entry per peer host, one neighbour each', (t) => {
  const want = desiredEntries([ep(2, 1), ep(3, 2), ep(4, 2), ep(5, 3), ep(6, 2, 'other')], [host(1), host(2)], 'net', 'h1');
  t.deepEqual(want.fdb, [
    { mac: '02:42:0a:00:00:03', dst: '10.99.0.12' },
    { mac: '02:42:0a:00:00:04', dst: '10.99.0.12' },
    { mac: ZERO_MAC, dst: '10.99.0.12' },
  ]);
  t.deepEqual(want.neigh, [
    { ip: '10.0.0.3', mac: '02:42:0a:00:00:03' },
    { ip: '10.0.0.4', mac: '02:42:0a:00:00:04' },
  ]);
});

test('a host that left: its entries and its replication entry go; a moved MAC is replaced, not deleted', (t) => {
  const now = {
    fdb: [{ mac: 'aa:00:00:00:00:01', dst: '10.99.0.12' }, { mac: 'aa:00:00:00:00:02', dst: '10.99.0.13' }, { mac: ZERO_MAC, dst: '10.99.0.12' }, { mac: ZERO_MAC, dst: '10.99.0.13' }],
    neigh: [{ ip: '10.0.0.1', mac: 'aa:00:00:00:00:01' }, { ip: '10.0.0.2', mac: 'aa:00:00:00:00:02' }],
  };
  const want = {
    fdb: [{ mac: 'aa:00:00:00:00:01', dst: '10.99.0.14' }, { mac: ZERO_MAC, dst: '10.99.0.14' }],
    neigh: [{ ip: '10.0.0.1', mac: 'aa:00:00:00:00:01' }],
  };
  const d = diffEntries(now, want);
  t.deepEqual(d.add.fdb, want.fdb);
  t.deepEqual(d.add.neigh, []);
  t.deepEqual(d.del.fdb, [{ mac: 'aa:00:00:00:00:02', dst: '10.99.0.13' }, { mac: ZERO_MAC, dst: '10.99.0.12' }, { mac: ZERO_MAC, dst: '10.99.0.13' }]);
  t.deepEqual(d.del.neigh, [{ ip: '10.0.0.2', mac: 'aa:00:00:00:00:02' }]);
});

test('nothing to do when the device already matches', (t) => {
  const want = desiredEntries([ep(3, 2)], [host(1), host(2)], 'net', 'h1');
  const d = diffEntries(want, want);
  t.deepEqual(d, { add: { fdb: [], neigh: [] }, del: { fdb: [], neigh: [] } });
});
