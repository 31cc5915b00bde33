// The store file's layout: one container record per line, each parsed only when read beyond its
// id, name and namespace, and written back as the line it was read from unless it changed.
import test from 'ava';
import { inspect } from 'node:util';
import { StoreError } from '../../src/core/errors.js';
import { blankContainer, type ContainerRecord, type State } from '../../src/core/model.js';
import { replaceRecord, withoutRecord, withRecord } from '../../src/core/record-list.js';
import { applyStatePatch, diffState } from '../../src/core/state-patch.js';
import { chunkBytes, decodeIndex, encodeIndex, findByLead, parseIndexed, type StoreIndex, parseStateText, recordsMentioning, stateChunks, stateLayout, stateText } from '../../src/store/layout.js';

/** A record's id, name, namespace, 1 when it publishes no port, and its line's offset and length. */
type Row = [id: string, name: string, netns: string, noPorts: 0 | 1, at: number, len: number];

/** An index as a read of the note gives it (the writer's keeps its lines in pieces too). */
const asRead = (index: StoreIndex | null) => index && { head: index.head, lines: index.lines };

/** The index's records as rows, with each line's offset: what a test compares. */
function indexRows(index: StoreIndex): Row[] {
  const rows: Row[] = [];
  let at = index.head + 1;
  for (const line of index.lines.split('\n').slice(0, -1)) {
    const [id, name, netns, noPorts, len] = line.split('\t');
    rows.push([id, name, netns, noPorts === '1' ? 1 : 0, at, Number(len)]);
    at += Number(len) + 2;
  }
  return rows;
}


const ctr = (n: number, extra: Partial<ContainerRecord> = {}): ContainerRecord =>
  blankContainer({ id: String(n).repeat(64).slice(0, 64), name: `c${n}`, created: '2026-01-01T00:00:00Z', netns: `c${n}`, networkMode: 'default', image: 'alpine', ...extra });

const state = (containers: ContainerRecord[]): State => ({ version: 2, networks: [], containers, poolCursor: 2, firewallBackend: 'iptables' });

test('the text is JSON, with a line per container after a first line holding the rest', (t) => {
  const s = state([ctr(1), ctr(2, { running: true, pid: 7 })]);
  const text = stateText(s);
  const lines = text.split('\n');
  t.is(lines.length, 4);
  t.true(lines[0].endsWith('"containers":['));
  t.true(lines[1].startsWith(`{"id":"${'1'.repeat(64)}","name":"c1","netns":"c1",`));
  t.is(lines[3], ']}');
  t.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(s)), 'any JSON reader sees the same state');
  t.deepEqual(JSON.parse(JSON.stringify(parseStateText(text))), JSON.parse(JSON.stringify(s)), 'and so does the lazy read');
  t.is(stateText(parseStateText(text) as State), text, 'read, then written: the same text');
});

test('no container, and no other field: still the layout, and read back', (t) => {
  const text = stateText(state([]));
  t.is(text.split('\n').length, 2);
  t.deepEqual(parseStateText(text), { version: 2, networks: [], poolCursor: 2, firewallBackend: 'iptables', containers: [] });
  t.is(stateText({ containers: [] } as unknown as State), '{"version":2,"containers":[\n]}', 'written in this pont\'s layout, whatever it was given');
  t.deepEqual(parseStateText('{"containers":[\n]}'), { containers: [] });
});

test('a record is parsed only when a field beyond its id, name and namespace is read', (t) => {
  // the second record is broken after its lead: reading it whole fails, its lead does not
  const good = stateText(state([ctr(1), ctr(2)]));
  const lines = good.split('\n');
  lines[2] = `${lines[2].slice(0, lines[2].indexOf('"netns":"c2",') + '"netns":"c2",'.length)}"running":tru}`;
  const s = parseStateText(lines.join('\n')) as State;
  t.deepEqual(s.containers.map((c) => [c.id.slice(0, 1), c.name, c.netns]), [['1', 'c1', 'c1'], ['2', 'c2', 'c2']]);
  t.false(s.containers[0].running);
  // read long after the store: a typed error naming the file and the record, not a bare SyntaxError
  const e = t.throws(() => s.containers[1].running, { instanceOf: StoreError });
  t.regex(e.message, /^state file state\.json is corrupt \(container c2: .*\); pont will not reset it: move it aside to start over$/);
});

