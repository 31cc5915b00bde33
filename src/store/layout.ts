// The store file's text: JSON, with one container record per line, after a first line that holds
// everything else (the networks, the pool cursor...):
//   {"version":1,"networks":[...],...,"containers":[
//   {"id":"…","name":"…","netns":"…",…},
//   {"id":"…","name":"…","netns":"…",…}
//   ]}
// so that a command parses only the records it reads. Every command reads the store and most
// write it; on a host with 500 containers, parsing all of them, keeping them alive through the
// garbage collector's copies, and serialising them again cost more than the command's own work
// (issue 13). A record is parsed when a field other than its id, name, namespace or (empty)
// published ports is read (they lead its line), and written back as the very line it was read
// from unless it changed.
// Records are never changed in place (core/state-patch.ts compares them by reference); a field
// set on one anyway makes it written whole. Only a file pont wrote and nobody touched since is
// read so (store.ts); any other (older pont's indented file, a hand edit) is parsed whole and
// checked, as before. No I/O of its own: a file's bytes come through a Source (store.ts reads
// them, whole or where needed).
// A file read from an ASCII buffer is written back from that buffer: the unchanged records' bytes
// are slices of it, not a new 480 KB string encoded again (~4.5 ms of a command at 500 containers
// on a 2-core machine; the allocation's page faults were most of it); from a file still open
// (Source), they are ranges of it, which the writer has the kernel copy.
// A read through the index gives the records as a list that makes each one when it is first read
// (rowList), and that a command's edits (core/record-list.ts), the journal's patch and the next
// write take as runs of rows: beside 500 containers a command makes the one or two it reads.
// Beside an ASCII file it writes, pont keeps its index (StoreIndex, store.ts: with the file's
// identity in the run directory): the first line's length and each record's lead and length. A
// read of that very file takes its records from the index, so no byte of their lines is decoded or
// scanned until one is read (at 500 containers, decoding, checking and splitting the 480 KB file
// cost ~8 ms of every command). The index is text, a line per record, read where it lies (a
// record's id, name and namespace are cut from it when first asked for) and written back from
// those very lines where the record is unchanged: as JSON, decoding it into 500 rows and encoding
// them again made ~0.4 MB of garbage in every command beside 500 containers, and with it one or
// two more collections of the young generation (~1.3 ms each, 2-core machine).
import { StoreError } from '../core/errors.js';
import type { ContainerRecord, State } from '../core/model.js';
import { type ListPiece, RECORD_LIST, type RecordListEdits } from '../core/record-list.js';
import { STORE_VERSION } from '../core/state-schema.js';

const OPEN = '"containers":[';
const CLOSE = ']}';

/** On a record read from its line (a proxy): that line while the record is unchanged. */
const LINE = Symbol('store line');

/** On a record read from its line (a proxy), unchanged, of an ASCII file: where its bytes lie. */
const SOURCE = Symbol('store bytes');

/** On a record read from its line (a proxy), not parsed yet: whether its lead says it publishes no port. */
const NO_PORTS = Symbol('store no ports');

/** On a record read through the index (a proxy): its row, changed or not. */
const ROW = Symbol('store row');

/** The line a record was read from, while it is unchanged: a key for what is derived from it. */
export const lineOf = (record: object): string | undefined => (record as { [LINE]?: string })[LINE];

/** Where a record's line lies in the bytes of the file read (a Source): its start and length. */
export interface LinePlace {
  readonly src: Source | undefined;
  readonly at: number;
  readonly len: number;
}

/**
 * Where the line a record was read from lies, while it is unchanged and the file is ASCII: a key
 * for what is derived from it that costs neither a string nor a Buffer (sameLineBytes compares two).
 */
export function placeOf(record: object): LinePlace | undefined {
  return (record as { [SOURCE]?: Lazy })[SOURCE];
}

/** Whether two places hold the same bytes: compared where they lie when both files are in memory. */
export function sameLineBytes(a: LinePlace, b: LinePlace): boolean {
  if (a.len !== b.len) return false;
  const [x, y] = [a.src!.loaded, b.src!.loaded];
  if (x && y) return x.compare(y, b.at, b.at + b.len, a.at, a.at + a.len) === 0;
  return a.src!.range(a.at, a.len).equals(b.src!.range(b.at, b.len));
}

/**
 * The bytes of a file read: in memory, or (store.ts, a one-shot command's read through the index)
 * read where they are needed from the file, still open. A command beside 500 containers reads one
 * or two records of the 480 KB file, and copies the rest into the file it writes without them
 * passing through it.
 */
