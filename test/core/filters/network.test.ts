import test from 'ava';
import type { ContainerRecord, NetworkRecord, State } from '../../../src/core/model.js';
import { planNetworkListFilter } from '../../../src/core/filters/network.js';
import { planPruneFilter } from '../../../src/core/filters/prune.js';
import { parseGoDuration, parseUntil } from '../../../src/core/filters/until.js';

const net = (name: string, over: Partial<NetworkRecord> = {}): NetworkRecord =>
  ({ id: `${name}`.padEnd(64, '0'), name, driver: 'bridge', created: '2026-01-01T00:00:00Z', internal: false, attachable: false, labels: {}, options: {}, ipam: [], predefined: false, book: { allocated: [] }, ...over }) as NetworkRecord;

const nets = [
  net('bridge', { predefined: true }),
  net('host', { driver: 'host', predefined: true }),
  net('keep', { labels: { keep: '1', team: 'a' } }),
  net('other', { labels: { team: 'b' }, created: '2026-06-01T00:00:00Z' }),
  net('bare'),
  net('used', { driver: 'macvlan' }),
];
const state = { networks: nets, containers: [{ endpoints: [{ networkId: nets[5].id }] } as unknown as ContainerRecord] } as State;
const names = (list: string[]) => nets.filter(planNetworkListFilter(list)(state)).map((n) => n.name);
const pruned = (list: string[]) => nets.filter(planPruneFilter(list, Date.parse('2026-12-01T00:00:00Z'))).map((n) => n.name);

test('label=constructor matches no network: labels are looked up as own keys', (t) => {
  t.deepEqual(names(['label=constructor']), []);
  t.deepEqual(names(['label=toString']), []);
  t.deepEqual(names(['label=__proto__']), []);
  t.deepEqual(pruned(['label=constructor']), []);
});

test('prune keeps every network when label!=constructor (no network has it)', (t) => {
  t.deepEqual(pruned(['label!=constructor']), nets.map((n) => n.name));
});

test('label values must all hold (Docker MatchKVList); other keys OR their values', (t) => {
  t.deepEqual(names(['label=team']), ['keep', 'other']);
  t.deepEqual(names(['label=team', 'label=keep']), ['keep']);
  t.deepEqual(names(['label=team=b']), ['other']);
  t.deepEqual(names(['name=keep', 'name=other']), ['keep', 'other']);
  t.deepEqual(names(['driver=macvlan', 'driver=host']), ['host', 'used']);
});

test('name and id are exact or regular-expression matches; a bad expression is refused', (t) => {
  t.deepEqual(names(['name=^b']), ['bridge', 'bare']);
  t.deepEqual(names(['name=(?i)^KEEP$']), ['keep']);
  // Docker lets a pattern Go cannot compile match nothing; pont refuses it (D-strict-input)
  t.throws(() => names(['name=[']), { message: /^Error response from daemon: invalid filter regexp '\[': error parsing regexp: / });
  t.throws(() => names(['name=(?<=k)eep']), { message: "Error response from daemon: invalid filter regexp '(?<=k)eep': error parsing regexp: invalid or unsupported Perl syntax: `(?<`" });
  t.deepEqual(names([`id=${nets[2].id.slice(0, 4)}`]), ['keep']);
});

test('keys are lower-cased and values trimmed, as Docker\'s CLI does', (t) => {
  t.deepEqual(names(['Name= keep ']), ['keep']);
});

test('type, scope and dangling', (t) => {
  t.deepEqual(names(['type=builtin']), ['bridge', 'host']);
  t.deepEqual(names(['type=custom']), ['keep', 'other', 'bare', 'used']);
  t.deepEqual(names(['scope=global']), []);
  t.deepEqual(names(['dangling=true']), ['keep', 'other', 'bare']);
  t.deepEqual(names(['dangling=0']), ['bridge', 'host', 'used']);
  t.throws(() => names(['dangling=maybe']), { message: `Error response from daemon: invalid value for filter 'dangling', must be "true" (or "1"), or "false" (or "0")` });
  t.throws(() => names(['type=x']), { message: "Error response from daemon: invalid filter: 'type'='x'" });
});

test('unknown keys are refused with Docker\'s text; ls and prune accept different keys', (t) => {
  t.throws(() => names(['x=y']), { message: "Error response from daemon: Invalid filter 'x'" });
  t.throws(() => names(['until=1h']), { message: "Error response from daemon: Invalid filter 'until'" });
  t.throws(() => names(['label!=x']), { message: "Error response from daemon: Invalid filter 'label!'" });
  t.throws(() => pruned(['driver=bridge']), { message: "Error response from daemon: Invalid filter 'driver'" });
  t.throws(() => pruned(['dangling=true']), { message: "Error response from daemon: Invalid filter 'dangling'" });
  t.throws(() => pruned(['constructor=1']), { message: "Error response from daemon: Invalid filter 'constructor'" });
  t.throws(() => names(['xy']), { message: 'invalid argument "xy" for "-f, --filter" flag: bad format of filter (expected name=value)' });
  t.throws(() => pruned(['xy']), { message: 'invalid argument "xy" for "--filter" flag: bad format of filter (expected name=value)' });
});

test('prune until: networks created before the instant', (t) => {
  t.deepEqual(pruned(['until=2026-03-01']), ['bridge', 'host', 'keep', 'bare', 'used']);
  t.deepEqual(pruned(['until=5000h']), ['bridge', 'host', 'keep', 'bare', 'used']);
  t.deepEqual(pruned(['until=1h']), nets.map((n) => n.name));
  t.throws(() => pruned(['until=x']), { message: 'Error response from daemon: failed to parse value as time or duration: "x"' });
  t.throws(() => pruned(['until=1h', 'until=2h']), { message: /more than one until filter/ });
});

test('Go durations and timestamps', (t) => {
  t.is(parseGoDuration('1h30m'), 5_400_000);
  t.is(parseGoDuration('-1.5s'), -1500);
  t.is(parseGoDuration('0'), 0);
  t.is(parseGoDuration('2µs'), 0.002); // U+00B5, and U+03BC below: Go takes both
  t.is(parseGoDuration('2μs'), 0.002);
  t.is(parseGoDuration('1'), null);
  t.is(parseGoDuration('h'), null);
  t.is(parseUntil('1700000000', 0), 1_700_000_000_000);
  t.is(parseUntil('2026-01-02T03:04:05Z', 0), Date.parse('2026-01-02T03:04:05Z'));
});