test('published ports lead the line: none are known without a parse, some are parsed', (t) => {
  const port = { networkId: 'n', hostIp: '', hostPort: 8080, containerPort: 80, proto: 'tcp' as const };
  const text = stateText(state([ctr(1), ctr(2, { ports: [port] })]));
  t.true(text.split('\n')[1].startsWith(`{"id":"${'1'.repeat(64)}","name":"c1","netns":"c1","ports":[],`));
  const broken = text.split('\n').map((l) => (l.includes('"name":"c1"') ? `${l.slice(0, l.indexOf('"ports":[],') + '"ports":[],'.length)}"x":}` + ',' : l)).join('\n');
  const s = parseStateText(broken) as State;
  t.deepEqual(s.containers[0].ports, [], 'no port: read from the lead');
  t.throws(() => s.containers[0].running, { instanceOf: StoreError });
  t.deepEqual(s.containers[1].ports, [port]);
});

test('a record changed in place is written whole; the others as read', (t) => {
  const s = parseStateText(stateText(state([ctr(1), ctr(2)]))) as State;
  s.containers[0].running = true;
  const copy = { ...s.containers[1], exitCode: 3 };
  const text = stateText({ ...s, containers: [s.containers[0], copy] });
  const back = JSON.parse(text) as State;
  t.true(back.containers[0].running);
  t.is(back.containers[1].exitCode, 3);
  t.is(back.containers[1].name, 'c2');
});

test('a record reads as the object it was written from: keys, spread, `in`, JSON', (t) => {
  const c = ctr(4, { labels: { a: 'b' }, ports: [{ networkId: 'n', hostIp: '', hostPort: 80, containerPort: 80, proto: 'tcp' }] });
  const [read] = (parseStateText(stateText(state([c]))) as State).containers;
  t.deepEqual(Object.keys(read).sort(), Object.keys(c).sort());
  t.deepEqual({ ...read }, { ...c });
  t.true('labels' in read);
  t.false('external' in read);
  t.deepEqual(JSON.parse(JSON.stringify(read)), JSON.parse(JSON.stringify(c)));
});

test('any other text is parsed whole: an older indented store, a hand-edited line', (t) => {
  const s = state([ctr(1)]);
  t.deepEqual(parseStateText(JSON.stringify(s, null, 1)), JSON.parse(JSON.stringify(s)));
  const edited = stateText(s).replace(`{"id":"${'1'.repeat(64)}","name":"c1","netns":"c1",`, '{"name":"c1","id":"' + '1'.repeat(64) + '","netns":"c1",');
  t.is((parseStateText(edited) as State).containers[0].name, 'c1');
  t.throws(() => parseStateText(stateText(s).replace('"name":"c1"', '"name":c1')), { instanceOf: SyntaxError });
  t.throws(() => parseStateText('{"version":1,"containers":[\n{"id":"ab","name":"x","netns":"x"}'), { instanceOf: SyntaxError }, 'cut short');
});

/** The text as read from its bytes, as store.ts reads it: an ASCII file with its buffer. */
const readBytes = (bytes: Buffer, ascii = true) => parseStateText(bytes.toString(ascii ? 'latin1' : 'utf8'), 'state.json', ascii ? bytes : undefined) as State;
/** Whether `c` lies in `file`'s bytes (small buffers share Node's pool: the same ArrayBuffer is not enough). */
const inFile = (c: Uint8Array, file: Buffer) => c.buffer === file.buffer && c.byteOffset >= file.byteOffset && c.byteOffset + c.length <= file.byteOffset + file.length;
/** The plain objects of a state's records: what any reader of the text sees. */
const plain = (s: State): State => JSON.parse(JSON.stringify(s)) as State;