export interface Source {
  readonly size: number;
  /** The whole file when it is in memory. */
  readonly loaded: Buffer | undefined;
  /** The whole file, read now if it is not in memory. */
  whole(): Buffer;
  /** `len` bytes from `at`: a view of the bytes in memory, or read. */
  range(at: number, len: number): Buffer;
}

/** A file's bytes in memory, as a Source. */
export const bufferSource = (bytes: Buffer): Source => ({ size: bytes.length, loaded: bytes, whole: () => bytes, range: (at, len) => bytes.subarray(at, at + len) });

/** Bytes of a file read, not in memory yet: where they go, the writer copies them (store.ts). */
export interface SourceRange {
  source: Source;
  at: number;
  length: number;
}

/** A piece of a file to write: bytes, or a range of a file read. */
export type Chunk = Uint8Array | SourceRange;

/** The bytes of a piece, read if they are not in memory. */
export const chunkBytes = (c: Chunk): Uint8Array => (c instanceof Uint8Array ? c : c.source.range(c.at, c.length));

/**
 * What a read of the file needs, kept beside it by the writer (store.ts): the first line's length
 * in bytes, and per record, in order, a line `id TAB name TAB netns TAB noPorts TAB length LF`
 * (noPorts 1 when its lead says it publishes no port; a line's place is the sum of those before
 * it). Only for an ASCII file (bytes are characters) whose ids, names and namespaces are PLAIN.
 */
export interface StoreIndex {
  head: number;
  readonly lines: string;
  /**
   * The lines in pieces, as the writer had them (stateLayout: runs of the index read, and new
   * lines): written so, they are never joined into one string (beside 500 containers, a copy of
   * ~40 KB in the young generation of every command, and another when encoded).
   */
  readonly parts?: readonly string[];
}

/** An index of lines in pieces: joined only when `lines` is read. */
function pieceIndex(head: number, parts: string[]): StoreIndex {
  let joined: string | undefined;
  return {
    head,
    parts,
    get lines() {
      return (joined ??= parts.join(''));
    },
  };
}

/** The index as the note holds it (store.ts): the first line's length, then the records' lines. */
export const encodeIndex = (index: StoreIndex): string => `${index.head}\n${index.lines}`;

/** The index encodeIndex wrote, or null for any other text (a torn note, another build's); its lines are checked as they are read (parseIndexed). */
export function decodeIndex(text: string): StoreIndex | null {
  const nl = text.indexOf('\n');
  if (nl < 1 || nl > 10) return null;
  let head = 0;
  for (let i = 0; i < nl; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return null;
    head = head * 10 + d;
  }
  const lines = text.slice(nl + 1);
  return lines === '' || lines.endsWith('\n') ? { head, lines } : null;
}

const indexLine = (id: string, name: string, netns: string, noPorts: 0 | 1, len: number): string => `${id}\t${name}\t${netns}\t${noPorts}\t${len}\n`;

/**
 * What an index field may hold: printable ASCII but `"` and `\`, which JSON takes as it stands.
 * Checked for every record, also one carried over from the file read: its lead, decoded from the
 * line (a CNI namespace name may hold a backslash), is the text the index would quote.
 */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const plainRow = (id: unknown, name: unknown, netns: unknown): boolean => plain(id) && plain(name) && plain(netns);

/** A string PLAIN allows; not any other value (PLAIN.test(undefined) tests the text "undefined"). */
const plain = (v: unknown): boolean => typeof v === 'string' && PLAIN.test(v);

export interface StoreLayout {
  chunks: Chunk[];
  /** null when the file is not ASCII, or a record's id, name or namespace is not plain (PLAIN). */
  index: StoreIndex | null;
}

/** The size of the file a layout writes (what a journal's commit line records). */
export const layoutSize = (layout: StoreLayout): number => layout.chunks.reduce((n, c) => n + c.length, 0);

const ASCII = /^[\x00-\x7f]*$/;

/**
 * The file's bytes for `state`, in pieces: the first line, then each container's line. A run of
 * unchanged records read from one ASCII file is one slice of that file's buffer. With them, the
 * file's index.
 */
