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
import type { ContainerRecord, State } from '../core/model.js';

const OPEN = '"containers":[';
const CLOSE = ']}';

/** A record read from its line and not changed since: its line, as written. */
const lines = new WeakMap<object, string>();

/** The line a record was read from, while it is unchanged: a key for what is derived from it. */
export const lineOf = (record: object): string | undefined => lines.get(record);

/** The file's text for `state`: the first line, then each container's line. */
export function stateText(state: State): string {
  const { containers, ...rest } = state;
  const head = JSON.stringify(rest);
  const out = [head === '{}' ? `{${OPEN}` : `${head.slice(0, -1)},${OPEN}`];
  for (let i = 0; i < containers.length; i++) out.push(recordLine(containers[i]) + (i < containers.length - 1 ? ',' : ''));
  out.push(CLOSE);
  return out.join('\n');
}

/**
 * A record's line: id, name, namespace and published ports first (a lazy read takes the first
 * three from there, and the ports when there are none: a `run -p` looks at every container's).
 */
function recordLine(c: ContainerRecord): string {
  const kept = lines.get(c);
  if (kept !== undefined) return kept;
  const { id, name, netns, ports, ...rest } = c;
  const tail = JSON.stringify(rest);
  return `${JSON.stringify({ id, name, netns, ports }).slice(0, -1)}${tail === '{}' ? '}' : `,${tail.slice(1)}`}`;
}

/**
 * The parsed file: in this layout a State whose container records parse on first use; in any
 * other, JSON.parse of the whole text. Throws as JSON.parse does on a text that is neither.
 */
export function parseStateText(text: string): unknown {
  const first = text.indexOf('\n');
  if (first < 0 || text.slice(first - OPEN.length, first) !== OPEN || !text.endsWith(`\n${CLOSE}`)) return JSON.parse(text);
  const head = JSON.parse(`${text.slice(0, first)}${CLOSE}`) as Record<string, unknown>;
  const body = text.slice(first + 1, text.length - CLOSE.length - 1);
  const containers: unknown[] = [];
  if (body.length) {
    const rows = body.split('\n');
    for (let i = 0; i < rows.length; i++) {
      const row = i < rows.length - 1 ? rows[i].slice(0, -1) : rows[i];
      containers.push(lazyRecord(row));
    }
  }
  head.containers = containers;
  return head;
}

const LEAD = /^\{"id":"([0-9a-f]*)","name":("(?:[^"\\]|\\.)*"),"netns":("(?:[^"\\]|\\.)*")(,"ports":\[\])?[,}]/;
const LEAD_FIELDS = new Set<string | symbol>(['id', 'name', 'netns']);
const LEAD_FIELDS_NO_PORTS = new Set<string | symbol>([...LEAD_FIELDS, 'ports']);

/** A container record that parses its line when first read beyond its lead. */
function lazyRecord(line: string): unknown {
  const lead = LEAD.exec(line);
  // a line not in the written form (a hand edit) is parsed now: a malformed one fails the read
  if (!lead) return JSON.parse(line);
  const known: Record<string | symbol, unknown> = { id: lead[1], name: JSON.parse(lead[2]) as string, netns: JSON.parse(lead[3]) as string };
  const fields = lead[4] ? LEAD_FIELDS_NO_PORTS : LEAD_FIELDS;
  if (lead[4]) known.ports = [];
  let rec: Record<string | symbol, unknown> | undefined;
  const real = () => (rec ??= JSON.parse(line) as Record<string | symbol, unknown>);
  const proxy: object = new Proxy({}, {
    get: (_, k) => (rec === undefined && fields.has(k) ? known[k] : real()[k]),
    has: (_, k) => k in real(),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_, k) => {
      const d = Reflect.getOwnPropertyDescriptor(real(), k);
      return d && { ...d, configurable: true };
    },
    set: (_, k, v) => {
      lines.delete(proxy);
      real()[k] = v;
      return true;
    },
    deleteProperty: (_, k) => {
      lines.delete(proxy);
      return delete real()[k];
    },
    defineProperty: (_, k, d) => {
      lines.delete(proxy);
      return Reflect.defineProperty(real(), k, d);
    },
  });
  lines.set(proxy, line);
  return proxy;
}