test('read from ASCII bytes: the unchanged records are written as slices of those bytes, runs of them as one', (t) => {
  const s = state([1, 2, 3, 4, 5, 6].map((n) => ctr(n)));
  const file = Buffer.from(stateText(s));
  const read = readBytes(file);
  const unchanged = stateChunks(read);
  t.is(unchanged.length, 3, 'the first line, all the records as one slice, the end');
  t.true(inFile(unchanged[1], file), 'a slice of the bytes read, not a copy');
  t.deepEqual(Buffer.concat(unchanged), file);

  // c3 changed (a new object), c5 gone, c7 added: slices around them, and each change encoded
  const changed = { ...read, containers: [read.containers[0], read.containers[1], { ...read.containers[2], running: true }, read.containers[3], read.containers[5], ctr(7)] };
  const chunks = stateChunks(changed);
  t.deepEqual(chunks.filter((c) => inFile(c, file)).map((c) => Buffer.from(c).toString().split('\n').length), [2, 1, 1], 'c1-c2, c4, c6');
  const text = Buffer.concat(chunks.map(chunkBytes)).toString();
  t.is(text, stateText(plain(changed)), 'the very text the records would be written as');
  t.deepEqual(JSON.parse(text), plain(changed));
  t.deepEqual(Buffer.concat(stateChunks({ ...read, containers: [] })).toString(), stateText(state([])));
  t.deepEqual(Buffer.concat(stateChunks({ ...read, containers: [read.containers[5], read.containers[0]] })).toString(), stateText(plain({ ...read, containers: [read.containers[5], read.containers[0]] })), 'reordered');
});

test('a record set in place, or read from a file that is not ASCII, is encoded again', (t) => {
  const s = state([ctr(1), ctr(2, { labels: { note: 'café' } }), ctr(3)]);
  const text = stateText(s);
  const utf8File = Buffer.from(text);
  const utf8 = readBytes(utf8File, false);
  t.false(stateChunks(utf8).some((c) => inFile(c, utf8File)));
  t.is(Buffer.concat(stateChunks(utf8)).toString(), text);
  t.is((utf8.containers[1].labels ?? {}).note, 'café');

  const ascii = state([ctr(1), ctr(2), ctr(3)]);
  const file = Buffer.from(stateText(ascii));
  const read = readBytes(file);
  read.containers[1].exitCode = 9;
  const chunks = stateChunks(read);
  t.is(chunks.filter((c) => inFile(c, file)).length, 2, 'c1 and c3 only');
  t.is((JSON.parse(Buffer.concat(chunks.map(chunkBytes)).toString()) as State).containers[1].exitCode, 9);
});

test('the index of an ASCII file: its first line, and each record\'s lead and place', (t) => {
  const port = { networkId: 'n', hostIp: '', hostPort: 8080, containerPort: 80, proto: 'tcp' as const };
  const s = state([ctr(1), ctr(2, { ports: [port] }), ctr(3)]);
  const { chunks, index } = stateLayout(s);
  const file = Buffer.concat(chunks.map(chunkBytes));
  const text = file.toString();
  t.truthy(index);
  t.is(text[index!.head], '\n');
  t.is(text.slice(0, index!.head), text.split('\n')[0]);
  t.deepEqual(indexRows(index!).map(([id, name, netns, noPorts]) => [id.slice(0, 1), name, netns, noPorts]), [['1', 'c1', 'c1', 1], ['2', 'c2', 'c2', 0], ['3', 'c3', 'c3', 1]]);
  for (const [i, [, , , , at, len]] of indexRows(index!).entries()) t.is(text.slice(at, at + len), text.split('\n')[i + 1].replace(/,$/, ''));
  const read = parseIndexed(file, index!) as State;
  t.deepEqual(plain(read), plain(s), 'read through the index: the same state');
  t.deepEqual(read.containers[0].ports, []);
  t.deepEqual(read.containers[1].ports, [port]);
});