export function stateLayout(state: State): StoreLayout {
  const { containers, ...rest } = state;
  // in this pont's layout, whatever the version read (an older one's records are brought up to it)
  const head = JSON.stringify({ ...rest, version: STORE_VERSION });
  const chunks: Chunk[] = [];
  // text not yet encoded, and the run of source bytes being extended
  // never `{}`: it holds the version
  let text = `${head.slice(0, -1)},${OPEN}`;
  let run: { src: Source; from: number; to: number } | undefined;
  // the index's lines while every byte so far is ASCII (null: no index), and the run of lines
  // of the index read being extended (a record unchanged keeps its line there)
  let lines: string[] | null = ASCII.test(text) ? [] : null;
  let kept: { note: string; from: number; to: number } | undefined;
  const endKept = () => {
    if (kept && lines !== null) lines.push(kept.note.slice(kept.from, kept.to));
    kept = undefined;
  };
  const addLine = (line: string | null) => {
    endKept();
    if (line === null) lines = null;
    else lines?.push(line);
  };
  const headLength = text.length;
  const endRun = () => {
    if (run) chunks.push(run.src.loaded ? run.src.loaded.subarray(run.from, run.to) : { source: run.src, at: run.from, length: run.to - run.from });
    run = undefined;
  };
  let first = true;
  // the file's bytes `from` to `to` of `src` (unchanged records), after the separator
  const keepBytes = (src: Source, from: number, to: number) => {
    const sep = first ? '\n' : ',\n';
    if (run && !first && run.src === src && run.to + 2 === from) {
      // the next line of the same file: the ",\n" between them is in the file too
      run.to = to;
    } else {
      endRun();
      text += sep;
      chunks.push(Buffer.from(text));
      text = '';
      run = { src, from, to };
    }
    first = false;
  };
  // the index's rows `from` to `to` of `note`, for records kept as they were read through it
  const keepRows = (note: string, from: number, to: number) => {
    if (lines === null) return;
    if (kept && kept.note === note && kept.to === from) {
      kept.to = to;
    } else {
      endKept();
      kept = { note, from, to };
    }
  };
  const add = (c: ContainerRecord) => {
    const at = (c as { [SOURCE]?: Lazy })[SOURCE];
    if (!at) {
      endRun();
      const line = recordLine(c);
      text += (first ? '\n' : ',\n') + line;
      first = false;
      if (lines !== null) addLine(ASCII.test(line) && plainRow(c.id, c.name, c.netns) ? indexLine(c.id, c.name, c.netns, noPortsOf(c), line.length) : null);
      return;
    }
    keepBytes(at.src!, at.at, at.at + at.len);
    if (lines === null) return;
    if (at.note === undefined) {
      // read as text: its lead was decoded from the line, and may not be plain
      const [id, name, netns] = [lead(at, 'id'), lead(at, 'name'), lead(at, 'netns')];
      addLine(plainRow(id, name, netns) ? indexLine(id, name, netns, at.ports ? 1 : 0, at.len) : null);
    } else keepRows(at.note, at.p, rowEnd(at));
  };
  const list = stateOf(containers);
  if (list?.segs) {
    // a list read through the index (rowList): its runs of rows not made, or made and unchanged,
    // are each one range of the file and of the index, found without a record made for each
    const { rows } = list;
    const keep = (from: number, to: number) => {
      keepBytes(rows.src, rows.ats[from], rows.ats[to - 1] + rows.lens[to - 1]);
      keepRows(rows.note, rows.starts[from], rowsEnd(rows, to - 1));
    };
    for (const g of list.segs) {
      if (!isRun(g)) {
        add(g as ContainerRecord);
        continue;
      }
      // the rows made and changed since (in place: records are not, as a rule), in order
      const changed = rows.madeRows.filter((r) => r >= g[0] && r < g[1] && (rows.made[r] as { [SOURCE]?: Lazy })[SOURCE] === undefined).sort((x, y) => x - y);
      let from = g[0];
      for (const r of changed) {
        if (from < r) keep(from, r);
        add(rows.made[r] as ContainerRecord);
        from = r + 1;
      }
      if (from < g[1]) keep(from, g[1]);
    }
  } else for (const c of containers) add(c);
  endRun();
  endKept();
  chunks.push(Buffer.from(`${text}\n${CLOSE}`));
  return { chunks, index: lines === null ? null : pieceIndex(headLength, lines) };
}

/** Whether a record read whole, or made by this command, publishes no port. */
const noPortsOf = (c: ContainerRecord): 0 | 1 => {
  const known = (c as { [NO_PORTS]?: boolean })[NO_PORTS];
  return (known ?? c.ports.length === 0) ? 1 : 0;
};

/** The file's bytes for `state`, in pieces (stateLayout's, those of a file read in memory). */
export const stateChunks = (state: State): Uint8Array[] => stateLayout(state).chunks.map(chunkBytes);

/** The file's text for `state` (what stateChunks writes). */
export const stateText = (state: State): string => Buffer.concat(stateChunks(state)).toString();

/**
 * A record's line: id, name, namespace and published ports first (a lazy read takes the first
 * three from there, and the ports when there are none: a `run -p` looks at every container's).
 */
