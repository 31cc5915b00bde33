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
// checked, as before. Pure: no I/O.
// A file read from an ASCII buffer is written back from that buffer: the unchanged records' bytes
// are slices of it, not a new 480 KB string encoded again (~4.5 ms of a command at 500 containers
// on a 2-core machine; the allocation's page faults were most of it).
import { StoreError } from '../core/errors.js';
import type { ContainerRecord, State } from '../core/model.js';

const OPEN = '"containers":[';
const CLOSE = ']}';

/** On a record read from its line (a proxy): that line while the record is unchanged. */
const LINE = Symbol('store line');

/** On a record read from its line (a proxy), unchanged, of an ASCII file: where its bytes lie. */
const SOURCE = Symbol('store bytes');

/** The line a record was read from, while it is unchanged: a key for what is derived from it. */
export const lineOf = (record: object): string | undefined => (record as { [LINE]?: string })[LINE];

/**
 * The file's bytes for `state`, in pieces: the first line, then each container's line. A run of
 * unchanged records read from one ASCII file is one slice of that file's buffer.
 */
export function stateChunks(state: State): Uint8Array[] {
  const { containers, ...rest } = state;
  const head = JSON.stringify(rest);
  const chunks: Uint8Array[] = [];
  // text not yet encoded, and the run of source bytes being extended
  let text = head === '{}' ? `{${OPEN}` : `${head.slice(0, -1)},${OPEN}`;
  let run: { src: Buffer; from: number; to: number } | undefined;
  const endRun = () => {
    if (run) chunks.push(run.src.subarray(run.from, run.to));
    run = undefined;
  };
  for (let i = 0; i < containers.length; i++) {
    const sep = i === 0 ? '\n' : ',\n';
    const at = (containers[i] as { [SOURCE]?: Lazy })[SOURCE];
    if (!at) {
      endRun();
      text += sep + recordLine(containers[i]);
    } else if (run && i > 0 && run.src === at.src && run.to + 2 === at.at) {
      // the next line of the same file: the ",\n" between them is in the file too
      run.to = at.at + at.line.length;
    } else {
      endRun();
      text += sep;
      chunks.push(Buffer.from(text));
      text = '';
      run = { src: at.src!, from: at.at, to: at.at + at.line.length };
    }
  }
  endRun();
  chunks.push(Buffer.from(`${text}\n${CLOSE}`));
  return chunks;
}

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
export function parseStateText(text: string, file = 'state.json', src?: Buffer): unknown {
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
  line: string;
  id: string;
  name: string;
  netns: string;
  /** [] when the lead says there are none; otherwise read from the record. */
  ports: [] | undefined;
  rec: Record<string | symbol, unknown> | undefined;
  changed: boolean;
  /** For the error a corrupt line gives, when first read (long after the store's read). */
  file: string;
  /** Where the line starts in the file, and the file's bytes when they are ASCII. */
  at: number;
  src: Buffer | undefined;
}

function parseLine(t: Lazy): Record<string | symbol, unknown> {
  try {
    return JSON.parse(t.line) as Record<string | symbol, unknown>;
  } catch (e) {
    throw new StoreError(`state file ${t.file} is corrupt (container ${t.name}: ${(e as Error).message}); pont will not reset it: move it aside to start over`, e);
  }
}

const real = (t: Lazy) => (t.rec ??= parseLine(t));
const changed = (t: Lazy) => {
  t.changed = true;
  return real(t);
};

const HANDLER: ProxyHandler<Lazy> = {
  get(t, k) {
    if (k === LINE) return t.changed ? undefined : t.line;
    if (k === SOURCE) return t.changed || !t.src ? undefined : t;
    if (t.rec === undefined) {
      if (k === 'id' || k === 'name' || k === 'netns') return t[k];
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
function lazyRecord(line: string, file: string, at: number, src: Buffer | undefined): unknown {
  const lead = LEAD.exec(line);
  // a line not in the written form (a hand edit) is parsed now: a malformed one fails the read
  if (!lead) return JSON.parse(line);
  const target: Lazy = { line, id: lead[1], name: unquote(lead[2]), netns: unquote(lead[3]), ports: lead[4] ? [] : undefined, rec: undefined, changed: false, file, at, src };
  return new Proxy(target, HANDLER);
}