test('read through its index, a file is written back from its bytes, and so is its index', (t) => {
  const s = state([1, 2, 3, 4].map((n) => ctr(n)));
  const first = stateLayout(s);
  const file = Buffer.concat(first.chunks.map(chunkBytes));
  const read = parseIndexed(file, first.index!) as State;
  const again = stateLayout(read);
  t.deepEqual(Buffer.concat(again.chunks.map(chunkBytes)), file);
  t.deepEqual(asRead(again.index), asRead(first.index));
  t.true(inFile(chunkBytes(again.chunks[1]), file), 'the records: a slice of the bytes read');

  // c2 changed, c3 gone, c5 added: the index follows the file written
  const changed = { ...read, containers: [read.containers[0], { ...read.containers[1], running: true }, read.containers[3], ctr(5)] };
  const next = stateLayout(changed);
  const bytes = Buffer.concat(next.chunks.map(chunkBytes));
  t.is(bytes.toString(), stateText(plain(changed)));
  t.deepEqual(plain(parseIndexed(bytes, next.index!) as State), plain(changed));
  t.deepEqual(plain(parseStateText(bytes.toString()) as State), plain(changed));
});

test('no index for a file that is not ASCII; an index that does not fit the bytes is not used', (t) => {
  t.is(stateLayout(state([ctr(1), ctr(2, { labels: { note: 'café' } })])).index, null);
  t.is(stateLayout({ ...state([ctr(1)]), networks: [{ name: 'réseau' }] } as unknown as State).index, null);
  const { chunks, index } = stateLayout(state([ctr(1), ctr(2)]));
  const file = Buffer.concat(chunks.map(chunkBytes));
  t.is(parseIndexed(Buffer.concat([file, Buffer.from(' ')]), index!), null, 'longer than indexed');
  t.is(parseIndexed(file, { ...index!, head: index!.head - 1 }), null, 'first line elsewhere');
  t.deepEqual(asRead(stateLayout(state([])).index), { head: stateText(state([])).indexOf('\n'), lines: '' });
  t.deepEqual(plain(parseIndexed(Buffer.from(stateText(state([]))), stateLayout(state([])).index!) as State), { ...state([]), containers: [] });
});

test('the index, a line per record, read again; refused when torn or not this build\'s; none when a field holds what JSON escapes', (t) => {
  const s = state([ctr(1), ctr(2, { ports: [{ containerPort: 80, proto: 'tcp', hostIp: '', hostPort: 8080 }] as ContainerRecord['ports'] }), ctr(3)]);
  const { chunks, index } = stateLayout(s);
  const file = Buffer.concat(chunks.map(chunkBytes));
  t.deepEqual(decodeIndex(encodeIndex(index!)), { head: index!.head, lines: index!.lines });
  t.is(index!.parts?.join(''), index!.lines, 'its pieces, as the writer keeps them, are its lines');
  t.deepEqual(decodeIndex(encodeIndex({ head: 40, lines: '' })), { head: 40, lines: '' });
  t.is(index!.lines.split('\n')[1], `${s.containers[1].id}\tc2\tc2\t0\t${indexRows(index!)[1][5]}`);
  // an earlier build's JSON index, a note cut short, a head that is no number
  for (const bad of ['', '{"head":12,"rows":[]}', '12', '12\nabc', 'x\n', '1234567890123\n']) t.is(decodeIndex(bad), null, bad);
  // lines that do not fit the file: another length, a missing field, a bad flag, one line too many or too few
  const lines = index!.lines.split('\n');
  const variants = [
    lines.map((l, i) => (i === 1 ? l.replace(/\t(\d+)$/, (_, n) => `\t${Number(n) + 1}`) : l)),
    lines.map((l, i) => (i === 1 ? l.replace(/\tc2\t/, '\t') : l)),
    lines.map((l, i) => (i === 1 ? l.replace(/\t0\t/, '\t2\t') : l)),
    [lines[0], ...lines],
    lines.slice(1),
  ];
  for (const v of variants) t.is(parseIndexed(file, { head: index!.head, lines: v.join('\n') }), null, v.join('|'));
  for (const name of ['a"b', 'a\\b', 'a\nb']) t.is(stateLayout(state([ctr(1), ctr(2, { name })])).index, null, name);
});

test('a record carried over from a file read as text gets no index when a field is not plain (its lead is decoded)', (t) => {
  const s = state([ctr(1), ctr(2, { name: 'a\\b', netns: 'n","i' })]);
  const text = stateText(s);
  t.is(stateLayout(s).index, null);
  const read = parseStateText(text, 'state.json', Buffer.from(text, 'latin1')) as State;
  t.is(read.containers[1].name, 'a\\b');
  const again = stateLayout(read);
  t.is(again.index, null, 'no index of decoded, unquoted fields');
  t.deepEqual(plain(parseStateText(Buffer.concat(again.chunks.map(chunkBytes)).toString()) as State), plain(s));
});

