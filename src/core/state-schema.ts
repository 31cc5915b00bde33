// The store's schema: a state file is checked field by field when it is read, so a hand-edited or
// damaged record gives one line naming the bad field instead of a TypeError deep in a command.
// Fields that older pont versions did not write get their default here (the migration of
// version 1 files: version 2 wrote networks' address books in runs, core/address-book.ts); a
// file from a newer pont is refused as such, never half-understood.
// Fields the schema does not name are kept as they are. Pure: no I/O.
import type { State } from './model.js';
import { parseStoredIPv4 } from './ipv4.js';

/** The newest store layout this pont reads and writes. */
export const STORE_VERSION = 2;

export class SchemaError extends Error {
  constructor(public path: string, readonly expected: string, readonly found: unknown) {
    super(`${path}: expected ${expected}, found ${describe(found)}`);
  }

  /** The path is built on the way out, only for the one field that failed. */
  under(prefix: string): SchemaError {
    this.path = prefix + this.path;
    this.message = `${this.path}: expected ${this.expected}, found ${describe(this.found)}`;
    return this;
  }
}

/** Runs `check` on a field; a failure deeper down gets this field's name in its path. */
function at<T>(key: string, run: () => T): T {
  try {
    return run();
  } catch (e) {
    throw e instanceof SchemaError ? e.under(key) : e;
  }
}

export class NewerStoreError extends Error {
  constructor(readonly version: number) {
    super(`it was written by a newer pont (store version ${version}; this pont reads up to ${STORE_VERSION})`);
  }
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? text.slice(0, 37) + '...' : text;
}

/** Checks `v` and returns it (with defaults filled in); throws SchemaError, whose path is filled in by the callers. */
type Check<T> = (v: unknown) => T;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const str: Check<string> = (v) => {
  if (typeof v !== 'string') throw new SchemaError('', 'a string', v);
  return v;
};
const bool: Check<boolean> = (v) => {
  if (typeof v !== 'boolean') throw new SchemaError('', 'true or false', v);
  return v;
};
const int = (min: number, max: number): Check<number> => (v) => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new SchemaError('', `an integer from ${min} to ${max}`, v);
  return v;
};
const oneOf = <T extends string>(...values: T[]): Check<T> => (v) => {
  if (!values.includes(v as T)) throw new SchemaError('', `one of ${values.join(', ')}`, v);
  return v as T;
};
const match = (re: RegExp, what: string): Check<string> => (v) => {
  if (typeof v !== 'string' || !re.test(v)) throw new SchemaError('', what, v);
  return v;
};
const array = <T>(item: Check<T>): Check<T[]> => (v) => {
  if (!Array.isArray(v)) throw new SchemaError('', 'a list', v);
  return v.map((x, i) => at(`[${i}]`, () => item(x)));
};
const stringMap: Check<Record<string, string>> = (v) => {
  if (!isObject(v)) throw new SchemaError('', 'an object of strings', v);
  for (const [k, x] of Object.entries(v)) at(`.${k}`, () => str(x));
  return v as Record<string, string>;
};

interface Field {
  check: Check<unknown>;
  /** Absent fields: a default (older files), or undefined for an optional field. */
  missing?: 'required' | 'optional' | (() => unknown);
}
const req = (check: Check<unknown>): Field => ({ check, missing: 'required' });
const opt = (check: Check<unknown>): Field => ({ check, missing: 'optional' });
const dflt = (check: Check<unknown>, make: () => unknown): Field => ({ check, missing: make });

function record<T>(fields: Record<string, Field>): Check<T> {
  // read once per file, hundreds of records: the field list is walked, not rebuilt, per record
  const entries = Object.entries(fields);
  return (v) => {
    if (!isObject(v)) throw new SchemaError('', 'an object', v);
    const out: Record<string, unknown> = { ...v };
    for (const [name, f] of entries) {
      if (!Object.hasOwn(v, name) || v[name] === undefined) {
        if (f.missing === 'required') throw new SchemaError(`.${name}`, 'a value', undefined);
        if (typeof f.missing === 'function') out[name] = f.missing();
        continue;
      }
      try {
        out[name] = f.check(v[name]);
      } catch (e) {
        throw e instanceof SchemaError ? e.under(`.${name}`) : e;
      }
    }
    return out as T;
  };
}

/**
 * The state's check, built on first use: a read of a file pont wrote and noted takes its records
 * as they are (store/layout.ts) and needs none, and building it (closures, regular expressions)
 * was ~0.1 ms of every read-only command's start.
 */