function recordLine(c: ContainerRecord): string {
  const kept = lineOf(c);
  if (kept !== undefined) return kept;
  const { id, name, netns, ports, ...rest } = c;
  const tail = JSON.stringify(rest);
  return `${JSON.stringify({ id, name, netns, ports }).slice(0, -1)}${tail === '{}' ? '}' : `,${tail.slice(1)}`}`;
}

/**
 * The parsed file: in this layout a State whose container records parse on first use; in any
 * other, JSON.parse of the whole text. Throws as JSON.parse does on a text that is neither; a
 * record's line that is not JSON throws a StoreError naming `file` when the record is first read.
 * `src`: the ASCII bytes `text` was decoded from (one byte per character), which stateChunks
 * then writes the unchanged records from.
 */
export function parseStateText(text: string, file = 'state.json', bytes?: Buffer): unknown {
  const src = bytes && bufferSource(bytes);
  const first = text.indexOf('\n');
  if (first < 0 || text.slice(first - OPEN.length, first) !== OPEN || !text.endsWith(`\n${CLOSE}`)) return JSON.parse(text);
  const head = JSON.parse(`${text.slice(0, first)}${CLOSE}`) as Record<string, unknown>;
  const end = text.length - CLOSE.length - 1;
  const containers: unknown[] = [];
  // each row: a record's line, and a comma but after the last
  for (let at = first + 1; at < end; ) {
    const nl = text.indexOf('\n', at);
    const stop = nl < 0 || nl > end ? end : nl;
    const last = stop === end;
    containers.push(lazyRecord(text.slice(at, last ? stop : stop - 1), file, at, src));
    at = stop + 1;
  }
  head.containers = containers;
  return head;
}

const LEAD = /^\{"id":"([0-9a-f]*)","name":("(?:[^"\\]|\\.)*"),"netns":("(?:[^"\\]|\\.)*")(,"ports":\[\])?[,}]/;

/** A JSON string as written; names are plain, so almost never an escape to decode. */
const unquote = (s: string): string => (s.includes('\\') ? (JSON.parse(s) as string) : s.slice(1, -1));

/**
 * What a proxy of a record holds: its line, the fields its lead gives, and the record once
 * parsed. One handler serves every record (a full store is hundreds: no closures of their own).
 */
interface Lazy {
  /** Decoded from `src` when first needed, for a record read through the file's index. */
  line: string | undefined;
  /** Cut from the index's line when first asked for (`note`), or from the record's line. */
  id: string | undefined;
  name: string | undefined;
  netns: string | undefined;
  /**
   * For a record read through the index: the index's lines, and where its own starts. Its tabs
   * and end are found again when needed: a full store is hundreds of these, each made by every
   * command and copied by the young generation's collections while it lives.
   */
  note: string | undefined;
  p: number;
  /** For a record read through the index: its row (Rows.made holds it there); -1 for any other. */
  row: number;
  /** NO_PORTS_READ when the lead says there are none; otherwise read from the record. */
  ports: readonly [] | undefined;
  rec: Record<string | symbol, unknown> | undefined;
  changed: boolean;
  /** For the error a corrupt line gives, when first read (long after the store's read). */
  file: string;
  /** Where the line starts in the file and its length, and the file's bytes when they are ASCII. */
  at: number;
  len: number;
  src: Source | undefined;
}

/** A record's id, name or namespace: as read from its line, or cut from the index's line. */
function lead(t: Lazy, k: 'id' | 'name' | 'netns'): string {
  const v = t[k];
  if (v !== undefined) return v;
  const note = t.note!;
  const col = COLUMN[k];
  return (t[k] = note.slice(col === 0 ? t.p : tabAt(note, t.p, col) + 1, tabAt(note, t.p, col + 1)));
}

/** Where a record's row ends in the index's lines, after its LF. */
const rowEnd = (t: Lazy): number => t.note!.indexOf('\n', t.p) + 1;

/**
 * The published ports of every record whose lead says it has none, until it is parsed: one
 * array, frozen (records are never changed in place), not one per record.
 */
const NO_PORTS_READ: readonly [] = Object.freeze([] as const);

const lineText = (t: Lazy): string => (t.line ??= t.src!.range(t.at, t.len).toString('latin1'));

function parseLine(t: Lazy): Record<string | symbol, unknown> {
  try {
    return JSON.parse(lineText(t)) as Record<string | symbol, unknown>;
  } catch (e) {
    throw new StoreError(`state file ${t.file} is corrupt (container ${lead(t, 'name')}: ${(e as Error).message}); pont will not reset it: move it aside to start over`, e);
  }
}