test('a record read through the index is parsed only when read beyond its lead', (t) => {
  const { chunks, index } = stateLayout(state([ctr(1), ctr(2)]));
  const text = Buffer.concat(chunks.map(chunkBytes)).toString();
  // c2's line broken after its lead, its length kept
  const [, , , , at, len] = indexRows(index!)[1];
  const line = text.slice(at, at + len);
  const broken = line.replace('"tty":false', '"tty":fals!');
  t.is(broken.length, line.length);
  const s = parseIndexed(Buffer.from(text.slice(0, at) + broken + text.slice(at + len)), index!) as State;
  t.is(s.containers[1].name, 'c2');
  t.false(s.containers[0].running);
  t.throws(() => s.containers[1].tty, { instanceOf: StoreError, message: /^state file state\.json is corrupt \(container c2: / });
});

test('the records that may mention an id: the unparsed ones whose line holds it, and every other', (t) => {
  const ep = (networkId: string) => ({ networkId, endpointId: 'e', ifname: 'eth0', hostIfname: 'pv', ipAddress: '172.18.0.2', prefixLen: 16, gateway: '172.18.0.1', macAddress: '02:42:ac:12:00:02', aliases: [] });
  const net = 'a'.repeat(64);
  const s = state([ctr(1, { endpoints: [ep(net)] }), ctr(2), ctr(3, { endpoints: [ep('b'.repeat(64))] }), ctr(4, { endpoints: [ep(net)] })]);
  const { chunks, index } = stateLayout(s);
  const file = Buffer.concat(chunks.map(chunkBytes));
  for (const read of [parseIndexed(file, index!) as State, readBytes(file)]) {
    t.deepEqual(recordsMentioning(read.containers, net).map((c) => c.name), ['c1', 'c4']);
    t.deepEqual(recordsMentioning(read.containers, 'c'.repeat(64)), []);
    // a record read whole, or made since, is always one of them: its line may be gone
    void read.containers[1].running;
    const made = ctr(5);
    t.deepEqual(recordsMentioning([...read.containers, made], net).map((c) => c.name), ['c1', 'c2', 'c4', 'c5']);
  }
  t.deepEqual(recordsMentioning(readBytes(Buffer.from(stateText(s)), false).containers, net).length, 4, 'no bytes to search: all');
});

/** The state as a read through the index gives it: the records as proxies over the file's bytes. */
function readIndexed(s: State): State {
  const { chunks, index } = stateLayout(s);
  return parseIndexed(Buffer.concat(chunks.map(chunkBytes)), index!) as State;
}

test('findByLead: the first record with that id, name or namespace, searched in the index as a look through the records finds it', (t) => {
  // c2's name is c3's namespace, c4's name "1" is also every row's "publishes no port" column, c5's namespace is its own name
  const s = state([ctr(1), ctr(2, { name: 'shared' }), ctr(3, { netns: 'shared' }), ctr(4, { name: '1', netns: '' }), ctr(5, { name: 'n5', netns: 'n5' })]);
  const read = readIndexed(s);
  const look = (pairs: [('id' | 'name' | 'netns'), string][]) => s.containers.find((c) => pairs.some(([k, v]) => c[k] === v))?.id;
  const cases: [('id' | 'name' | 'netns'), string][][] = [
    [['name', 'shared']], [['netns', 'shared']], [['name', '1']], [['netns', '1']], [['name', 'n5']], [['netns', 'n5']],
    [['id', '3'.repeat(64)]], [['id', '3'.repeat(63)]], [['id', 'c3']], [['name', 'nobody']], [['name', 'c1\tc1']], [['netns', '']],
    [['id', '5'.repeat(64)], ['name', 'shared']], [['id', 'shared'], ['name', 'c1']],
  ];
  for (const pairs of cases) {
    t.is(findByLead(read.containers, ...pairs)?.id, look(pairs), JSON.stringify(pairs));
    t.is(findByLead(s.containers, ...pairs)?.id, look(pairs), `${JSON.stringify(pairs)}, records not read through an index`);
  }
  t.is(findByLead(read.containers, ['name', 'shared']), read.containers[1], 'the very record of the array');
  // an array made from the one read (a patch's) is looked through: its rows would not fit it
  const patched = read.containers.filter((c) => c.name !== 'c1');
  t.is(findByLead(patched, ['name', 'n5'])?.id, '5'.repeat(64));
  // a record replaced in place (pont never does): its row is not taken for it
  (read.containers as ContainerRecord[])[1] = { ...read.containers[1], name: 'renamed' };
  t.is(findByLead(read.containers, ['name', 'shared']), undefined);
});

test('a record whose id, name or namespace is not a string gives the file no index: read back as written, not as the text "undefined"', (t) => {
  const s = state([ctr(1), { ...ctr(2), netns: undefined as unknown as string }]);
  const { chunks, index } = stateLayout(s);
  t.is(index, null);
  const text = Buffer.concat(chunks.map(chunkBytes)).toString();
  t.false('netns' in (parseStateText(text) as State).containers[1]);
});

test('records of a read, reordered, repeated, dropped, set in place, or from another read of the same bytes: each written as it reads, and so is the index', (t) => {
  const s = state([1, 2, 3, 4, 5, 6].map((n) => ctr(n)));
  const first = stateLayout(s);
  const file = Buffer.concat(first.chunks.map(chunkBytes));
  const src = { size: file.length, loaded: file, whole: () => file, range: (at: number, len: number) => file.subarray(at, at + len) };
  const a = (parseIndexed(src, first.index!) as State).containers;
  const check = (list: ContainerRecord[], what: string) => {
    const next = { ...s, containers: list };
    const out = stateLayout(next);
    const bytes = Buffer.concat(out.chunks.map(chunkBytes));
    t.is(bytes.toString(), stateText(plain(next)), what);
    t.deepEqual(plain(parseIndexed(bytes, out.index!) as State), plain(next), `${what}: its index`);
  };
  check([...a], 'as read');
  check([a[5], a[4], a[3], a[2], a[1], a[0]], 'reversed');
  check([a[0], a[0], a[2], a[2], a[1]], 'repeated, out of order');
  check([a[1], a[2], a[4]], 'the first, one between and the last dropped');
  check([ctr(9), a[0], ctr(8), a[1], a[2], a[5], ctr(7)], 'new records between');
  // a second read of the very same bytes: its records and the first read's, mixed
  const b = (parseIndexed(src, first.index!) as State).containers;
  check([a[0], b[1], a[2], b[3], b[4], a[5]], 'two reads of one Source, mixed');
  // set in place (the layout notices: written whole, from its fields)
  (a[3] as unknown as Record<string, unknown>).running = true;
  check([a[2], a[3], a[4]], 'a record set in place, between two kept');
  t.true(stateText({ ...s, containers: [a[3]] }).includes('"running":true'), 'written with what was set');
});

test('a list read through the index reads as the array of its records: length, indexes, methods, spread, JSON, keys', (t) => {
  const s = state([1, 2, 3, 4].map((n) => ctr(n)));
  const list = readIndexed(s).containers;
  t.true(Array.isArray(list));
  t.is(list.length, 4);
  t.is(list[2].name, 'c3');
  t.is(list[2], list[2], 'one record per row, made once');
  t.is(list.at(4), undefined);
  t.true(2 in list);
  t.false(4 in list);
  t.is(list.indexOf(list[3]), 3);
  t.deepEqual(list.map((c) => c.name), ['c1', 'c2', 'c3', 'c4']);
  t.deepEqual([...list].map((c) => c.netns), ['c1', 'c2', 'c3', 'c4']);
  t.deepEqual(plain({ ...s, containers: list }), plain(s));
  t.deepEqual(Object.keys(list), ['0', '1', '2', '3']);
  t.deepEqual(list.slice(1, 3).map((c) => c.id), [ctr(2).id, ctr(3).id]);
});

test('edits of a list read through the index, chained, read and write as the same edits of a plain array, and give the same patch', (t) => {
  const s = state([1, 2, 3, 4, 5, 6].map((n) => ctr(n)));
  const before = readIndexed(s);
  // each step: an edit of the list as edited so far, and what it reads as
  type Edit = (l: ContainerRecord[]) => ContainerRecord[];
  const running = (c: ContainerRecord) => ({ ...c, running: true });
  const runs: [string, Edit[]][] = [
    ['none', []],
    ['the first replaced', [(l) => replaceRecord(l, l[0], running(l[0]))]],
    ['one between replaced, then left out', [(l) => replaceRecord(l, l[2], running(l[2])), (l) => withoutRecord(l, l[2])]],
    ['the last left out, one added, then replaced', [(l) => withoutRecord(l, l[5]), (l) => withRecord(l, ctr(9)), (l) => replaceRecord(l, l[5], running(l[5]))]],
    ['every record left out', [(l) => l.reduce((out, c) => withoutRecord(out, c), l)]],
    ['a copy replaced (found by id), then two added', [(l) => replaceRecord(l, { ...l[1] }, running(l[1])), (l) => withRecord(withRecord(l, ctr(7)), ctr(8))]],
    ['a record not in the list left out: the same records', [(l) => withoutRecord(l, ctr(9))]],
  ];
  for (const [what, edits] of runs) {
    let lazy = before.containers;
    let eager = [...before.containers];
    for (const edit of edits) {
      lazy = edit(lazy);
      eager = edit(eager);
    }
    t.deepEqual(lazy.map((c) => c.id), eager.map((c) => c.id), what);
    t.true(lazy.every((c, i) => c === eager[i] || JSON.stringify(c) === JSON.stringify(eager[i])), `${what}: the same records`);
    const next = { ...before, containers: lazy };
    const out = stateLayout(next);
    const bytes = Buffer.concat(out.chunks.map(chunkBytes));
    t.is(bytes.toString(), stateText(plain({ ...before, containers: eager })), `${what}: written as the plain array`);
    t.deepEqual(indexRows(out.index!), indexRows(stateLayout({ ...before, containers: eager }).index!), `${what}: its index`);
    t.deepEqual(plain(parseIndexed(bytes, out.index!) as State), plain(next), `${what}: read back`);
    const patch = diffState(before, next);
    t.deepEqual(patch, diffState({ ...before, containers: [...before.containers] }, { ...next, containers: [...lazy] }), `${what}: the patch`);
    t.deepEqual(plain(applyStatePatch(readIndexed(s), patch)), plain(next), `${what}: the patch applied`);
  }
});

test('a list read through the index, changed in place, is a plain array from then on; its edits are made as a plain array\'s', (t) => {
  const s = state([1, 2, 3].map((n) => ctr(n)));
  const read = readIndexed(s);
  const list = read.containers as ContainerRecord[];
  const kept = list[0];
  list.push(ctr(4));
  t.is(list.length, 4);
  t.is(list[0], kept, 'the records made before stay');
  t.deepEqual(list.map((c) => c.name), ['c1', 'c2', 'c3', 'c4']);
  const next = replaceRecord(list, list[1], { ...list[1], running: true });
  t.false(Array.isArray(next) && next === list);
  t.deepEqual(next.map((c) => c.running), [false, true, false, false]);
  const out = stateLayout({ ...read, containers: next });
  t.is(Buffer.concat(out.chunks.map(chunkBytes)).toString(), stateText(plain({ ...read, containers: next })));
  t.is(findByLead(list, ['name', 'c2'])?.id, ctr(2).id, 'looked through, not searched in rows that no longer fit');
});

test('a list read through the index, frozen, or shown by util.inspect, holds its records', (t) => {
  const s = state([1, 2].map((n) => ctr(n)));
  const shown = inspect(readIndexed(s).containers, { depth: 1 });
  t.true(shown.includes("name: 'c1'") && shown.includes("name: 'c2'"), shown);
  const frozen = Object.freeze(readIndexed(s).containers);
  t.deepEqual(frozen.map((c) => c.name), ['c1', 'c2']);
  t.true(Object.isFrozen(frozen));
});