function buildStateCheck(): Check<State> {
  // a part may have a leading zero: an older pont kept a requested address as typed (core/ipv4.ts parseStoredIPv4)
  const dotted = /^(25[0-5]|2[0-4]\d|[01]?\d?\d)(\.(25[0-5]|2[0-4]\d|[01]?\d?\d)){3}$/;
  const ipv4 = match(dotted, 'an IPv4 address');
  const ipv4OrEmpty: Check<string> = (v) => (v === '' ? '' : ipv4(v));
  // a book's entry: an address, or a run of them, first to last (core/address-book.ts)
  const addressRun: Check<string> = (v) => {
    if (typeof v !== 'string' || !v.includes('-')) return ipv4(v);
    const ends = v.split('-');
    const [first, last] = ends.map((e) => (dotted.test(e) ? parseStoredIPv4(e) : null));
    if (ends.length !== 2 || first === null || last === null || last < first) throw new SchemaError('', 'an IPv4 address, or a run of them (first-last, in order)', v);
    return v;
  };
  // a length as Go's ParseCIDR reads it, leading zeros and all (core/ipv4.ts parseCidr)
  const cidr = match(/^\d{1,3}(\.\d{1,3}){3}\/\d+$/, 'an IPv4 CIDR');
  const hexId = match(/^[0-9a-f]{64}$/, 'a 64-hex id');
  const mac = match(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i, 'a MAC address');
  const ifname = match(/^[^\s/:+]{1,15}$/, 'an interface name');
  const pid = int(0, 2 ** 22);
  const port = int(0, 65535);

  const ipamConfig = record({
    subnet: req(cidr),
    gateway: req(ipv4OrEmpty),
    implicitGateway: opt(bool),
    userSubnet: opt(bool),
    ipRange: opt(cidr),
    auxAddresses: opt(stringMap),
  });

  const network = record({
    id: req(hexId),
    name: req(str),
    driver: req(oneOf('bridge', 'host', 'null', 'macvlan', 'ipvlan', 'overlay', 'cni')),
    created: req(str),
    internal: dflt(bool, () => false),
    attachable: dflt(bool, () => false),
    labels: dflt(stringMap, () => ({})),
    options: dflt(stringMap, () => ({})),
    ipamOptions: opt(stringMap),
    ipam: dflt(array(ipamConfig), () => []),
    predefined: dflt(bool, () => false),
    bridge: opt(ifname),
    parent: opt(str),
    createdParent: opt(record({ kind: req(oneOf('vlan', 'dummy')), base: opt(ifname), vlanId: opt(int(1, 4094)) })),
    shim: opt(record({ ifname: req(ifname), address: req(str) })),
    vni: opt(int(1, 16777215)),
    cni: opt(record({ source: req(str), text: req(str) })),
    book: dflt(record({ allocated: req(array(addressRun)) }), () => ({ allocated: [] })),
  });

  const endpoint = record({
    networkId: req(hexId),
    endpointId: req(hexId),
    ifname: req(ifname),
    hostIfname: opt(ifname),
    ipAddress: req(ipv4OrEmpty),
    prefixLen: req(int(0, 32)),
    gateway: req(ipv4OrEmpty),
    macAddress: req((v) => (v === '' ? '' : mac(v))),
    aliases: dflt(array(str), () => []),
    requestedIp: opt(ipv4),
    connected: opt(bool),
  });

  const publishedPort = record({
    networkId: req(hexId),
    hostIp: req(str),
    hostPort: req(port),
    containerPort: req(port),
    proto: req(oneOf('tcp', 'udp', 'sctp')),
  });

  const container = record({
    id: req(hexId),
    name: req(str),
    created: req(str),
    netns: req(str),
    networkMode: req(str),
    image: dflt(str, () => ''),
    hostname: dflt(str, () => ''),
    cmd: dflt(array(str), () => []),
    tty: dflt(bool, () => false),
    interactive: dflt(bool, () => false),
    autoRemove: dflt(bool, () => false),
    pid: dflt(pid, () => 0),
    monitorPid: dflt(pid, () => 0),
    pidStart: opt(int(0, Number.MAX_SAFE_INTEGER)),
    monitorPidStart: opt(int(0, Number.MAX_SAFE_INTEGER)),
    env: opt(array(str)),
    startedAt: dflt(str, () => ''),
    finishedAt: dflt(str, () => ''),
    exitCode: dflt(int(-1, 255), () => 0),
    running: dflt(bool, () => false),
    endpoints: dflt(array(endpoint), () => []),
    leftNone: opt(bool),
    modeEndpointId: opt(hexId),
    nextIfIndex: dflt(int(0, 1 << 16), () => 0),
    dns: dflt(array(str), () => []),
    dnsSearch: dflt(array(str), () => []),
    dnsOptions: dflt(array(str), () => []),
    extraHosts: dflt(array(str), () => []),
    exposed: dflt(array(str), () => []),
    portBindings: dflt(
      array(record({ hostIp: req(str), hostPort: req(str), containerPort: req(port), proto: req(str) })),
      () => [],
    ),
    publishAll: dflt(bool, () => false),
    labels: opt(stringMap),
    ports: dflt(array(publishedPort), () => []),
    external: opt(record({ containerId: req(match(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a CNI container id')), netnsPath: req(str) })),
  });

  return record<State>({
    version: req(int(1, STORE_VERSION)),
    networks: dflt(array(network), () => []),
    containers: dflt(array(container), () => []),
    poolCursor: opt(int(-1, 1 << 16)),
    firewallMarker: opt(str),
    firewallBackend: opt(oneOf('iptables', 'nftables')),
  });
}

let stateCheck: Check<State> | undefined;

/**
 * Parsed JSON → State: checked, older layouts brought up to date. Throws NewerStoreError for a
 * file from a newer pont and SchemaError naming the first bad field otherwise.
 */
export function parseState(json: unknown): State {
  if (isObject(json) && typeof json.version === 'number' && Number.isInteger(json.version) && json.version > STORE_VERSION) {
    throw new NewerStoreError(json.version);
  }
  const s = at('state', () => (stateCheck ??= buildStateCheck())(json));
  // one record per id: a command changes or removes the record it found (core/record-list.ts),
  // and a second one with its id (a hand edit) would be left naming what the command removed
  const ids = new Map<string, number>();
  s.containers.forEach((c, i) => {
    const first = ids.get(c.id);
    if (first !== undefined) throw new SchemaError(`state.containers[${i}].id`, `an id no other container has (containers[${first}] has it)`, c.id);
    ids.set(c.id, i);
  });
  // a container whose nextIfIndex is behind its interfaces would reuse an ethN name
  for (const c of s.containers) {
    const used = c.endpoints.map((e) => Number(/^eth(\d+)$/.exec(e.ifname)?.[1] ?? -1));
    c.nextIfIndex = Math.max(c.nextIfIndex, ...used.map((n) => n + 1));
  }
  return s;
}