const real = (t: Lazy) => (t.rec ??= parseLine(t));
const changed = (t: Lazy) => {
  t.changed = true;
  return real(t);
};

const HANDLER: ProxyHandler<Lazy> = {
  get(t, k) {
    if (k === LINE) return t.changed ? undefined : lineText(t);
    if (k === SOURCE) return t.changed || !t.src ? undefined : t;
    if (k === NO_PORTS) return t.rec === undefined ? t.ports !== undefined : undefined;
    if (k === ROW) return t.row;
    if (t.rec === undefined) {
      if (k === 'id' || k === 'name' || k === 'netns') return lead(t, k);
      if (k === 'ports' && t.ports) return t.ports;
    }
    return real(t)[k];
  },
  has: (t, k) => k in real(t),
  ownKeys: (t) => Reflect.ownKeys(real(t)),
  getOwnPropertyDescriptor(t, k) {
    const d = Reflect.getOwnPropertyDescriptor(real(t), k);
    return d && { ...d, configurable: true };
  },
  set(t, k, v) {
    changed(t)[k] = v;
    return true;
  },
  deleteProperty: (t, k) => delete changed(t)[k],
  defineProperty: (t, k, d) => Reflect.defineProperty(changed(t), k, d),
};

/** A container record that parses its line when first read beyond its lead. */
function lazyRecord(line: string, file: string, at: number, src: Source | undefined): unknown {
  const lead = LEAD.exec(line);
  // a line not in the written form (a hand edit) is parsed now: a malformed one fails the read
  if (!lead) return JSON.parse(line);
  return lazyProxy(line, lead[1], unquote(lead[2]), unquote(lead[3]), undefined, 0, Boolean(lead[4]), file, at, line.length, src);
}

/**
 * A record's proxy: from its line's lead (`line`, `id`, `name`, `netns`), or from its index line
 * (`note` and the places in it: Lazy). Made here alone, so that every target has one shape: a
 * full store is hundreds of them, read by one handler.
 */
const lazyProxy = (
  line: string | undefined, id: string | undefined, name: string | undefined, netns: string | undefined,
  note: string | undefined, p: number,
  noPorts: boolean, file: string, at: number, len: number, src: Source | undefined, row = -1,
): unknown => new Proxy<Lazy>({ line, id, name, netns, note, p, row, ports: noPorts ? NO_PORTS_READ : undefined, rec: undefined, changed: false, file, at, len, src }, HANDLER);

/**
 * The records that may mention `text` (an id: no JSON escape in it): of those still unparsed,
 * only the ones whose line holds it, found by one search of the file's bytes instead of a parse of
 * every line (a `network rm` beside 500 containers asks which are on the network); every other.
 */
export function recordsMentioning<T extends object>(records: readonly T[], text: string): T[] {
  const hits = new Map<Source, number[]>();
  const hitsIn = (source: Source) => {
    let found = hits.get(source);
    if (!found) {
      found = [];
      const src = source.whole();
      for (let i = src.indexOf(text, 0, 'latin1'); i >= 0; i = src.indexOf(text, i + 1, 'latin1')) found.push(i);
      hits.set(source, found);
    }
    return found;
  };
  return records.filter((r) => {
    const t = (r as { [SOURCE]?: Lazy })[SOURCE];
    if (!t || t.rec !== undefined) return true;
    // the first hit at or after the line's start (hits ascend): within the line or not
    const found = hitsIn(t.src!);
    let lo = 0;
    for (let hi = found.length; lo < hi; ) {
      const mid = (lo + hi) >> 1;
      if (found[mid] < t.at) lo = mid + 1;
      else hi = mid;
    }
    return lo < found.length && found[lo] < t.at + t.len;
  });
}

/**
 * The parsed file, from its bytes and the index its writer kept (stateLayout): its first line
 * parsed, and its records a list that makes each one (a proxy that decodes its line when first
 * read beyond its lead) when it is first read (rowList). Null when the index does not fit the
 * bytes (then the file is read as text).
 * With `each`, no record is made: it gets each one's id and where its line lies in the bytes, and
 * the state's containers are left empty (a resident reader's way, store.ts readLines). A null
 * after some calls means none of them counts.
 */
export function parseIndexed(bytes: Buffer | Source, index: StoreIndex, file = 'state.json', each?: (id: string, at: number, len: number) => void): unknown {
  const { head, lines } = index;
  const src = Buffer.isBuffer(bytes) ? bufferSource(bytes) : bytes;
  if (head >= src.size) return null;
  const first = src.range(0, head + 1);
  if (first[head] !== 0x0a) return null;
  // each record's line starts a line of the file: checked where the bytes are in memory (a read
  // of lines where they lie reads none but the command's own); the lengths, always, end where the file does
  const mem = src.loaded;
  // the rows' places, in typed arrays of the rows' count: their numbers lie outside the young
  // generation, which every command beside 500 containers otherwise collected once more
  let count = 0;
  for (let nl = lines.indexOf('\n'); nl >= 0; nl = lines.indexOf('\n', nl + 1)) count++;
  const starts = new Int32Array(count);
  const ats = new Float64Array(count);
  const lens = new Int32Array(count);
  const noPortsOfRow = new Uint8Array(count);
  // a plain loop of searches in the index's text: this runs once, cold, in every command, and
  // makes no string of a record's lead until it is asked for
  let at = head + 1;
  let r = 0;
  for (let p = 0; p < lines.length; r++) {
    const t1 = lines.indexOf('\t', p);
    const t2 = t1 < 0 ? -1 : lines.indexOf('\t', t1 + 1);
    const t3 = t2 < 0 ? -1 : lines.indexOf('\t', t2 + 1);
    const nl = t3 < 0 ? -1 : lines.indexOf('\n', t3 + 1);
    // after the third tab: noPorts, a tab, the length; every line's record starts a line of the file
    if (nl < 0 || nl < t3 + 4 || r >= count || lines.charCodeAt(t3 + 2) !== 9 || (mem && (mem[at - 1] !== 0x0a || mem[at] !== 0x7b))) return null;
    const noPorts = lines.charCodeAt(t3 + 1) - 48;
    let len = 0;
    for (let i = t3 + 3; i < nl; i++) {
      const d = lines.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return null;
      len = len * 10 + d;
    }
    if (noPorts !== 0 && noPorts !== 1) return null;
    if (each) each(lines.slice(p, t1), at, len);
    starts[r] = p;
    ats[r] = at;
    lens[r] = len;
    noPortsOfRow[r] = noPorts;
    at += len + 2;
    p = nl + 1;
  }
  // the last line, then "\n]}"
  const end = at > head + 1 ? at - 2 : head;
  if (r !== count || end + 1 + CLOSE.length !== src.size) return null;
  const state = JSON.parse(`${first.toString('latin1', 0, head)}${CLOSE}`) as Record<string, unknown>;
  const rows: Rows = { note: lines, starts, ats, lens, noPorts: noPortsOfRow, count, file, src, made: [], madeRows: [] };
  state.containers = each ? [] : rowList(rows, count ? [[0, count]] : [], true);
  return state;
}

/** On the records list parseIndexed made, as read (not edited): its rows. */
const ROWS = Symbol('store rows');

/** What a read through the index knows of its records, by row (the file's order): shared by the list read and every list edited from it. */
interface Rows {
  /** The index's lines, and where each record's row starts in them. */
  note: string;
  starts: Int32Array;
  /** Where each record's line lies in the file, and whether its lead says it publishes no port. */
  ats: Float64Array;
  lens: Int32Array;
  noPorts: Uint8Array;
  count: number;
  file: string;
  src: Source;
  /** The records made so far, by row: one proxy per record, whichever list reads it; and their rows, as made. */
  made: unknown[];
  madeRows: number[];
}

/** A record of the rows, made when first read. */
function rowRecord(rows: Rows, r: number): unknown {
  if (rows.made[r] !== undefined) return rows.made[r];
  rows.madeRows.push(r);
  return (rows.made[r] = lazyProxy(undefined, undefined, undefined, undefined, rows.note, rows.starts[r], rows.noPorts[r] === 1, rows.file, rows.ats[r], rows.lens[r], rows.src, r));
}

/** Where a row's line ends in the index's lines, after its LF. */
const rowsEnd = (rows: Rows, r: number): number => (r + 1 < rows.count ? rows.starts[r + 1] : rows.note.length);

/** A piece of a list of rows: the rows `from` to `to` (excluded), in the file's order, or a record of the list's own. */
type Seg = ListPiece<object>;

const isRun = (g: Seg): g is readonly [number, number] => Array.isArray(g);

interface ListState {
  rows: Rows;
  /** null once the list was changed in place: a plain array then, every record made. */
  segs: Seg[] | null;
  /** The list as read: its positions are the rows (findByLead searches them, an edit's pieces are counted in them). */
  read: boolean;
}

const LIST = Symbol('store list');

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * The records of `rows` as `segs` lays them out, as an array whose elements are made when first
 * read (a command beside 500 containers reads one or two). It is an Array (Array.isArray, JSON,
 * every method), read through a proxy: an element read is kept in it; a change made in place
 * makes every element first, and leaves a plain array; so does a list of its keys (Object.keys,
 * for-in, an object spread of it: correct, but every record made). The edits of
 * core/record-list.ts, and stateLayout and diffState, take the pieces as they are, and make no
 * record either.
 */
function rowList(rows: Rows, segs: Seg[], read: boolean): unknown[] {
  let n = 0;
  for (const g of segs) n += isRun(g) ? g[1] - g[0] : 1;
  const target: unknown[] = new Array(n);
  Object.defineProperty(target, LIST, { value: { rows, segs, read } satisfies ListState });
  Object.defineProperty(target, INSPECT, { value: inspectList });
  return new Proxy(target, LIST_HANDLER);
}

const stateOf = (list: readonly unknown[]): ListState | undefined => (list as { [LIST]?: ListState })[LIST];

/** The element at `i` of the list's pieces. */
function elementAt(s: ListState, i: number): unknown {
  for (const g of s.segs!) {
    if (isRun(g)) {
      if (i < g[1] - g[0]) return rowRecord(s.rows, g[0] + i);
      i -= g[1] - g[0];
    } else if (i-- === 0) return g;
  }
  return undefined;
}

/** `k` as an index below `length` (a canonical one: "0", "12", never "012"), or -1. */
function indexOf(k: string | symbol, length: number): number {
  if (typeof k !== 'string' || k.length === 0 || k.length > 10 || (k.length > 1 && k.charCodeAt(0) === 48)) return -1;
  let i = 0;
  for (let j = 0; j < k.length; j++) {
    const d = k.charCodeAt(j) - 48;
    if (d < 0 || d > 9) return -1;
    i = i * 10 + d;
  }
  return i < length ? i : -1;
}

/** Every element made, and the list a plain array from then on. */
function settle(t: unknown[]): void {
  const s = stateOf(t)!;
  if (!s.segs) return;
  for (let i = 0; i < t.length; i++) if (t[i] === undefined) t[i] = elementAt(s, i);
  s.segs = null;
}

const LIST_HANDLER: ProxyHandler<unknown[]> = {
  get(t, k, receiver) {
    const s = stateOf(t)!;
    if (s.segs) {
      const i = indexOf(k, t.length);
      if (i >= 0) return t[i] ?? (t[i] = elementAt(s, i));
      if (k === ROWS) return s.read ? s.rows : undefined;
      if (k === RECORD_LIST) return edits(s);
    }
    return Reflect.get(t, k, receiver);
  },
  has: (t, k) => (stateOf(t)!.segs !== null && indexOf(k, t.length) >= 0) || Reflect.has(t, k),
  ownKeys(t) {
    settle(t);
    return Reflect.ownKeys(t);
  },
  getOwnPropertyDescriptor(t, k) {
    const s = stateOf(t)!;
    const i = s.segs ? indexOf(k, t.length) : -1;
    if (i >= 0 && t[i] === undefined) t[i] = elementAt(s, i);
    return Reflect.getOwnPropertyDescriptor(t, k);
  },
  set(t, k, v) {
    settle(t);
    return Reflect.set(t, k, v);
  },
  defineProperty(t, k, d) {
    settle(t);
    return Reflect.defineProperty(t, k, d);
  },
  deleteProperty(t, k) {
    settle(t);
    return Reflect.deleteProperty(t, k);
  },
  // frozen or sealed, the list could make no record any more
  preventExtensions(t) {
    settle(t);
    return Reflect.preventExtensions(t);
  },
};

/**
 * util.inspect shows a proxy's target, bypassing its traps: the list's records as plain objects
 * (a record's own proxy would show its Lazy), not its holes.
 */
function inspectList(this: unknown[], _depth: number, options: object, inspect: (v: unknown, o: object) => string): string {
  settle(this);
  return inspect(Array.from(this, (c) => (c !== null && typeof c === 'object' ? { ...c } : c)), options);
}

/** The row of `rec` when it is a record made of `rows`, else -1. */
function rowOf(rows: Rows, rec: unknown): number {
  if (typeof rec !== 'object' || rec === null) return -1;
  const r = (rec as { [ROW]?: number })[ROW];
  return r !== undefined && r >= 0 && r < rows.count && rows.made[r] === rec ? r : -1;
}

/** The list's pieces with the element `rec` replaced by `put` (none: left out); null when `rec` is not in it. */
function spliced(s: ListState, rec: unknown, put: Seg[]): Seg[] | null {
  const segs = s.segs!;
  const row = rowOf(s.rows, rec);
  const j = segs.findIndex((g) => (isRun(g) ? row >= g[0] && row < g[1] : g === rec));
  if (j < 0) return null;
  const g = segs[j];
  const out = segs.slice(0, j);
  if (isRun(g) && row > g[0]) out.push([g[0], row]);
  out.push(...put);
  if (isRun(g) && row + 1 < g[1]) out.push([row + 1, g[1]]);
  for (let k = j + 1; k < segs.length; k++) out.push(segs[k]);
  return out;
}

function edits(s: ListState): RecordListEdits<object> {
  const list = (segs: Seg[] | null) => (segs ? (rowList(s.rows, segs, false) as object[]) : null);
  return {
    replace: (old, next) => list(spliced(s, old, [next])),
    without: (old) => list(spliced(s, old, [])),
    append: (record) => rowList(s.rows, [...s.segs!, record], false) as object[],
    piecesOver(base) {
      const b = stateOf(base);
      if (!b || !b.read || b.rows !== s.rows || !b.segs) return null;
      // the base's positions are its rows; a record of the rows placed by itself is a run of one
      const out: Seg[] = [];
      for (const g of s.segs!) {
        const r = isRun(g) ? -1 : rowOf(s.rows, g);
        const run = isRun(g) ? g : r >= 0 ? ([r, r + 1] as const) : null;
        const last = out.at(-1);
        if (run && last !== undefined && isRun(last) && last[1] === run[0]) out[out.length - 1] = [last[0], run[1]];
        else out.push(run ?? g);
      }
      return out;
    },
  };
}

/** A record's lead field, as its index row holds them: id, name, namespace. */
export type LeadField = 'id' | 'name' | 'netns';

const COLUMN: Record<LeadField, number> = { id: 0, name: 1, netns: 2 };

/**
 * The first of `records` whose lead field `k` is `value` (or, with more pairs, any of them).
 * For the records as a read through the file's index made them (state.containers as read), the
 * index's text is searched: no string is cut from it per record (beside 500 containers, a run's
 * look for its name's owner and namespace cost ~0.25 ms that way); any other array is looked
 * through. Records are never changed in place (core/state-patch.ts), so a row holds what its record does.
 */
export function findByLead<T extends object>(records: readonly T[], ...wanted: [LeadField, string][]): T | undefined {
  const rows = (records as { [ROWS]?: Rows })[ROWS];
  if (rows && rows.count === records.length) {
    let best = -1;
    let match: [LeadField, string] = wanted[0];
    for (const pair of wanted) {
      const i = rowIndex(rows, COLUMN[pair[0]], pair[1]);
      if (i === null) return lookThrough(records, wanted);
      if (i >= 0 && (best < 0 || i < best)) [best, match] = [i, pair];
    }
    if (best < 0) return undefined;
    // the record found holds what its row said (an array or a record changed in place would not)
    return (records[best] as unknown as Record<LeadField, string>)[match[0]] === match[1] ? records[best] : lookThrough(records, wanted);
  }
  return lookThrough(records, wanted);
}

const lookThrough = <T extends object>(records: readonly T[], wanted: [LeadField, string][]): T | undefined =>
  records.find((r) => wanted.some(([k, v]) => (r as unknown as Record<LeadField, string>)[k] === v));

/**
 * The index of the first record whose row holds `value` in column `col` (0 id, 1 name, 2
 * namespace), -1 when none does, null when the rows cannot say (an empty or non-PLAIN value
 * never stands in a row: looked through instead, as is a row not found among the starts).
 */
function rowIndex(rows: Rows, col: number, value: string): number | null {
  if (value === '' || !plain(value)) return null;
  const { note, starts } = rows;
  const needle = col === 0 ? `${value}\t` : `\t${value}\t`;
  for (let h = note.indexOf(needle); h >= 0; h = note.indexOf(needle, h + 1)) {
    const start = col === 0 ? h : note.lastIndexOf('\n', h) + 1;
    if (col === 0 ? h > 0 && note.charCodeAt(h - 1) !== 10 : tabAt(note, start, col) !== h) continue;
    // the row's record: starts ascend
    let lo = 0;
    for (let hi = starts.length; lo < hi; ) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] < start) lo = mid + 1;
      else hi = mid;
    }
    return starts[lo] === start ? lo : null;
  }
  return -1;
}

/** Where the row at `start` has its `n`th tab: before the name (1), the namespace (2), after it (3). */
function tabAt(note: string, start: number, n: number): number {
  let at = start - 1;
  for (let i = 0; i < n; i++) at = note.indexOf('\t', at + 1);
  return at;
}
